// SerialLink over serialport 13 (serialport/node-serialport, packages/stream). The same class
// runs on the OS binding on a board and on a MockBinding-shaped binding in tests and in the
// simulators, so the code CI runs is the code the board runs.
import type { SerialPort } from 'serialport';
import { HalError, type SerialLink } from '../hal/types.js';
import type { SerialSpec } from '../hal/part-specs.js';
import type { SerialBinding } from '../hal/bus-handles.js';

export interface SerialLinkOptions extends SerialSpec {
  /** Leave out for the OS serial ports; a MockBinding or a VirtualSerialBus binding in tests. */
  binding?: SerialBinding;
}

type ClosedListener = (err?: Error) => void;

/** Opens the port; rejects with HalError UNAVAILABLE naming the part and path if it cannot. */
export async function openSerialLink(options: SerialLinkOptions): Promise<SerialLink> {
  const { SerialPort } = await import('serialport');
  // serialport's SerialPort spreads caller options over its default binding, so `binding`
  // selects another one; its typing omits the key, hence the widened options object.
  const portOptions: ConstructorParameters<typeof SerialPort>[0] = {
    path: options.path,
    baudRate: options.baudRate,
    autoOpen: false,
    ...(options.dataBits !== undefined ? { dataBits: options.dataBits } : {}),
    ...(options.stopBits !== undefined ? { stopBits: options.stopBits } : {}),
    ...(options.parity !== undefined ? { parity: options.parity } : {}),
    ...(options.binding ? { binding: options.binding } : {}),
  };
  const port = new SerialPort(portOptions);
  await new Promise<void>((resolve, reject) => {
    port.open((err) => {
      if (err) reject(new HalError('UNAVAILABLE', `serial port ${options.name} (${options.path}) could not be opened: ${err.message}`, { cause: err }));
      else resolve();
    });
  });
  return new SerialPortLink(options.name, port);
}

export class SerialPortLink implements SerialLink {
  readonly path: string;
  private readonly closeListeners = new Set<ClosedListener>();
  private closedWith: { err?: Error } | undefined;
  private lastError: Error | undefined;

  constructor(
    readonly name: string,
    private readonly port: SerialPort,
  ) {
    this.path = port.path;
    // An 'error' event without a listener would throw and end the process.
    port.on('error', (err: Error) => (this.lastError = err));
    // Keep reading even before anyone listens: a pending read is how an unplugged adapter is
    // noticed. Roles subscribe right after open resolves, before any I/O can arrive.
    port.on('data', () => undefined);
    port.on('close', (err?: Error | null) => {
      const closed = err ? { err } : {};
      this.closedWith = closed;
      for (const listener of [...this.closeListeners]) listener(closed.err);
      this.closeListeners.clear();
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.port.isOpen) return Promise.reject(this.closedError('write'));
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new Promise((resolve, reject) => {
      this.port.write(buffer, (err) => {
        if (err) {
          reject(this.port.isOpen ? new HalError('IO', `write to ${this.name} (${this.path}) failed: ${err.message}`, { cause: err }) : this.closedError('write'));
          return;
        }
        this.port.drain((drainErr) => {
          if (drainErr) reject(this.port.isOpen ? new HalError('IO', `drain of ${this.name} (${this.path}) failed: ${drainErr.message}`, { cause: drainErr }) : this.closedError('write'));
          else resolve();
        });
      });
    });
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.port.on('data', listener);
    return () => void this.port.off('data', listener);
  }

  onClose(listener: ClosedListener): () => void {
    if (this.closedWith) {
      // Already gone: still tell the listener, once, but not from inside this call.
      const { err } = this.closedWith;
      queueMicrotask(() => listener(err));
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => void this.closeListeners.delete(listener);
  }

  isOpen(): boolean {
    return this.port.isOpen;
  }

  /** The last asynchronous port error, for diagnostics. */
  error(): Error | undefined {
    return this.lastError;
  }

  close(): Promise<void> {
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      // A close that fails leaves nothing for the caller to do; the port is gone either way.
      this.port.close(() => resolve());
    });
  }

  private closedError(what: string): HalError {
    const why = this.closedWith?.err ? ` (${this.closedWith.err.message})` : '';
    return new HalError('CLOSED', `cannot ${what}: serial port ${this.name} (${this.path}) is closed${why}`);
  }
}
