// Reply frames of a simulated GA 467 SAM module (see drivers/id-card-reader/sam-frames.ts and
// docs/hardware.md for the sources), written apart from the driver's codec on purpose: a
// length or checksum mistake in one is caught by the other, and both are tested against the
// replies captured in public readers' code.
export const SAM_PREAMBLE = [0xaa, 0xaa, 0xaa, 0x96, 0x69] as const;

/** `AA AA AA 96 69 | LEN | 00 00 SW3 | data | XOR(LEN..data)`. */
export function samReplyFrame(sw3: number, data: Uint8Array = new Uint8Array(0)): Buffer {
  const length = 3 + data.length + 1;
  const checked = [length >> 8, length & 0xff, 0x00, 0x00, sw3, ...data];
  const xor = checked.reduce((a, b) => a ^ b, 0);
  return Buffer.from([...SAM_PREAMBLE, ...checked, xor]);
}

/** What a host frame asks for, found in a byte stream. */
export interface HostRequest {
  /** CMD and PARA. */
  command: number;
  param: number;
  /** The whole frame as the host sent it. */
  bytes: Buffer;
  /** LEN was not 3 (these commands carry no data) or the XOR did not match: what the module says back. */
  fault?: 'checksum' | 'length';
}

/** Takes complete host frames off the front of `rx`, skipping junk before a preamble. */
export function takeHostRequests(rx: Buffer): { requests: HostRequest[]; rest: Buffer } {
  const requests: HostRequest[] = [];
  const preamble = Buffer.from(SAM_PREAMBLE);
  let at = rx.indexOf(preamble);
  while (at >= 0) {
    if (rx.length < at + 7) break;
    const length = (rx[at + 5] ?? 0) * 256 + (rx[at + 6] ?? 0);
    if (length < 3 || length > 64) {
      at = rx.indexOf(preamble, at + 1);
      continue;
    }
    if (rx.length < at + 7 + length) break;
    const bytes = Buffer.from(rx.subarray(at, at + 7 + length));
    const xor = [...bytes.subarray(5, bytes.length - 1)].reduce((a, b) => a ^ b, 0);
    const fault = xor !== bytes[bytes.length - 1] ? 'checksum' : length !== 3 ? 'length' : undefined;
    requests.push({ command: bytes[7] ?? 0, param: bytes[8] ?? 0, bytes, ...(fault ? { fault } : {}) });
    const end = at + 7 + length;
    at = rx.indexOf(preamble, end);
    if (at < 0) return { requests, rest: keepPreambleStart(rx.subarray(end)) };
  }
  return { requests, rest: at < 0 ? keepPreambleStart(rx) : Buffer.from(rx.subarray(at)) };
}

/** No preamble in `rx`: only its last bytes can still be the start of one cut by the USB chunking. */
function keepPreambleStart(rx: Buffer): Buffer {
  return Buffer.from(rx.subarray(Math.max(0, rx.length - (SAM_PREAMBLE.length - 1))));
}
