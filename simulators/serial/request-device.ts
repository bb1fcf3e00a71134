// A byte-level device that answers framed requests from the host: it keeps the bytes of a
// request split across host writes, remembers the open line, and queues its replies in order so
// a test can wait until they have all been handed to the line. Lock boards and ID-card modules
// differ only in how a request is framed and answered.
import type { VirtualLine, VirtualSerialDevice } from './virtual-device.js';

export abstract class RequestAnsweringDevice<R> implements VirtualSerialDevice {
  protected line: VirtualLine | undefined;
  /** The replies queued so far, in order; a new reply chains onto it. */
  protected sending: Promise<void> = Promise.resolve();
  private rx: Buffer = Buffer.alloc(0);

  /** The whole requests at the start of `buffer`, and the bytes after them (a request still arriving). */
  protected abstract takeRequests(buffer: Buffer): { requests: R[]; rest: Buffer };
  protected abstract handle(request: R): void;

  /** Resolves when every reply queued so far has been handed to the line. */
  flushed(): Promise<void> {
    return this.sending;
  }

  opened(line: VirtualLine): void {
    this.line = line;
    this.rx = Buffer.alloc(0);
  }

  closed(): void {
    this.line = undefined;
  }

  receive(bytes: Buffer, line: VirtualLine): void {
    this.line = line;
    const { requests, rest } = this.takeRequests(Buffer.concat([this.rx, bytes]));
    this.rx = rest;
    for (const request of requests) this.handle(request);
  }
}
