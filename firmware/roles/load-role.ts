// Each role's manifest (config schema, contract, migrations) as its own chunk, imported when a
// config names the role: a board loads the manifests of the roles it runs, not all five
// (docs/performance.md, "Start and memory"). index.ts's ROLE_MODULES still holds every one,
// for what needs them all (`halld config schema`, the update's schema gate, the demo).
import type { Role } from '../../protocol/topics.js';
import type { RoleModule } from './role-module.js';
import { sysRole } from './sys/sys-role.js';

/** Every role, in ROLE_MODULES' order: the order of the config file's `roles` section. */
export const ROLE_NAMES = ['sys', 'ticket-printer', 'evaluator', 'caller', 'locker'] as const satisfies readonly Role[];

// Each module is typed by its own config schema; the runtime handles them by the common shape.
const MANIFESTS: Record<Role, () => Promise<RoleModule>> = {
  // Every device runs sys: nothing to wait for.
  sys: async () => sysRole as unknown as RoleModule,
  'ticket-printer': async () => (await import('./ticket-printer/ticket-printer-role.js')).ticketPrinterRole as unknown as RoleModule,
  evaluator: async () => (await import('./evaluator/evaluator-role.js')).evaluatorRole as unknown as RoleModule,
  caller: async () => (await import('./caller/caller-role.js')).callerRole as unknown as RoleModule,
  locker: async () => (await import('./locker/locker-role.js')).lockerRole as unknown as RoleModule,
};

export function isRoleName(name: string): name is Role {
  return Object.hasOwn(MANIFESTS, name);
}

export function loadRoleModule(role: Role): Promise<RoleModule> {
  return MANIFESTS[role]();
}

/** The manifests of the roles among `names` (unknown names are skipped), in ROLE_NAMES' order. */
export async function loadRoleModules(names: Iterable<string>): Promise<RoleModule[]> {
  const wanted = new Set(names);
  return Promise.all(ROLE_NAMES.filter((r) => wanted.has(r)).map(loadRoleModule));
}
