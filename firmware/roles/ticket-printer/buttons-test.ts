// The kiosk's interactive button test (`halld diag --interactive`): the technician is asked to
// press each configured category button in turn; a press on another button fails the test at
// once (two buttons wired or labelled the wrong way round print the wrong category's numbers
// all day). While it runs, presses take no tickets.
import type { SelfTestResult } from '../../../drivers/hal/types.js';
import type { ManualTestContext } from '../role-module.js';
import type { TicketKiosk } from './ticket-kiosk.js';

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}

export async function buttonsTest(kiosk: TicketKiosk, ctx: ManualTestContext): Promise<SelfTestResult> {
  const buttons = kiosk.config.buttons;
  if (buttons.length === 0) return { name: 'buttons', ok: true, skipped: true, detail: 'no physical buttons configured (ticket-printer.buttons is empty)' };
  const pressed: string[] = [];
  let wake: (() => void) | undefined;
  const release = kiosk.captureButtons((input) => {
    pressed.push(input);
    wake?.();
  });
  const nextPress = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const take = () => {
        const input = pressed.shift();
        if (input === undefined) return false;
        wake = undefined;
        ctx.signal.removeEventListener('abort', onAbort);
        resolve(input);
        return true;
      };
      const onAbort = () => {
        wake = undefined;
        reject(abortError(ctx.signal));
      };
      if (ctx.signal.aborted) return onAbort();
      if (take()) return;
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      wake = () => void take();
    });
  try {
    for (const [i, button] of buttons.entries()) {
      const category = kiosk.config.categories.find((c) => c.id === button.category);
      const label = `${category?.name ?? button.category} (${button.category}${button.priority ? ', green channel' : ''})`;
      pressed.length = 0; // only a press after the prompt answers it
      ctx.prompt(`press the button for ${label}: input ${button.input}, ${i + 1} of ${buttons.length}`);
      const input = await nextPress();
      if (input !== button.input) {
        const other = buttons.find((b) => b.input === input);
        return {
          name: 'buttons',
          ok: false,
          detail: `asked for the button for ${label} (input ${button.input}) but input ${input}${other ? ` (the button for ${other.category})` : ''} was pressed: wired or labelled the wrong way round?`,
          data: { expected: button.input, pressed: input },
        };
      }
    }
    return { name: 'buttons', ok: true, detail: `${buttons.length} button(s) pressed in turn, each on its own input: ${buttons.map((b) => `${b.input}→${b.category}`).join(', ')}` };
  } finally {
    release();
  }
}
