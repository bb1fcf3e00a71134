// The cabinet's touch page: a plug-in of the shared page server (firmware/pages/).
//
//   GET  /api/view      LockerView as JSON
//   GET  /api/events    Server-Sent Events: `view` on connect and on every change
//   POST /api/code      {code} → CodeResult (typed pickup code)
//   POST /api/drop-off  {size} → DropOffResult (a free door of that size opens)
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { DoorSize, LockerContract } from '../../../../protocol/locker.js';
import { Size } from '../../../../protocol/locker.js';
import { PageServerError } from '../../../pages/page-errors.js';
import { pageAction } from '../../../pages/page-actions.js';
import { startPageServer, type PageServer } from '../../../pages/page-server.js';
import { findPackageDir } from '../../../pages/static-files.js';
import type { RoleContext } from '../../role-module.js';
import type { Cabinet } from '../cabinet.js';
import type { CodeResult, PickupDesk } from '../pickup-desk.js';
import type { PickupShown } from '../code-result.js';

export const PUBLIC_DIR_IN_PACKAGE = 'firmware/roles/locker/page/public';

export interface LockerView {
  free: Record<DoorSize, number>;
  lockedOutUntil: number | null;
  /**
   * How long code entry stays locked, measured on the device's clock when the view was made
   * (null: not locked). The page counts it down on its own clock, so a browser whose clock is
   * not the device's still shows the right time left.
   */
  lockoutLeftMs: number | null;
  offline: boolean;
  /** The last drop-off closed (door and receipt), so the page can show the receipt. */
  lastDropOff: { door: number; receiptCode: string } | null;
  /** A drop-off door open now, waiting for the citizen to close it. */
  openDropOff: { door: number } | null;
  /** The physical keypad: what it has typed, masked, and the result of its last code; null without one. */
  keypad: { typed: string; last: CodeResult | null } | null;
  /** The last pickup tried at the cabinet (keypad, scanner, ID card): its door or why not. */
  pickup: PickupShown | null;
}

function view(ctx: RoleContext<LockerContract>, cabinet: Cabinet, desk: PickupDesk): LockerView {
  const open = [...cabinet.doors.values()].find((d) => d.dropOff !== undefined && d.open === true);
  const now = ctx.clock.bestGuess();
  const locked = cabinet.lockoutUntil > now;
  return {
    free: desk.freeDoors(),
    lockedOutUntil: locked ? cabinet.lockoutUntil : null,
    lockoutLeftMs: locked ? cabinet.lockoutUntil - now : null,
    offline: !ctx.link.connected,
    lastDropOff: desk.lastDropOff ?? null,
    openDropOff: open ? { door: open.door } : null,
    keypad: cabinet.keypad ? { typed: '•'.repeat(cabinet.keypad.typed), last: cabinet.keypad.last } : null,
    pickup: cabinet.lastPickup,
  };
}

export async function startLockerPage(o: { ctx: RoleContext<LockerContract>; cabinet: Cabinet; desk: PickupDesk; host: string; port: number; publicDir?: string }): Promise<PageServer> {
  const { ctx, cabinet, desk } = o;
  const publicDir = o.publicDir ?? findPackageDir(PUBLIC_DIR_IN_PACKAGE, fileURLToPath(import.meta.url));
  if (publicDir === null) throw new PageServerError('NO_PUBLIC_DIR', `locker page not found: no ${PUBLIC_DIR_IN_PACKAGE}/index.html in the halld package`);
  return startPageServer({
    plugin: {
      name: 'locker',
      publicDir,
      reads: { view: () => view(ctx, cabinet, desk) },
      events: (send) => {
        const offCabinet = cabinet.onChange(() => send('view', view(ctx, cabinet, desk)));
        const offLink = ctx.link.onConnectionChange(() => send('view', view(ctx, cabinet, desk)));
        send('view', view(ctx, cabinet, desk));
        return () => {
          offCabinet();
          offLink();
        };
      },
      actions: {
        code: pageAction(
          Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, description: 'the pickup code (1 to 64 characters)' }) }),
          (input): Promise<CodeResult> => desk.enterCode(input.code, 'code'),
          // Never log the code itself.
          (_input, result) => {
            const r = result as CodeResult;
            return r.ok ? { ok: true, door: r.door } : { ok: false, reason: r.reason };
          },
        ),
        'drop-off': pageAction(Type.Object({ size: { ...Size, description: 'one of S, M, L, XL' } }), (input) => desk.dropOff(input.size)),
      },
    },
    timers: ctx.timers,
    host: o.host,
    port: o.port,
    log: ctx.log.child({ part: 'locker-page' }),
    screenToken: ctx.screenToken,
  });
}
