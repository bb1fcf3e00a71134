// halld under systemd Type=notify: READY=1 once the device is up, WATCHDOG=1 from the event
// loop every WatchdogSec/2. The pings are plain timers on the main loop, so a loop that hangs
// (a runaway synchronous loop, a deadlocked native call) stops them and systemd restarts the
// service; a ping still in flight is not doubled up. Messages leave one after another (each
// waits for the previous one to be read), so systemd sees them in the order they were made.
import type { Timers } from '../../drivers/clock/timers.js';
import type { Notifier } from './sd-notify.js';

export interface ServiceNotifierOptions {
  notifier: Notifier;
  timers: Timers;
  /** WATCHDOG_USEC from the environment (systemd sets it from WatchdogSec=). */
  watchdogUsec?: number;
  onError?: (err: Error) => void;
}

export class ServiceNotifier {
  private interval: ReturnType<Timers['setInterval']> | undefined;
  private readySent = false;
  private inFlight = false;
  private chain: Promise<void> = Promise.resolve();
  /** How many WATCHDOG=1 were handed to the notifier (tests read it). */
  pings = 0;

  /** A WATCHDOG=1 is still on its way; the next interval's is skipped rather than queued (tests read it). */
  get pingInFlight(): boolean {
    return this.inFlight;
  }

  constructor(private readonly options: ServiceNotifierOptions) {}

  /** The watchdog period systemd asks for, halved; undefined when there is no watchdog. */
  get pingEveryMs(): number | undefined {
    const usec = this.options.watchdogUsec;
    return usec !== undefined && Number.isFinite(usec) && usec > 0 ? Math.max(1, Math.floor(usec / 2000)) : undefined;
  }

  startWatchdog(): void {
    const every = this.pingEveryMs;
    if (every === undefined || this.interval) return;
    this.interval = this.options.timers.setInterval(() => this.ping(), every);
  }

  private ping(): void {
    if (this.inFlight) return;
    this.inFlight = true;
    this.pings += 1;
    void this.send('WATCHDOG=1').then(() => (this.inFlight = false));
  }

  /** READY=1 once per process (an in-process restart is not a new start for systemd). */
  ready(status: string): void {
    if (this.readySent) return;
    this.readySent = true;
    void this.send('READY=1', `STATUS=${status}`);
  }

  /** Resolves once systemd has read it (or the failure was reported to onError). */
  status(text: string): Promise<void> {
    return this.send(`STATUS=${text}`);
  }

  stopping(): void {
    if (this.interval) this.options.timers.clearInterval(this.interval);
    this.interval = undefined;
    void this.send('STOPPING=1');
  }

  private send(...assignments: string[]): Promise<void> {
    const sent = this.chain.then(() => this.options.notifier.notify(...assignments)).catch((err: unknown) => this.options.onError?.(err as Error));
    this.chain = sent;
    return sent;
  }
}

/** From the environment systemd sets: undefined when halld is not run by systemd Type=notify. */
export function serviceNotifierFromEnv(env: NodeJS.ProcessEnv, pid: number, make: (env: NodeJS.ProcessEnv) => Notifier, timers: Timers, onError: (err: Error) => void): ServiceNotifier | undefined {
  if (!env['NOTIFY_SOCKET']) return undefined;
  const watchdogPid = env['WATCHDOG_PID'];
  const watchdogUsec = watchdogPid === undefined || Number(watchdogPid) === pid ? Number(env['WATCHDOG_USEC']) : undefined;
  return new ServiceNotifier({ notifier: make(env), timers, ...(watchdogUsec !== undefined && Number.isFinite(watchdogUsec) ? { watchdogUsec } : {}), onError });
}
