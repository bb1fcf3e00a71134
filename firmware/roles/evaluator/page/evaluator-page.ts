// The evaluator's touch page: a plug-in of the shared page server (firmware/pages/).
//
//   GET  /api/view     EvaluatorView as JSON
//   GET  /api/events   Server-Sent Events: `view` on connect and on every change
//   POST /api/rate     {caseId, level, items} → RateResult
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { Timers } from '../../../../drivers/clock/timers.js';
import type { Logger } from '../../../log.js';
import { PageServerError } from '../../../pages/page-errors.js';
import { pageAction } from '../../../pages/page-actions.js';
import { startPageServer, type PageServer } from '../../../pages/page-server.js';
import { findPackageDir } from '../../../pages/static-files.js';
import { Level } from '../../../../protocol/evaluator.js';
import type { RatingDesk } from '../rating-desk.js';
import type { RateResult } from './evaluator-view.js';

export const PUBLIC_DIR_IN_PACKAGE = 'firmware/roles/evaluator/page/public';

const RateInput = Type.Object({
  caseId: Type.String({ minLength: 1, maxLength: 64, description: 'the case id shown (1 to 64 characters)' }),
  level: { ...Level, description: 'a level 1..5' },
  items: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 32, description: 'an array of item ids' }),
});

export async function startEvaluatorPage(options: { desk: RatingDesk; timers: Timers; host: string; port: number; log: Logger; publicDir?: string; screenToken?: string }): Promise<PageServer> {
  const { desk } = options;
  const publicDir = options.publicDir ?? findPackageDir(PUBLIC_DIR_IN_PACKAGE, fileURLToPath(import.meta.url));
  if (publicDir === null) throw new PageServerError('NO_PUBLIC_DIR', `evaluator page not found: no ${PUBLIC_DIR_IN_PACKAGE}/index.html in the halld package`);
  return startPageServer({
    plugin: {
      name: 'evaluator',
      publicDir,
      reads: { view: () => desk.view() },
      events: (send) => {
        const off = desk.onView((view) => send('view', view));
        send('view', desk.view());
        return off;
      },
      actions: {
        rate: pageAction(
          RateInput,
          (input): Promise<RateResult> => desk.rate(input.caseId, input.level, input.items),
          (input, result) => {
            const r = result as RateResult;
            return { caseId: input.caseId, level: input.level, ...(r.ok ? { ok: true, already: r.already } : { ok: false, reason: r.reason }) };
          },
        ),
      },
    },
    timers: options.timers,
    host: options.host,
    port: options.port,
    log: options.log,
    ...(options.screenToken !== undefined ? { screenToken: options.screenToken } : {}),
  });
}
