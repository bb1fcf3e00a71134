// The real panel as a LedMatrix: rpi-led-matrix runs in a child process of its own
// (panel-host-child.ts) that receives whole frames over its stdin. One frame is in flight at a
// time; frames shown meanwhile replace each other (latest wins, counted as dropped), so a slow
// or blocked sync() in the child never stalls or floods the runtime. A child that exits or does
// not confirm a frame within frameTimeoutMs is a fault: reported through onHealth, killed,
// restarted with exponential backoff, and given the latest frame again once it is back.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LedMatrix, LedMatrixHealth, LedMatrixState, RgbFrame } from '../hal/led-matrix.js';
import type { Clock } from '../hal/types.js';
import type { TimerHandle, Timers } from '../clock/timers.js';
import type { PanelChildConfig } from './panel-host-child.js';
import { encodeMessage, MSG_BRIGHTNESS, MSG_FRAME, REPLY_ACK, REPLY_READY } from './panel-wire.js';

export interface PanelHostOptions {
  readonly name: string;
  readonly config: PanelChildConfig;
  readonly clock: Clock;
  readonly timers: Timers;
  /** The child's entry script; default panel-host-child.js beside this file. Tests pass a fake. */
  readonly childEntry?: string;
  /** Extra environment for the child (tests use it to choose the fake's behaviour). */
  readonly childEnv?: Readonly<Record<string, string>>;
  readonly frameTimeoutMs?: number;
  /** A child that has not reported ready within this is a fault; default 10 s (GPIO init as root). */
  readonly startTimeoutMs?: number;
  readonly restartBackoffMs?: { readonly initial: number; readonly max: number };
}

/**
 * panel-host-child.js beside this file (tsc output), or its own bundle dist/panel-host-child.mjs
 * when this code runs from the bundle (a chunk in dist/chunks/ or dist/cli-chunks/): a release
 * carries only the bundles.
 */
export function defaultChildEntry(from: string = fileURLToPath(import.meta.url)): string {
  const here = dirname(from);
  const candidates = [join(here, 'panel-host-child.js'), join(here, 'panel-host-child.mjs'), join(here, '../panel-host-child.mjs')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

const DEFAULT_FRAME_TIMEOUT_MS = 2000;
const DEFAULT_START_TIMEOUT_MS = 10_000;
const DEFAULT_BACKOFF_MS = { initial: 500, max: 30_000 };
const CLOSE_GRACE_MS = 2000;

export class PanelHost implements LedMatrix {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  private child: ChildProcess | undefined;
  private state: LedMatrixState = 'starting';
  private pending: Uint8Array | undefined;
  private last: Uint8Array | undefined;
  private inFlight = false;
  private level: number;
  private restarts = 0;
  private dropped = 0;
  private shown = 0;
  private lastFault: LedMatrixHealth['lastFault'];
  private backoffMs: number;
  private watchdog: TimerHandle | undefined;
  private restartTimer: TimerHandle | undefined;
  private readonly listeners = new Set<(h: LedMatrixHealth) => void>();

  constructor(private readonly opts: PanelHostOptions) {
    this.name = opts.name;
    this.width = opts.config.cols * opts.config.chain;
    this.height = opts.config.rows * opts.config.parallel;
    this.level = opts.config.brightness;
    this.backoffMs = (opts.restartBackoffMs ?? DEFAULT_BACKOFF_MS).initial;
    this.spawnChild();
  }

  show(frame: RgbFrame): void {
    if (this.state === 'closed') return;
    if (frame.width !== this.width || frame.height !== this.height || frame.data.length !== this.width * this.height * 3) {
      throw Object.assign(new RangeError(`frame ${frame.width}x${frame.height} (${frame.data.length} bytes) does not fit panel ${this.name} ${this.width}x${this.height}`), { code: 'MATRIX_FRAME_SIZE' });
    }
    if (this.pending) this.dropped++;
    this.pending = frame.data.slice();
    this.pump();
  }

  setBrightness(percent: number): void {
    this.level = Math.max(0, Math.min(100, Math.round(percent)));
    if (this.state === 'ok') this.write(encodeMessage(MSG_BRIGHTNESS, Uint8Array.of(this.level)));
  }

  brightness(): number {
    return this.level;
  }

  health(): LedMatrixHealth {
    const h = { state: this.state, restarts: this.restarts, dropped: this.dropped, shown: this.shown };
    return this.lastFault ? { ...h, lastFault: this.lastFault } : h;
  }

  onHealth(listener: (h: LedMatrixHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.setState('closed');
    this.opts.timers.clearTimeout(this.watchdog);
    this.opts.timers.clearTimeout(this.restartTimer);
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = this.opts.timers.setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
      child.once('exit', () => {
        this.opts.timers.clearTimeout(kill);
        resolve();
      });
      // End of stdin asks the child to blank the panel and exit on its own.
      child.stdin?.end();
    });
  }

  private spawnChild(): void {
    const entry = this.opts.childEntry ?? defaultChildEntry();
    const child = spawn(process.execPath, [entry, JSON.stringify({ ...this.opts.config, brightness: this.level })], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...this.opts.childEnv },
    });
    this.child = child;
    this.inFlight = false;
    this.setState('starting');
    this.arm(this.opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, 'MATRIX_START_TIMEOUT', 'the panel process did not report ready');
    // EPIPE when the child died with a frame half written: the exit handler reports it.
    child.stdin?.on('error', () => undefined);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (child !== this.child) return;
      for (const byte of chunk) this.onReply(byte);
    });
    child.once('error', (err) => this.fault(child, 'MATRIX_SPAWN', err.message));
    child.once('exit', (code, signal) => this.fault(child, 'MATRIX_CHILD_EXIT', `panel process exited (code ${String(code)}, signal ${String(signal)})`));
  }

  private onReply(byte: number): void {
    if (byte === REPLY_READY) {
      this.opts.timers.clearTimeout(this.watchdog);
      this.setState('ok');
      // A restarted panel shows the latest content again, not a blank screen.
      if (!this.pending && this.last) this.pending = this.last;
      this.pump();
    } else if (byte === REPLY_ACK && this.inFlight) {
      this.opts.timers.clearTimeout(this.watchdog);
      this.inFlight = false;
      this.shown++;
      this.backoffMs = (this.opts.restartBackoffMs ?? DEFAULT_BACKOFF_MS).initial;
      this.emit();
      this.pump();
    }
  }

  private pump(): void {
    if (this.state !== 'ok' || this.inFlight || !this.pending) return;
    const data = this.pending;
    this.pending = undefined;
    this.last = data;
    this.inFlight = true;
    this.arm(this.opts.frameTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS, 'MATRIX_HUNG', 'the panel process did not confirm a frame in time');
    this.write(encodeMessage(MSG_FRAME, data));
  }

  private write(bytes: Buffer): void {
    const stdin = this.child?.stdin;
    if (stdin && !stdin.destroyed) stdin.write(bytes);
  }

  private arm(ms: number, code: string, message: string): void {
    this.opts.timers.clearTimeout(this.watchdog);
    const child = this.child;
    this.watchdog = this.opts.timers.setTimeout(() => {
      if (child) this.fault(child, code, `${message} (${ms} ms)`);
    }, ms);
  }

  /** Reports the fault once per child, kills it if still alive, schedules the restart. */
  private fault(child: ChildProcess, code: string, message: string): void {
    if (child !== this.child || this.state === 'closed') return;
    this.child = undefined;
    this.opts.timers.clearTimeout(this.watchdog);
    if (this.inFlight && this.last && !this.pending) this.pending = this.last;
    this.inFlight = false;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.lastFault = { code, message, atMs: this.opts.clock.monotonicMs() };
    this.setState('fault');
    const delay = this.backoffMs;
    const max = (this.opts.restartBackoffMs ?? DEFAULT_BACKOFF_MS).max;
    this.backoffMs = Math.min(max, this.backoffMs * 2);
    this.restartTimer = this.opts.timers.setTimeout(() => {
      if (this.state === 'closed') return;
      this.restarts++;
      this.spawnChild();
    }, delay);
  }

  private setState(state: LedMatrixState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    const h = this.health();
    for (const l of this.listeners) {
      try {
        l(h);
      } catch {
        // A listener's bug must not break the panel's bookkeeping.
      }
    }
  }
}
