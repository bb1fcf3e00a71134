// Real-time status over a byte transport: send DLE EOT n, wait for the one-byte reply.
// Source: Epson ESC/POS Command Reference "DLE EOT" — the reply is sent as soon as the command
// is received, even offline; send the next query only after the reply (HPRT, Citizen manuals).
import { realTimeStatusRequest, type StatusQuery } from './escpos-commands.js';
import { decodeStatus, isStatusByte, type StatusReplies } from './status-decoder.js';
import { ReplyReader } from './reply-reader.js';
import type { PrinterStatus } from '../hal/ticket-printer.js';

export { DEFAULT_STATUS_TIMEOUT_MS } from './reply-reader.js';
export const ALL_STATUS_QUERIES: readonly StatusQuery[] = [1, 2, 3, 4];

/** strayBytes counts only status-shaped bytes: XON/XOFF, GS r replies and line noise are skipped silently. */
export class StatusReader extends ReplyReader<number> {
  protected onByte(byte: number): void {
    if (!isStatusByte(byte)) return;
    if (!this.pending.settle(byte)) this.strayBytes += 1;
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
}
