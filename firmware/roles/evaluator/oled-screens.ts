// What a button evaluator's small OLED says for each screen of the desk: who serves at the
// window, the five levels while a rating is requested, thanks, 暂停服务. Lines of the 12 px
// font: 5 fit on a 128x64 glass, 2 on a 128x32 one, so the short layout comes first.
import { LEVEL_NAMES } from '../../../protocol/evaluator.js';
import type { MonoTextLine } from '../../../drivers/hal/types.js';
import type { EvaluatorView } from './page/evaluator-view.js';

const level = (l: 1 | 2 | 3 | 4 | 5): string => `${l} ${LEVEL_NAMES[l]}`;

export function oledScreen(view: EvaluatorView, height: number): MonoTextLine[] {
  const tall = height >= 64;
  switch (view.screen) {
    case 'paused':
      return [{ text: '暂停服务', align: 'center', inverse: true }, { text: view.pausedReason || 'Service paused', align: 'center' }];
    case 'thanks': {
      const thanks = view.thanks;
      const lines: MonoTextLine[] = [{ text: '感谢您的评价', align: 'center', inverse: true }, { text: thanks ? `${thanks.level} ${thanks.name}` : '', align: 'center' }];
      return tall ? [...lines, { text: '' }, { text: 'Thank you', align: 'center' }] : lines;
    }
    case 'rating': {
      const c = view.case;
      const head: MonoTextLine = { text: `请评价 ${c?.ticket ?? c?.caseId ?? ''}`.trim(), inverse: true };
      if (!tall) return [head, { text: '5非常满意 1非常不满意' }];
      return [head, { columns: [level(5), level(4)] }, { columns: [level(3), level(2)] }, { text: level(1) }, { text: c?.matterName ?? '' }];
    }
    case 'idle': {
      const s = view.staff;
      if (!s) return [{ text: '欢迎光临', align: 'center', inverse: true }, { text: 'Welcome', align: 'center' }];
      const head: MonoTextLine = { text: s.window, align: 'center', inverse: true };
      const who: MonoTextLine = { text: `${s.name} 工号${s.number}` };
      if (!tall) return [head, who];
      return [head, who, ...s.matters.slice(0, 2).map((m) => ({ text: m })), { text: view.online ? '' : '离线 offline', align: 'right' }];
    }
  }
}
