// Byte-level virtual devices behind a serialport MockPortBinding (@serialport/binding-mock):
// the device sees every write the host makes, byte for byte, and answers with bytes that the
// host reads through its real SerialPort stream, optionally split into chunks the way a USB
// serial adapter splits them. The printer, lock-board and scanner simulators plug in here.
// Pattern from serialport/node-serialport discussion #2499 / issue #2734 (wrap the port
// binding's write, answer with emitData), verified in docs/hardware.md, "Serial lines".
// binding-mock's exports map hides its types from ESM resolution; ask for the CommonJS view.
import type { MockPortBinding } from '@serialport/binding-mock' with { 'resolution-mode': 'require' };

export interface SendOptions {
  /** Split into chunks of at most this many bytes, each read separately by the host. */
  chunkSize?: number;
  /** Explicit chunk sizes (the rest goes in a last chunk); wins over chunkSize. */
  chunks?: readonly number[];
  /** Wait this long between chunks (global timers, so fake timers drive it). */
  gapMs?: number;
}

/** The device's side of an open port. */
export interface VirtualLine {
  readonly path: string;
  readonly baudRate: number;
  isOpen(): boolean;
  /** Bytes from the device to the host. Resolves when every chunk is handed to the port. */
  send(bytes: Uint8Array | string, options?: SendOptions): Promise<void>;
}

export interface VirtualSerialDevice {
  /** One host write, exactly as the host wrote it. */
  receive(bytes: Buffer, line: VirtualLine): void;
  /** The host opened the port. */
  opened?(line: VirtualLine): void;
  /** The host closed the port (or it was unplugged). */
  closed?(): void;
}

function splitChunks(bytes: Buffer, options: SendOptions): Buffer[] {
  const sizes = options.chunks;
  const out: Buffer[] = [];
  let at = 0;
  if (sizes) {
    for (const size of sizes) {
      if (at >= bytes.length) break;
      out.push(bytes.subarray(at, at + Math.max(1, size)));
      at += Math.max(1, size);
    }
  } else if (options.chunkSize && options.chunkSize > 0) {
    for (; at < bytes.length; at += options.chunkSize) out.push(bytes.subarray(at, at + options.chunkSize));
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => globalThis.setTimeout(resolve, ms));
/** How many ticks to wait for the host to read a chunk before sending the next one anyway. */
const MAX_TICKS_PER_CHUNK = 50;

/**
 * Wires a device to an open MockPortBinding. Returns the device's line. `onWrite` sees the
 * host's bytes before the device does (for recording).
 */
export function wireDevice(port: MockPortBinding, path: string, getDevice: () => VirtualSerialDevice | undefined, onWrite?: (bytes: Buffer) => void): VirtualLine {
  const line: VirtualLine = {
    path,
    baudRate: port.openOptions.baudRate,
    isOpen: () => port.isOpen,
    async send(bytes, options = {}) {
      const chunks = splitChunks(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes), options);
      for (const [i, chunk] of chunks.entries()) {
        if (!port.isOpen) return;
        if (i > 0 && options.gapMs) await sleep(options.gapMs);
        if (!port.isOpen) return;
        port.emitData(chunk);
        // Wait until the host's pending read has taken the chunk, so it arrives on its own.
        for (let t = 0; t < MAX_TICKS_PER_CHUNK && port.isOpen && port.port.data.length > 0; t++) await tick();
      }
    },
  };
  const write = port.write.bind(port);
  port.write = async (buffer: Buffer): Promise<void> => {
    await write(buffer);
    const bytes = Buffer.from(buffer);
    onWrite?.(bytes);
    getDevice()?.receive(bytes, line);
  };
  const close = port.close.bind(port);
  port.close = async (): Promise<void> => {
    await close();
    getDevice()?.closed?.();
  };
  return line;
}

/**
 * For code that uses SerialPortMock directly: attaches a device to the port once it is open.
 * `stream` is the SerialPortMock; its `port` is the MockPortBinding after 'open'.
 */
export function attachToMockPort(stream: { isOpen: boolean; port?: unknown; once(event: 'open', listener: () => void): unknown; path: string }, device: VirtualSerialDevice): Promise<VirtualLine> {
  const wire = (): VirtualLine => {
    const line = wireDevice(stream.port as MockPortBinding, stream.path, () => device);
    device.opened?.(line);
    return line;
  };
  if (stream.isOpen && stream.port) return Promise.resolve(wire());
  return new Promise((resolve) => stream.once('open', () => resolve(wire())));
}
