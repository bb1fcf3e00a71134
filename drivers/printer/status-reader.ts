// Real-time status over a byte transport: send DLE EOT n, wait for the one-byte reply.
// Source: Epson ESC/POS Command Reference "DLE EOT" — the reply is sent as soon as the command
// is received, even offline; send the next query only after the reply (HPRT, Citizen manuals).
import { realTimeStatusRequest, type StatusQuery } from './escpos-commands.js';
import { decodeStatus, isStatusByte, type StatusReplies } from './status-decoder.js';
import type { PrinterTransport } from './transport.js';
import { PendingReply } from './pending-reply.js';
import type { PrinterStatus } from '../hal/ticket-printer.js';

export const DEFAULT_STATUS_TIMEOUT_MS = 500;
export const ALL_STATUS_QUERIES: readonly StatusQuery[] = [1, 2, 3, 4];

export class StatusReader {
  private readonly pending: PendingReply<number>;
  private readonly unsubscribe: () => void;
  /** Status-shaped bytes that arrived when no query was waiting (late replies after a timeout). */
  strayBytes = 0;

  constructor(transport: PrinterTransport, timeoutMs: number = DEFAULT_STATUS_TIMEOUT_MS) {
    this.pending = new PendingReply(transport, timeoutMs);
    this.unsubscribe = transport.onData((chunk) => this.onChunk(chunk));
  }

  private onChunk(chunk: Buffer): void {
    for (const byte of chunk) {
      if (!isStatusByte(byte)) continue; // XON/XOFF, GS r replies, line noise
      if (!this.pending.settle(byte)) this.strayBytes += 1;
    }
  }

  /** One DLE EOT n round trip. Callers must not overlap queries (the TicketPrinter serialises them). */
  query(n: StatusQuery): Promise<number> {
    return this.pending.request(realTimeStatusRequest(n), `DLE EOT ${n}`);
  }

  /** Sends the given queries one after another (n = 1 and 2 always) and decodes the replies. */
  async read(queries: readonly StatusQuery[] = ALL_STATUS_QUERIES): Promise<PrinterStatus> {
    const replies: StatusReplies = {
      printer: await this.query(1),
      offlineCause: await this.query(2),
      errorCause: queries.includes(3) ? await this.query(3) : null,
      paperSensor: queries.includes(4) ? await this.query(4) : null,
    };
    return decodeStatus(replies);
  }

  dispose(): void {
    this.unsubscribe();
    this.pending.cancel();
  }
}
