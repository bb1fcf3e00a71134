// The caller role (LED 叫号): cmds `call`, `recall`, `notice` (also hall-wide), `clear`, `mode`,
// `brightness`, `pause`; evts `key`, `announced`, `panel.fault`, `panel.ok`. The manifest is all
// a device without the role loads; the implementation is imported on start.
import { callerContract } from '../../../protocol/caller.js';
import { defineRole } from '../role-module.js';
import { CallerConfigSchema } from './config.js';
import { CALLER_MIGRATIONS } from './caller-store.js';
import { callerSectionProblems } from './section-problems.js';

export const callerRole = defineRole({
  role: 'caller',
  contract: callerContract,
  configSchema: CallerConfigSchema,
  migrations: CALLER_MIGRATIONS,
  sectionProblems: callerSectionProblems,
  pages: (section) => [{ pointer: '/page', what: 'the hall TV page', ...section.page }],
  async start(ctx, initial) {
    const problems = callerSectionProblems(initial, ctx.hal.describe());
    if (problems.length > 0) throw new Error(`roles.caller: ${problems.join('; ')}`);
    const { startCaller } = await import('./caller-instance.js');
    return startCaller(ctx, initial);
  },
});
