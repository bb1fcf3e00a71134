// Real-time status over a byte transport: send DLE EOT n, wait for the one-byte reply.
// Source: Epson ESC/POS Command Reference "DLE EOT" — the reply is sent as soon as the command
// is received, even offline; send the next query only after the reply (HPRT, Citizen manuals).
import { HalError } from '../hal/types.js';
import { realTimeStatusRequest, type StatusQuery } from './escpos-commands.js';
import { decodeStatus, isStatusByte, type StatusReplies } from './status-decoder.js';
import type { PrinterTransport } from './transport.js';
import type { PrinterStatus } from './types.js';

export const DEFAULT_STATUS_TIMEOUT_MS = 500;
export const ALL_STATUS_QUERIES: readonly StatusQuery[] = [1, 2, 3, 4];

interface Waiter {
  resolve(byte: number): void;
}

export class StatusReader {
  private waiter: Waiter | null = null;
  private readonly unsubscribe: () => void;
  /** Status-shaped bytes that arrived when no query was waiting (late replies after a timeout). */
  strayBytes = 0;

  constructor(
    private readonly transport: PrinterTransport,
    private readonly timeoutMs: number = DEFAULT_STATUS_TIMEOUT_MS,
  ) {
    this.unsubscribe = transport.onData((chunk) => this.onChunk(chunk));
  }

  private onChunk(chunk: Buffer): void {
    for (const byte of chunk) {
      if (!isStatusByte(byte)) continue; // XON/XOFF, GS r replies, line noise
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = null;
        waiter.resolve(byte);
      } else {
        this.strayBytes += 1;
      }
    }
  }

  /** One DLE EOT n round trip. Callers must not overlap queries (EscPosTicketPrinter serialises them). */
  async query(n: StatusQuery): Promise<number> {
    if (this.waiter) throw new HalError('IO', 'a status query is already waiting for its reply');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<number>((resolve, reject) => {
      this.waiter = { resolve };
      timer = setTimeout(() => {
        this.waiter = null;
        reject(new HalError('TIMEOUT', `printer did not answer DLE EOT ${n} within ${this.timeoutMs} ms (${this.transport.description})`));
      }, this.timeoutMs);
    });
    try {
      // The waiter is in place before the bytes leave, so a reply faster than write()'s promise is not lost.
      await this.transport.write(realTimeStatusRequest(n));
      return await reply;
    } catch (err) {
      this.waiter = null;
      reply.catch(() => undefined); // the write failed; the timeout's rejection has no one left to hear it
      throw err;
    } finally {
      clearTimeout(timer);
    }
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
    this.waiter = null;
  }
}
