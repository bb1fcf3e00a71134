// What a simulated family knows: how to find requests in the host's byte stream (resyncing on
// the header after garbage) and how to answer them from a VirtualLockBoard's state.
import type { SerialLockBoardProtocol } from '../../drivers/hal/lock-board.js';
import type { VirtualLockBoard, VirtualRequestKind } from './virtual-lock-board.js';

export interface SimRequest {
  address: number;
  kind: VirtualRequestKind;
  /** 1-based; 0 for status-all. */
  lock: number;
  bytes: Buffer;
}

export interface SimProtocol {
  readonly name: SerialLockBoardProtocol;
  /** Takes complete requests off the front of `rx`; returns them and the bytes left over. */
  take(rx: Buffer): { requests: SimRequest[]; rest: Buffer };
  /** The reply bytes (undefined: this board stays silent, as for a lock it does not have). */
  reply(board: VirtualLockBoard, request: SimRequest): Buffer | undefined;
  /** Makes a reply's checksum wrong. */
  corrupt(reply: Buffer): Buffer;
}

/** Finds fixed-length requests that start with one of `heads` and pass `valid`, skipping junk. */
export function takeFixed(rx: Buffer, length: number, heads: readonly number[], parse: (frame: Buffer) => SimRequest | undefined): { requests: SimRequest[]; rest: Buffer } {
  const requests: SimRequest[] = [];
  let at = 0;
  while (at < rx.length) {
    if (!heads.includes(rx[at] ?? -1)) {
      at += 1;
      continue;
    }
    if (rx.length - at < length) break;
    const request = parse(Buffer.from(rx.subarray(at, at + length)));
    if (request) {
      requests.push(request);
      at += length;
    } else at += 1;
  }
  return { requests, rest: Buffer.from(rx.subarray(at)) };
}

export function flipLastByte(reply: Buffer): Buffer {
  const out = Buffer.from(reply);
  out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 0x5a;
  return out;
}
