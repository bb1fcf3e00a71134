// A byte stream to a device, shaped after serialport's bindings-interface: raw chunks in,
// drained writes out, and a close that every user hears about.

/**
 * A byte stream to a device (printer, lock board, scanner, Firmata board).
 * Rules for every implementation:
 * - write() resolves when the bytes are handed to the OS (drained); a write after close, or
 *   on a port that went away, rejects with HalError CLOSED; a failed write with HalError IO.
 * - Bytes arrive in onData in the order the device sent them, in chunks of any size:
 *   framing is the caller's job.
 * - onClose fires exactly once, when the port closes for any reason (close(), unplugged);
 *   with an Error when the close was not asked for. isOpen() is false from then on.
 * - close() is idempotent and resolves after the port is released.
 */
export interface SerialLink {
  readonly name: string;
  readonly path: string;
  /** Resolves when the bytes are handed to the OS (drained), rejects with a HalError if the port is closed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Raw chunks as they arrive: framing is the caller's job. Returns a function that removes the listener. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Fired once when the port goes away (unplugged, closed). */
  onClose(listener: (err?: Error) => void): () => void;
  isOpen(): boolean;
  close(): Promise<void>;
}
