// Requests the device asked the server and is still waiting on: each is answered once, by the
// first `res` with its id, or rejected TIMEOUT after its deadline (on the injected timers), or
// OFFLINE when the connection drops. A res for an id not waiting here is not an answer.
import type { Timers, TimerHandle } from '../../drivers/clock/timers.js';
import type { ResponseMessage } from '../../protocol/messages.js';
import { DeviceError } from './device-error.js';

interface Waiting {
  resolve: (data: Record<string, unknown>) => void;
  reject: (err: DeviceError) => void;
  timer: TimerHandle;
}

export class PendingRequests {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly timers: Timers) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Waits for the answer to request `id`; rejects TIMEOUT after `timeoutMs`. */
  wait(id: string, name: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.waiting.delete(id);
        reject(new DeviceError('TIMEOUT', `no answer to ${name} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
    });
  }

  /** Hands `res` to the request waiting for it; false when none is (late, duplicate or forged). */
  answer(res: ResponseMessage): boolean {
    const w = this.take(res.id);
    if (!w) return false;
    if (res.ok) w.resolve(res.data ?? {});
    else w.reject(new DeviceError(res.error?.code ?? 'INTERNAL', res.error?.message ?? 'server refused the request', res.error?.details));
    return true;
  }

  fail(id: string, err: DeviceError): void {
    this.take(id)?.reject(err);
  }

  failAll(err: DeviceError): void {
    for (const id of [...this.waiting.keys()]) this.fail(id, err);
  }

  private take(id: string): Waiting | undefined {
    const w = this.waiting.get(id);
    if (!w) return undefined;
    this.waiting.delete(id);
    this.timers.clearTimeout(w.timer);
    return w;
  }
}
