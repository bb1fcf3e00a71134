// An in-memory cable: two SerialLink ends, bytes written on one arrive on the other on the
// next microtask (never inside write(), like a real port). The driver takes `host` (via
// serialLinkTransport), the virtual printer attaches to `device`.
import { HalError, type SerialLink } from '../../drivers/hal/types.js';

export interface MemoryLinkPair {
  host: SerialLink;
  device: SerialLink;
}

class MemoryEnd implements SerialLink {
  peer: MemoryEnd | null = null;
  private readonly dataListeners = new Set<(chunk: Buffer) => void>();
  private readonly closeListeners = new Set<(err?: Error) => void>();
  private open = true;

  constructor(
    readonly name: string,
    readonly path: string,
  ) {}

  write(bytes: Uint8Array): Promise<void> {
    if (!this.open) return Promise.reject(new HalError('CLOSED', `${this.name} is closed`));
    const copy = Buffer.from(bytes);
    const peer = this.peer;
    queueMicrotask(() => peer?.deliver(copy));
    return Promise.resolve();
  }

  private deliver(chunk: Buffer): void {
    if (!this.open) return;
    for (const listener of this.dataListeners) listener(chunk);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (err?: Error) => void): () => void {
    if (!this.open) {
      // Like the real link: a listener added after the close still hears it, once, later.
      let removed = false;
      queueMicrotask(() => removed || listener());
      return () => (removed = true);
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  isOpen(): boolean {
    return this.open;
  }

  shutDown(): void {
    if (!this.open) return;
    this.open = false;
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
    this.dataListeners.clear();
  }

  close(): Promise<void> {
    this.shutDown();
    this.peer?.shutDown();
    return Promise.resolve();
  }
}

/** Closing either end closes both (the cable is pulled). */
export function createMemoryLinkPair(path = 'mem://escpos-printer'): MemoryLinkPair {
  const host = new MemoryEnd('printer (host end)', path);
  const device = new MemoryEnd('printer (device end)', path);
  host.peer = device;
  device.peer = host;
  return { host, device };
}
