// The physical evaluator: one GPIO button per level, each with its LED. While a rating is
// requested every LED blinks; a press rates the open case (through the same RatingDesk as
// the page, so a second button or a tap on the screen after it changes nothing) and the
// pressed level's LED lights alone until the thank-you ends.
import type { IntervalHandle } from '../../../drivers/clock/timers.js';
import type { EvaluatorContract, RatingLevel } from '../../../protocol/evaluator.js';
import type { RoleContext } from '../role-module.js';
import type { EvaluatorConfig } from './config.js';
import type { RatingDesk } from './rating-desk.js';

export class LevelButtons {
  private readonly cleanups: (() => void)[] = [];
  private blink: IntervalHandle | undefined;
  private phase = false;
  /** A technician's test has the buttons and LEDs: presses rate nothing, the desk does not drive the LEDs. */
  private held = false;

  constructor(
    private readonly ctx: RoleContext<EvaluatorContract>,
    private readonly config: EvaluatorConfig,
    private readonly desk: RatingDesk,
  ) {}

  start(): void {
    for (const button of this.config.buttons) {
      const input = this.ctx.hal.input(button.input);
      this.cleanups.push(
        input.onChange((active) => {
          if (!active || this.held) return;
          const caseId = this.desk.openCaseId;
          if (caseId === undefined) return;
          void this.desk
            .rate(caseId, button.level, button.items)
            .then((r) => this.ctx.log.info({ button: button.input, level: button.level, ...(r.ok ? { ok: true, already: r.already } : { refused: r.reason }) }, 'button rating'))
            .catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message }, 'button rating failed'));
        }),
      );
    }
    this.cleanups.push(this.desk.cases.on((c) => (this.held ? undefined : c.open ? this.startBlinking() : this.show(c.level))));
    this.showDesk();
  }

  /** For a manual test: stops rating and blinking until the returned function gives them back. */
  hold(): () => void {
    this.held = true;
    this.ctx.timers.clearInterval(this.blink);
    this.blink = undefined;
    return () => {
      this.held = false;
      this.showDesk();
    };
  }

  /** Lights exactly the LEDs `on` says (a manual test while held); resolves when every write is done. */
  async light(on: (level: RatingLevel) => boolean): Promise<void> {
    await Promise.all(this.config.leds.map((led) => this.ctx.hal.output(led.output).write(on(led.level))));
  }

  private showDesk(): void {
    if (this.desk.openCaseId !== undefined) this.startBlinking();
    else this.show(undefined);
  }

  stop(): void {
    this.ctx.timers.clearInterval(this.blink);
    for (const c of this.cleanups.splice(0)) c();
  }

  private startBlinking(): void {
    if (this.blink !== undefined || this.config.leds.length === 0) return;
    this.phase = true;
    this.writeAll(() => true);
    this.blink = this.ctx.timers.setInterval(() => {
      this.phase = !this.phase;
      this.writeAll(() => this.phase);
    }, this.config.blinkMs);
  }

  /** Steady: only `level` lit (none when undefined). */
  private show(level: RatingLevel | undefined): void {
    this.ctx.timers.clearInterval(this.blink);
    this.blink = undefined;
    this.writeAll((l) => l === level);
  }

  private writeAll(on: (level: RatingLevel) => boolean): void {
    for (const led of this.config.leds) {
      void this.ctx.hal
        .output(led.output)
        .write(on(led.level))
        .catch((err: unknown) => this.ctx.log.warn({ led: led.output, err: (err as Error).message }, 'evaluator LED write failed'));
    }
  }
}
