// The ticket kiosk's touch page: a plug-in of the shared page server (firmware/pages/) that
// serves public/ and bridges the page to the role's KioskBackend.
//
//   GET  /api/view         KioskView as JSON
//   GET  /api/events       Server-Sent Events: `view` (on connect and on every change), `scan`
//   POST /api/take         {category: string, priority: boolean, phone?: string} → TakeResult
//   POST /api/checkin      {code: string} → TakeResult
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { Timers } from '../../../../drivers/clock/timers.js';
import type { Logger } from '../../../log.js';
import { badInput, PageServerError } from '../../../pages/page-errors.js';
import { DEFAULT_PAGE_LIMITS, type PageLimits } from '../../../pages/page-limits.js';
import { pageAction } from '../../../pages/page-actions.js';
import { startPageServer, type PageServer } from '../../../pages/page-server.js';
import { findPackageDir } from '../../../pages/static-files.js';
import type { KioskBackend, TakeResult } from './kiosk-types.js';
import { PHONE_PATTERN } from '../../../../protocol/ticket-printer.js';

/** Largest request body accepted (the page sends a few dozen bytes). */
export const MAX_BODY_BYTES = DEFAULT_PAGE_LIMITS.maxBodyBytes;
const MAX_CATEGORY_CHARS = 64;
const MAX_CODE_CHARS = 256;

/** Where the page's files live, relative to the package root. */
export const PUBLIC_DIR_IN_PACKAGE = 'firmware/roles/ticket-printer/kiosk/public';

/** The kiosk's server errors are the page server's (codes NO_PUBLIC_DIR, LISTEN, …). */
export { PageServerError as KioskServerError };
export type KioskServer = PageServer;

export interface KioskServerOptions {
  backend: KioskBackend;
  timers: Timers;
  /** Address to bind; the page is for the board's own browser, so loopback by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  log?: Logger;
  /** Serve the page from here instead of the package's own public/ folder. */
  publicDir?: string;
  /** Keep-alive comment interval of the event stream (tests shorten it). */
  keepAliveMs?: number;
  limits?: Partial<PageLimits>;
  /** The board's per-boot screen token: the screen's browser gets an event-stream pool of its own. */
  screenToken?: string;
}

/** The page's folder inside the installed package (see findPackageDir); null when not found. */
export function findPublicDir(from: string = fileURLToPath(import.meta.url)): string | null {
  return findPackageDir(PUBLIC_DIR_IN_PACKAGE, from);
}

const TakeInput = Type.Object({
  category: Type.String({ minLength: 1, maxLength: MAX_CATEGORY_CHARS, description: `a category id (a string of 1 to ${MAX_CATEGORY_CHARS} characters)` }),
  priority: Type.Boolean({ description: 'true or false' }),
  phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN, description: 'a mobile number of 11 digits starting 13 to 19' })),
});

const CheckInInput = Type.Object({ code: Type.String({ description: 'a string' }) });

/** A typed code as the backend wants it: trimmed, non-empty, bounded, printable. */
function appointmentCode(code: string): string {
  const trimmed = code.trim();
  if (trimmed === '') throw badInput('field code is empty');
  if (trimmed.length > MAX_CODE_CHARS) throw badInput(`field code: at most ${MAX_CODE_CHARS} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw badInput('field code: control characters are not allowed');
  return trimmed;
}

/** What the log says of an answer: the number, or why not (never the appointment code). */
function outcome(result: unknown): Record<string, unknown> {
  const r = result as TakeResult;
  return r.ok ? { ok: true, number: r.ticket.number } : { ok: false, reason: r.reason };
}

export async function startKioskServer(options: KioskServerOptions): Promise<KioskServer> {
  const { backend } = options;
  const publicDir = options.publicDir ?? findPublicDir();
  if (publicDir === null) {
    throw new PageServerError(
      'NO_PUBLIC_DIR',
      `kiosk page not found: no ${PUBLIC_DIR_IN_PACKAGE}/index.html in the halld package above ${dirname(fileURLToPath(import.meta.url))}`,
    );
  }
  return startPageServer({
    plugin: {
      name: 'kiosk',
      publicDir,
      reads: { view: () => backend.view() },
      events: (send) => {
        const offView = backend.onViewChange((view) => send('view', view));
        const offScan = backend.onScan((scan) => send('scan', scan));
        send('view', backend.view());
        return () => {
          offView();
          offScan();
        };
      },
      actions: {
        take: pageAction(
          TakeInput,
          (input): Promise<TakeResult> => backend.take({ category: input.category, priority: input.priority, ...(input.phone !== undefined ? { phone: input.phone } : {}) }),
          // The phone number is personal information: the log says only that one came.
          (input, result) => ({ category: input.category, priority: input.priority, sms: input.phone !== undefined, ...outcome(result) }),
        ),
        checkin: pageAction(CheckInInput, async (input): Promise<TakeResult> => backend.checkIn(appointmentCode(input.code)), (_input, result) => outcome(result)),
      },
    },
    timers: options.timers,
    host: options.host,
    port: options.port,
    log: options.log,
    keepAliveMs: options.keepAliveMs,
    limits: options.limits,
    ...(options.screenToken !== undefined ? { screenToken: options.screenToken } : {}),
  });
}
