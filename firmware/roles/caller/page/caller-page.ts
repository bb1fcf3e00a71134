// The hall TV page: the hall layout (current call, last N calls, notice) as HTML for a Chromium
// kiosk on the hall TV's HDMI, a plug-in of the shared page server fed by the same CallerDisplayModel
// as the LED panels.
//
//   GET /api/view     CallerView as JSON
//   GET /api/events   Server-Sent Events: `view` on connect and on every change
import { fileURLToPath } from 'node:url';
import type { Timers } from '../../../../drivers/clock/timers.js';
import type { Logger } from '../../../log.js';
import { PageServerError } from '../../../pages/page-errors.js';
import { startPageServer, type PageServer } from '../../../pages/page-server.js';
import { findPackageDir } from '../../../pages/static-files.js';
import type { CallerDisplayModel } from '../caller-display-model.js';
import type { CallRecord } from '../caller-store.js';

export const PUBLIC_DIR_IN_PACKAGE = 'firmware/roles/caller/page/public';

/**
 * What the TV page receives (GET /api/view, SSE `view`). The shape only grows: fields are added,
 * never renamed or removed, so a page written for an older view keeps working.
 * - `current`: the call being announced now (the screens follow the voice), null before any.
 * - `last`: the calls already announced, newest first; `last[0]` is `current` (a page that
 *   shows `current` large should list `last` from index 1 so it is not repeated).
 * - `next`: calls made but still waiting for their announcement, in the order they will be heard.
 * - `hallName`: the hall's name (caller config `hallName`).
 * - `timeZone`: the hall's IANA time zone (device config `timeZone`): the page's clock shows
 *   this zone's time, whatever the TV's own zone (format with Intl.DateTimeFormat's timeZone).
 * - `now`: the device's epoch ms when the view was made, so a page can correct a TV whose clock is off.
 */
export interface CallerView {
  rev: number;
  lang: 'zh' | 'en';
  window: string;
  current: { ticket: string; window: string; priority: boolean } | null;
  last: { ticket: string; window: string; priority: boolean }[];
  next: { ticket: string; window: string; priority: boolean }[];
  notice: string | null;
  paused: boolean;
  mode: 'voice' | 'silent';
  hallName: string;
  timeZone: string;
  now: number;
}

export interface CallerViewContext {
  rev: number;
  lang: 'zh' | 'en';
  window: string;
  hallName: string;
  timeZone: string;
  now: number;
}

export function callerView(board: CallerDisplayModel, c: CallerViewContext): CallerView {
  const v = board.view();
  const call = (r: CallRecord) => ({ ticket: r.ticket, window: r.window, priority: r.priority });
  return { rev: c.rev, lang: c.lang, window: c.window, current: v.current ? call(v.current) : null, last: v.history.map(call), next: v.next.map(call), notice: v.notice?.text ?? null, paused: v.paused, mode: v.mode, hallName: c.hallName, timeZone: c.timeZone, now: c.now };
}

export async function startCallerPage(options: { board: CallerDisplayModel; view: () => CallerView; timers: Timers; host: string; port: number; log: Logger; publicDir?: string; screenToken?: string }): Promise<PageServer> {
  const publicDir = options.publicDir ?? findPackageDir(PUBLIC_DIR_IN_PACKAGE, fileURLToPath(import.meta.url));
  if (publicDir === null) throw new PageServerError('NO_PUBLIC_DIR', `caller page not found: no ${PUBLIC_DIR_IN_PACKAGE}/index.html in the halld package`);
  return startPageServer({
    plugin: {
      name: 'caller',
      publicDir,
      reads: { view: options.view },
      events: (send) => {
        const off = options.board.onChange(() => send('view', options.view()));
        send('view', options.view());
        return off;
      },
    },
    timers: options.timers,
    host: options.host,
    port: options.port,
    log: options.log,
    ...(options.screenToken !== undefined ? { screenToken: options.screenToken } : {}),
  });
}
