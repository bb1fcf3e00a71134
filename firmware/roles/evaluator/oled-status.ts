// The evaluator's state on its small OLED (config `display`): redrawn on every change of the
// desk's view, the same view the touch page shows. A display that stops answering is logged
// once and tried again at the next change; the buttons keep rating meanwhile.
import type { MonoDisplay } from '../../../drivers/hal/types.js';
import type { EvaluatorContract } from '../../../protocol/evaluator.js';
import type { RoleContext } from '../role-module.js';
import { oledScreen } from './oled-screens.js';
import type { EvaluatorView } from './page/evaluator-view.js';
import type { RatingDesk } from './rating-desk.js';

export class OledStatus {
  private display: MonoDisplay | undefined;
  private off: (() => void) | undefined;
  private fault: string | null = null;
  private stopped = false;
  /** Draws in call order: one that waited (open, font) never overwrites a newer screen. */
  private drawing = 0;

  constructor(
    private readonly ctx: RoleContext<EvaluatorContract>,
    readonly part: string,
    private readonly desk: RatingDesk,
  ) {}

  async start(): Promise<void> {
    this.off = this.desk.onView((view) => void this.draw(view));
    await this.draw(this.desk.view());
  }

  stop(): void {
    this.stopped = true;
    this.off?.();
  }

  /** The display, opened on first use (the interactive test draws on it directly). */
  async open(): Promise<MonoDisplay> {
    this.display ??= await this.ctx.hal.display(this.part);
    return this.display;
  }

  /** Draws the desk's current screen again (after a test pattern). */
  redraw(): Promise<void> {
    return this.draw(this.desk.view());
  }

  /** Does the display answer right now. */
  async check(): Promise<{ ok: boolean; detail: string }> {
    try {
      await (await this.open()).probe();
      return { ok: true, detail: `${this.part} answers${this.fault ? ` (last fault: ${this.fault})` : ''}` };
    } catch (err) {
      return { ok: false, detail: `${this.part}: ${(err as Error).message}` };
    }
  }

  private async draw(view: EvaluatorView): Promise<void> {
    if (this.stopped) return;
    const mine = ++this.drawing;
    try {
      const display = await this.open();
      if (mine !== this.drawing) return;
      await display.text(oledScreen(view, display.height));
      if (this.fault !== null) this.ctx.log.info({ display: this.part }, 'evaluator display answers again');
      this.fault = null;
    } catch (err) {
      const message = (err as Error).message;
      if (this.fault === null) this.ctx.log.warn({ display: this.part, err: message }, 'evaluator display not updated');
      this.fault = message;
    }
  }
}
