// `npm run bench`: every benchmark, each printing its figure, a floor from the same run and the ratio.
import { benchPing } from './ping-rtt.js';
import { benchOutbox } from './outbox-rate.js';
import { benchStartup } from './startup.js';
import { benchTicketPress } from './ticket-press.js';
import { benchMatrixRender } from './matrix-render.js';
import { benchEvaluatorTap } from './evaluator-tap.js';
import { benchCallerCall } from './caller-call.js';
import { benchOledFrame } from './oled-frame.js';
import { benchLockerOpen } from './locker-open.js';
import { benchRelease } from './release-startup.js';
import { benchUpdate } from './update-downtime.js';

const only = process.argv.slice(2);
const all: [string, () => Promise<void>][] = [
  ['ping', benchPing],
  ['outbox', benchOutbox],
  ['startup', benchStartup],
  ['ticket', benchTicketPress],
  ['matrix', benchMatrixRender],
  ['evaluator', benchEvaluatorTap],
  ['caller', benchCallerCall],
  ['oled', benchOledFrame],
  ['locker', benchLockerOpen],
  ['release', benchRelease],
  ['update', benchUpdate],
];
for (const [name, fn] of all) {
  if (only.length > 0 && !only.includes(name)) continue;
  await fn();
}
