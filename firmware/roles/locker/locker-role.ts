// The locker role (智能存储柜): cmds `open`, `deposit`, `revoke`, `disable`, `enable` (all signed);
// evts door.*, item.*, code.*, board.*. The manifest is all a device without the role loads;
// the implementation is imported on start.
import { lockerContract } from '../../../protocol/locker.js';
import { defineRole } from '../role-module.js';
import { LockerConfigSchema } from './config.js';
import { LOCKER_MIGRATIONS } from './locker-store.js';
import { lockerSectionProblems } from './section-problems.js';

export const lockerRole = defineRole({
  role: 'locker',
  contract: lockerContract,
  configSchema: LockerConfigSchema,
  migrations: LOCKER_MIGRATIONS,
  sectionProblems: lockerSectionProblems,
  pages: (section) => [{ pointer: '/page', what: "the cabinet's touch page", ...section.page }],
  async start(ctx, initial) {
    const problems = lockerSectionProblems(initial, ctx.hal.describe());
    if (problems.length > 0) throw new Error(`roles.locker: ${problems.join('; ')}`);
    const { startLocker } = await import('./locker-instance.js');
    return startLocker(ctx, initial);
  },
});
