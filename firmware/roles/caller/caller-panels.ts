// The caller's LED panels: each configured panel (window, hall, notice) is painted from the
// board whenever it changes, and every frameIntervalMs while a line on it scrolls. A panel
// whose process dies is reported as evt panel.fault once, and panel.ok when it shows frames
// again (PanelHost restarts it; the runtime never waits for it). Brightness follows the
// day/night schedule in the hall's time zone unless a brightness command holds a level.
import type { IntervalHandle } from '../../../drivers/clock/timers.js';
import type { LedMatrix, LedMatrixHealth, PanelPainter, PanelState } from '../../../drivers/hal/types.js';
import type { CallerContract } from '../../../protocol/caller.js';
import type { RoleContext } from '../role-module.js';
import type { CallerDisplayModel } from './caller-display-model.js';
import type { CallerConfig } from './config.js';
import { hallClock } from '../hall-time.js';

type PanelKind = 'window' | 'hall' | 'notice';

interface Panel {
  name: string;
  kind: PanelKind;
  matrix: LedMatrix;
  painter: PanelPainter;
  faulted: boolean;
  off: () => void;
}

export interface PanelStatus {
  name: string;
  kind: PanelKind;
  state: LedMatrixHealth['state'];
  restarts: number;
  shown: number;
}

const SCHEDULE_CHECK_MS = 60_000;
/** How often the idle clock looks at the time: a minute's turn shows within a second. */
const CLOCK_CHECK_MS = 1000;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The scheduled level at `epochMs`, by the hall's local time (not the system's). */
export function scheduledBrightness(b: CallerConfig['brightness'], epochMs: number, timeZone: string): number {
  const { hour, minute } = hallClock(epochMs, timeZone);
  const now = hour * 60 + minute;
  const day = minutes(b.dayFrom);
  const night = minutes(b.nightFrom);
  const isDay = day <= night ? now >= day && now < night : now >= day || now < night;
  return isDay ? b.day : b.night;
}

export class CallerPanels {
  private readonly panels: Panel[] = [];
  /** Panels of the config that could not be opened, with why. */
  readonly unopened: { name: string; kind: PanelKind; error: string }[] = [];
  private animation: IntervalHandle | undefined;
  private schedule: IntervalHandle | undefined;
  private clockTimer: IntervalHandle | undefined;
  /** HH:MM in the hall's time zone, as last painted. */
  private clockShown = '';
  private override: number | null = null;
  private offBoard: (() => void) | undefined;
  /** Frames handed to the panels (bench and tests). */
  frames = 0;

  constructor(
    private readonly ctx: RoleContext<CallerContract>,
    private config: CallerConfig,
    private readonly board: CallerDisplayModel,
    /** A panel went down or came back (the retained state shows it). */
    private readonly onStatus: () => void = () => undefined,
  ) {}

  async start(brightnessOverride: number | null): Promise<void> {
    this.override = brightnessOverride;
    const wanted: [string, PanelKind][] = [
      ...(this.config.panels.window !== undefined ? [[this.config.panels.window, 'window'] as [string, PanelKind]] : []),
      ...this.config.panels.hall.map((n): [string, PanelKind] => [n, 'hall']),
      ...this.config.panels.notice.map((n): [string, PanelKind] => [n, 'notice']),
    ];
    for (const [name, kind] of wanted) {
      let matrix: LedMatrix;
      let painter: PanelPainter;
      try {
        [matrix, painter] = await Promise.all([this.ctx.hal.matrix(name), this.ctx.hal.painter(name)]);
      } catch (err) {
        // One panel that cannot be opened (its font files missing) leaves the others, the voice and the TV page working.
        this.unopened.push({ name, kind, error: (err as Error).message });
        this.ctx.log.error({ panel: name, err: (err as Error).message }, 'LED panel not opened');
        continue;
      }
      const panel: Panel = { name, kind, matrix, painter, faulted: matrix.health().state === 'fault', off: () => undefined };
      panel.off = matrix.onHealth((h) => this.onHealth(panel, h));
      this.panels.push(panel);
    }
    this.offBoard = this.board.onChange(() => this.paint());
    this.applyBrightness();
    this.schedule = this.ctx.timers.setInterval(() => this.applyBrightness(), SCHEDULE_CHECK_MS);
    // The idle lines' clock: repainted when the hall's minute turns.
    this.clockShown = this.hallTime();
    this.clockTimer = this.ctx.timers.setInterval(() => {
      const now = this.hallTime();
      if (now === this.clockShown) return;
      this.clockShown = now;
      this.paint();
    }, CLOCK_CHECK_MS);
    this.paint();
  }

  setOverride(level: number | null): void {
    this.override = level;
    this.applyBrightness();
  }

  brightness(): { level: number; auto: boolean } {
    return { level: this.override ?? scheduledBrightness(this.config.brightness, this.ctx.clock.bestGuess(), this.ctx.timeZone), auto: this.override === null };
  }

  status(): PanelStatus[] {
    return this.panels.map((p) => {
      const h = p.matrix.health();
      return { name: p.name, kind: p.kind, state: h.state, restarts: h.restarts, shown: h.shown };
    });
  }

  /** Shows a frame on every panel (the test pattern); the board's picture returns with the next change. */
  showOnAll(draw: (width: number, height: number) => { width: number; height: number; data: Uint8Array }): string[] {
    return this.panels.map((p) => {
      p.matrix.show(draw(p.matrix.width, p.matrix.height));
      return p.name;
    });
  }

  paint(): void {
    let moving = false;
    for (const p of this.panels) {
      const state = this.stateFor(p.kind);
      if (!state) continue;
      p.matrix.show(p.painter.paint(state));
      this.frames++;
      moving ||= p.painter.moving(state);
    }
    if (moving && this.animation === undefined) this.animation = this.ctx.timers.setInterval(() => this.paint(), this.config.frameIntervalMs);
    else if (!moving && this.animation !== undefined) {
      this.ctx.timers.clearInterval(this.animation);
      this.animation = undefined;
    }
  }

  stop(): void {
    this.offBoard?.();
    this.ctx.timers.clearInterval(this.animation);
    this.ctx.timers.clearInterval(this.schedule);
    this.ctx.timers.clearInterval(this.clockTimer);
    this.animation = undefined;
    for (const p of this.panels.splice(0)) p.off();
  }

  private stateFor(kind: PanelKind): PanelState | undefined {
    const v = this.board.view();
    const lang = this.config.lang;
    const clock = this.hallTime();
    const notice = v.notice ? { text: v.notice.text, sinceMs: v.notice.sinceMs } : undefined;
    switch (kind) {
      case 'window':
        return {
          kind: 'window',
          lang,
          window: this.config.window,
          paused: v.paused,
          ...(v.current ? { current: { number: v.current.ticket, window: v.current.window, priority: v.current.priority, sinceMs: v.current.sinceMs } } : {}),
          ...(notice ? { notice } : {}),
          ...(v.feedback !== null ? { feedback: v.feedback } : {}),
          clock,
        };
      case 'hall':
        return { kind: 'hall', lang, calls: v.history.map((c) => ({ number: c.ticket, window: c.window, priority: c.priority })), limit: this.config.lastN, clock };
      case 'notice':
        return notice ? { kind: 'notice', notice } : { kind: 'hall', lang, calls: [], clock };
    }
  }

  private hallTime(): string {
    return hallClock(this.ctx.clock.bestGuess(), this.ctx.timeZone).hhmm;
  }

  private applyBrightness(): void {
    const { level } = this.brightness();
    for (const p of this.panels) if (p.matrix.brightness() !== level) p.matrix.setBrightness(level);
  }

  private onHealth(p: Panel, h: LedMatrixHealth): void {
    if (h.state === 'fault' && !p.faulted) {
      p.faulted = true;
      const fault = h.lastFault ?? { code: 'MATRIX_FAULT', message: 'the panel reported a fault' };
      this.ctx.log.warn({ panel: p.name, ...fault }, 'LED panel fault');
      this.onStatus();
      void this.ctx.link.emit('panel.fault', { panel: p.name, code: fault.code, message: fault.message, restarts: h.restarts }).catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message }, 'panel.fault not recorded'));
    } else if (h.state === 'ok' && p.faulted) {
      p.faulted = false;
      this.ctx.log.info({ panel: p.name, restarts: h.restarts }, 'LED panel back');
      this.onStatus();
      void this.ctx.link.emit('panel.ok', { panel: p.name, restarts: h.restarts }).catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message }, 'panel.ok not recorded'));
    }
  }
}
