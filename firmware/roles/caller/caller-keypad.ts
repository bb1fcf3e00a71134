// The staff keypad: one debounced input per key (GPIO buttons or expander lines; the HAL
// debounces). Each press is one evt/caller/key with the window, and the window panel
// acknowledges it for a moment ("下一位"); what follows (a call) is the server's decision.
import { CALLER_KEYS, type CallerContract, type CallerKey } from '../../../protocol/caller.js';
import type { RoleContext } from '../role-module.js';
import type { CallerDisplayModel } from './caller-display-model.js';
import type { CallerConfig } from './config.js';

export const KEY_LABELS: Record<CallerConfig['lang'], Record<CallerKey, string>> = {
  zh: { next: '下一位', recall: '重呼', pause: '暂停', transfer: '转移', 'no-show': '过号' },
  en: { next: 'Next', recall: 'Recall', pause: 'Pause', transfer: 'Transfer', 'no-show': 'No-show' },
};

export class CallerKeypad {
  private readonly cleanups: (() => void)[] = [];
  private readonly listeners = new Set<(key: CallerKey) => void>();

  constructor(
    private readonly ctx: RoleContext<CallerContract>,
    private readonly config: CallerConfig,
    private readonly board: CallerDisplayModel,
  ) {}

  start(): void {
    for (const key of CALLER_KEYS) {
      const input = this.config.keys[key];
      if (input === undefined) continue;
      this.cleanups.push(this.ctx.hal.input(input).onChange((active) => active && this.press(key)));
    }
  }

  /** Keys with an input. */
  keys(): CallerKey[] {
    return CALLER_KEYS.filter((k) => this.config.keys[k] !== undefined);
  }

  onPress(listener: (key: CallerKey) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    for (const c of this.cleanups.splice(0)) c();
  }

  private press(key: CallerKey): void {
    this.board.showFeedback(KEY_LABELS[this.config.lang][key], this.config.feedbackMs);
    this.ctx.log.info({ key, window: this.config.window }, 'keypad press');
    void this.ctx.link.emit('key', { key, window: this.config.window }).catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message, key }, 'key event not recorded'));
    for (const l of this.listeners) l(key);
  }
}
