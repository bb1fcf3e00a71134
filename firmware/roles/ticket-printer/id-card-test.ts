// The kiosk's interactive ID-card reader test (`halld diag --interactive`): the SAM must answer
// its status command, then the technician lays a card on the reader and the test passes when
// the reader reads it (the number's GB 11643 check character holds). While it runs a card
// identifies nobody for a take. Nothing of the card is reported: the result says only that a
// card was read.
import type { IdCardEvent, SelfTestResult } from '../../../drivers/hal/types.js';
import type { ManualTestContext, RoleContext } from '../role-module.js';
import type { TicketKiosk } from './ticket-kiosk.js';

const NAME = 'id-card';

export async function idCardTest(kiosk: TicketKiosk, hal: RoleContext['hal'], ctx: ManualTestContext): Promise<SelfTestResult> {
  const readerName = kiosk.config.idCardReader;
  if (readerName === undefined) return { name: NAME, ok: true, skipped: true, detail: 'no ID-card reader configured (ticket-printer.idCardReader)' };
  const reader = await hal.idCardReader(readerName);
  const sam = await reader.samStatus();
  if (!sam.ok) return { name: NAME, ok: false, detail: `reader ${readerName}: the SAM did not answer its status command: ${sam.code}: ${sam.message}` };
  if (!sam.value.ready) return { name: NAME, ok: false, detail: `reader ${readerName}: SAM status 0x${sam.value.sw3.toString(16).padStart(2, '0')}: ${sam.value.meaning}` };
  let onEvent: ((event: IdCardEvent) => void) | undefined;
  const release = kiosk.identity.captureCards((event) => onEvent?.(event));
  try {
    ctx.prompt(`place an ID card on reader ${readerName} (take it off first if it is lying there)`);
    const event = await new Promise<IdCardEvent>((resolve, reject) => {
      const onAbort = () => {
        const reason: unknown = ctx.signal.reason;
        reject(reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted'));
      };
      if (ctx.signal.aborted) return onAbort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      onEvent = (e) => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve(e);
      };
    });
    if (event.kind === 'read') return { name: NAME, ok: true, detail: `reader ${readerName}: SAM ready, a card was read and its number passed the GB 11643 check (nothing of it is kept)` };
    return { name: NAME, ok: false, detail: `reader ${readerName}: a card was found but not read (${event.code}: ${event.detail}); try another card, then check the reader's antenna and cable`, data: { code: event.code } };
  } finally {
    release();
  }
}
