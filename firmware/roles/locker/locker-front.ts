// What faces the citizen: the touch page on the shared page server, the QR scanner, the
// keypad and the ID-card reader. All only call the pickup desk; a page that cannot be served or a scanner that cannot be opened
// is logged and shown in the state, and the cabinet goes on (signed opens still work).
import type { LockerContract } from '../../../protocol/locker.js';
import type { PageServer } from '../../pages/page-server.js';
import type { RoleContext } from '../role-module.js';
import type { Cabinet } from './cabinet.js';
import type { PickupShown } from './code-result.js';
import type { LockerConfig } from './config.js';
import { startLockerPage } from './page/locker-page.js';
import type { PickupDesk } from './pickup-desk.js';
import { PickupKeypad } from './pickup-keypad.js';

export interface LockerFront {
  page: PageServer | undefined;
  stop(): Promise<void>;
}

export async function startLockerFront(ctx: RoleContext<LockerContract>, config: LockerConfig, cabinet: Cabinet, desk: PickupDesk): Promise<LockerFront> {
  /** A scanned code's or a card's pickup: logged (door or reason, nothing of the card) and shown on the page. */
  const settlePickup = (via: PickupShown['via'], attempt: Promise<PickupShown['result']>, done: string, failed: string): void => {
    attempt.then(
      (r) => {
        ctx.log.info({ ok: r.ok, ...(r.ok ? { door: r.door } : { reason: r.reason }) }, done);
        cabinet.showPickup(via, r);
      },
      (err: unknown) => ctx.log.error({ err: (err as Error).message }, failed),
    );
  };
  let offScan: (() => void) | undefined;
  if (config.scanner !== undefined) {
    try {
      const scanner = await ctx.hal.scanner(config.scanner);
      offScan = scanner.onScan((code) => {
        settlePickup('scan', desk.enterCode(code, 'scan'), 'pickup code scanned', 'scanned code failed');
      });
    } catch (err) {
      ctx.log.error({ err: (err as Error).message, scanner: config.scanner }, 'locker scanner not opened; codes can still be typed');
    }
  }
  let offCard: (() => void) | undefined;
  if (config.idCardReader !== undefined) {
    try {
      const reader = await ctx.hal.idCardReader(config.idCardReader);
      offCard = reader.onCard((event) => {
        // Only the number is used, to hash it; the card and its read are dropped here and never logged.
        if (event.kind !== 'read') {
          ctx.log.info({ reader: config.idCardReader, code: event.code }, 'ID card not readable at the cabinet');
          return cabinet.showPickup('id-card', { ok: false, reason: 'card-unreadable' });
        }
        settlePickup('id-card', desk.enterCard(event.card.number), 'ID card pickup', 'ID card pickup failed');
      });
    } catch (err) {
      ctx.log.error({ err: (err as Error).message, reader: config.idCardReader }, 'locker ID-card reader not opened; codes still work');
    }
  }
  const keypad = config.keypad !== undefined ? new PickupKeypad(ctx, config.keypad, cabinet, desk) : undefined;
  keypad?.start();
  const page = config.page.enabled
    ? await startLockerPage({ ctx, cabinet, desk, host: config.page.host, port: config.page.port }).catch((err: unknown) => {
        ctx.log.error({ err: (err as Error).message, port: config.page.port }, 'locker page not served');
        return undefined;
      })
    : undefined;
  cabinet.pageUrl = page?.url ?? null;
  return {
    page,
    async stop() {
      offScan?.();
      offCard?.();
      keypad?.stop();
      cabinet.pageUrl = null;
      await page?.close();
    },
  };
}
