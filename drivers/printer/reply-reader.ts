// What every command set's status reader shares: it listens on the transport from construction
// (so a reply is never missed), counts bytes that arrive when no request waits, and hands every
// byte to the command set's framing (DLE EOT: one byte; Star ASB: a block), which settles the
// one pending request (pending-reply.ts).
import { PendingReply } from './pending-reply.js';
import type { PrinterTransport } from './transport.js';

export const DEFAULT_STATUS_TIMEOUT_MS = 500;

export abstract class ReplyReader<T> {
  protected readonly pending: PendingReply<T>;
  private readonly unsubscribe: () => void;
  /** Bytes that arrived when no request was waiting (late replies after a timeout, unsolicited status) or that are not status. */
  strayBytes = 0;

  constructor(transport: PrinterTransport, timeoutMs: number = DEFAULT_STATUS_TIMEOUT_MS) {
    this.pending = new PendingReply(transport, timeoutMs);
    this.unsubscribe = transport.onData((chunk) => {
      for (const byte of chunk) this.onByte(byte);
    });
  }

  /** One received byte: frame it, settle the pending request with a complete reply, or count it stray. */
  protected abstract onByte(byte: number): void;

  dispose(): void {
    this.unsubscribe();
    this.pending.cancel();
  }
}
