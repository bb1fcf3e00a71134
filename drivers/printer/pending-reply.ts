// One request to a printer and its reply, with a deadline: the waiter is in place before the
// request bytes leave (a reply faster than write()'s promise is not lost), a write failure or
// the deadline ends the wait, and a late reply finds nobody waiting. The status readers of
// every command set frame their replies differently and hand each complete one to settle().
import { HalError } from '../hal/types.js';
import type { PrinterTransport } from './transport.js';

export class PendingReply<T> {
  private waiter: ((value: T) => void) | null = null;

  constructor(
    private readonly transport: PrinterTransport,
    private readonly timeoutMs: number,
  ) {}

  get waiting(): boolean {
    return this.waiter !== null;
  }

  /** Gives the reply to the waiting request; false when none is waiting (a stray or late reply). */
  settle(value: T): boolean {
    const waiter = this.waiter;
    if (!waiter) return false;
    this.waiter = null;
    waiter(value);
    return true;
  }

  /** Sends `bytes` and waits for settle(). `what` names the request in the TIMEOUT message ("DLE EOT 1"). */
  async request(bytes: Uint8Array, what: string): Promise<T> {
    if (this.waiter) throw new HalError('IO', 'a status request is already waiting for its reply');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reply = new Promise<T>((resolve, reject) => {
      this.waiter = resolve;
      timer = setTimeout(() => {
        this.waiter = null;
        reject(new HalError('TIMEOUT', `printer did not answer ${what} within ${this.timeoutMs} ms (${this.transport.description})`));
      }, this.timeoutMs);
    });
    try {
      await this.transport.write(bytes);
      return await reply;
    } catch (err) {
      this.waiter = null;
      reply.catch(() => undefined); // the write failed; the timeout's rejection has no one left to hear it
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  cancel(): void {
    this.waiter = null;
  }
}
