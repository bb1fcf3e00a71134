// The retained desired config pushed by the hall server (`…/config`): its `data.roles`
// sections replace this device's, all or nothing. Every section is checked (schema, then the
// role's own checkConfig) before any role changes; a role that fails to apply puts the ones
// already changed back, so the device always runs one coherent config; only then is it stored.
import { Value } from '@sinclair/typebox/value';
import { validate } from '../../protocol/validate.js';
import type { Role } from '../../protocol/topics.js';
import type { ConfigVerdict } from '../link/device-link.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../log.js';
import type { RunningRole } from './running-role.js';

export async function applyRoleConfig(roles: ReadonlyMap<Role, RunningRole>, store: Store, log: Logger, rev: number, data: Record<string, unknown>): Promise<ConfigVerdict> {
  const sections = data['roles'];
  if (typeof sections !== 'object' || sections === null || Array.isArray(sections)) return { ok: false, reasons: ['/data/roles: expected an object with one section per role'] };
  const reasons: string[] = [];
  const next = new Map<Role, unknown>();
  for (const [name, raw] of Object.entries(sections as Record<string, unknown>)) {
    const running = roles.get(name as Role);
    if (!running) {
      reasons.push(`/data/roles/${name}: this device does not run role ${name} (it runs ${[...roles.keys()].join(', ')})`);
      continue;
    }
    const section = Value.Default(running.module.configSchema, structuredClone(raw));
    const check = validate(running.module.configSchema, section);
    if (!check.ok) {
      reasons.push(...check.errors.map((e) => `/data/roles/${name}${e}`));
      continue;
    }
    const refused = (await running.instance.checkConfig?.(section)) ?? [];
    reasons.push(...refused.map((r) => `/data/roles/${name}: ${r}`));
    next.set(name as Role, section);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  for (const [name] of next) if (!roles.get(name)?.instance.reconfigure) reasons.push(`/data/roles/${name}: role ${name} cannot be reconfigured while running`);
  if (reasons.length > 0) return { ok: false, reasons };

  const applied: Role[] = [];
  try {
    for (const [name, section] of next) {
      const running = roles.get(name) as RunningRole;
      await running.instance.reconfigure?.(section);
      applied.push(name);
    }
  } catch (err) {
    // Put back what was already changed, so the device runs one coherent config.
    for (const name of applied.reverse()) {
      const running = roles.get(name) as RunningRole;
      await running.instance.reconfigure?.(running.config).catch(() => undefined);
    }
    return { ok: false, reasons: [`applying failed, previous config kept: ${(err as Error).message}`] };
  }
  const stored: Record<string, unknown> = {};
  for (const [name, running] of roles) stored[name] = next.get(name) ?? running.config;
  await store.commit([
    store.setMetaStatement('config.rev', String(rev)),
    store.setMetaStatement('config.roles', JSON.stringify(stored)),
    store.auditStatement('config.applied', { rev }),
  ]);
  for (const [name, section] of next) (roles.get(name) as RunningRole).config = section;
  log.info({ rev, roles: [...next.keys()] }, 'config applied');
  return { ok: true };
}

/** The config last applied from the server (rev and sections), or undefined: the file's sections rule. */
export async function loadAppliedConfig(store: Store): Promise<{ rev: number; roles: Record<string, unknown> } | undefined> {
  const rev = await store.getMeta('config.rev');
  const roles = await store.getMeta('config.roles');
  if (!rev || !roles) return undefined;
  return { rev: Number(rev), roles: JSON.parse(roles) as Record<string, unknown> };
}
