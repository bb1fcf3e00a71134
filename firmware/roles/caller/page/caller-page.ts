// The hall TV page: the hall layout (current call, last N calls, notice) as HTML for a Chromium
// kiosk on the hall TV's HDMI, a plug-in of the shared page server fed by the same CallerBoard
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
import type { CallerBoard } from '../caller-board.js';
import type { CallRecord } from '../caller-store.js';

export const PUBLIC_DIR_IN_PACKAGE = 'firmware/roles/caller/page/public';

export interface CallerView {
  rev: number;
  lang: 'zh' | 'en';
  window: string;
  current: { ticket: string; window: string; priority: boolean } | null;
  last: { ticket: string; window: string; priority: boolean }[];
  notice: string | null;
  paused: boolean;
  mode: 'voice' | 'silent';
}

export function callerView(board: CallerBoard, rev: number, lang: 'zh' | 'en', window: string): CallerView {
  const v = board.view();
  const call = (c: CallRecord) => ({ ticket: c.ticket, window: c.window, priority: c.priority });
  return { rev, lang, window, current: v.current ? call(v.current) : null, last: v.history.map(call), notice: v.notice?.text ?? null, paused: v.paused, mode: v.mode };
}

export async function startCallerPage(options: { board: CallerBoard; view: () => CallerView; timers: Timers; host: string; port: number; log: Logger; publicDir?: string; screenToken?: string }): Promise<PageServer> {
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
