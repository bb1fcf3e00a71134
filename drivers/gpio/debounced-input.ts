// A DigitalInput built from raw edges: active-low inversion, then debounce on the injected
// clock and timers. A level counts once it has held for debounceMs with no further edge, so a
// contact that bounces ten times inside the window, or a button held down, yields exactly one
// transition, stamped with the time of the edge that started it.
import type { InputSpec } from '../hal/part-specs.js';
import type { TimerHandle } from '../clock/timers.js';
import { activeLevel, type GpioContext, type GpioInput, type Level, type PartHealth } from './gpio-backend.js';

type Listener = (active: boolean, atMs: number) => void;

export interface DebouncedInputHooks {
  /** Releases what the backend holds for this line. */
  close?: () => Promise<void>;
  /** Backend facts for diagnostics (line, chip, process id). */
  data?: () => Record<string, unknown>;
}

export class DebouncedInput implements GpioInput {
  readonly name: string;
  private stable: Level;
  private lastRaw: Level;
  private pendingSinceMs: number | undefined;
  private timer: TimerHandle | undefined;
  private readonly listeners = new Set<Listener>();
  private fault: string | undefined;
  private closed = false;
  private edges = 0;

  constructor(
    readonly spec: InputSpec,
    private readonly ctx: GpioContext,
    private readonly hooks: DebouncedInputHooks = {},
  ) {
    this.name = spec.name;
    // Until the backend reports the line, assume the part is at rest.
    this.stable = activeLevel(spec.activeLow) === 1 ? 0 : 1;
    this.lastRaw = this.stable;
  }

  /** Sets the level read when the line was opened, without a transition. */
  establish(level: Level): void {
    if (this.closed) return;
    this.stable = level;
    this.lastRaw = level;
    this.pendingSinceMs = undefined;
    this.cancelTimer();
  }

  /** A raw edge (or a repeated report of a level) from the line. */
  edge(level: Level): void {
    if (this.closed) return;
    this.edges++;
    const atMs = this.ctx.clock.monotonicMs();
    this.lastRaw = level;
    if (this.pendingSinceMs === undefined) {
      if (level === this.stable) return; // a report of the level we already have
      this.pendingSinceMs = atMs;
    }
    if (this.spec.debounceMs <= 0) {
      this.settle();
      return;
    }
    // Every edge restarts the window: the level must hold for debounceMs.
    this.cancelTimer();
    this.timer = this.ctx.timers.setTimeout(() => this.settle(), this.spec.debounceMs);
  }

  /** The backend lost the line (helper process died, port closed); shown by health(). */
  markFault(detail: string | undefined): void {
    this.fault = detail;
  }

  isActive(): boolean {
    return this.stable === activeLevel(this.spec.activeLow);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): PartHealth {
    const data = { line: this.spec.line, active: this.isActive(), edges: this.edges, ...this.hooks.data?.() };
    if (this.closed) return { ok: false, detail: 'closed', data };
    return this.fault ? { ok: false, detail: this.fault, data } : { ok: true, data };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer();
    this.listeners.clear();
    await this.hooks.close?.();
  }

  private settle(): void {
    this.timer = undefined;
    const since = this.pendingSinceMs;
    this.pendingSinceMs = undefined;
    if (since === undefined || this.lastRaw === this.stable) return; // bounced back: no change
    this.stable = this.lastRaw;
    const active = this.isActive();
    for (const listener of [...this.listeners]) {
      try {
        listener(active, since);
      } catch (err) {
        this.ctx.onListenerError(`input:${this.name}`, err);
      }
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.ctx.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
