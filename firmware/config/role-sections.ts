// The `roles` sections of a config file, checked and defaulted against the manifests of the
// roles it names (file-schema.ts says why they are not in the file's schema). Every problem
// reads as the full schema (schema.ts) would say it: the same TypeBox errors, worded by
// schemaProblems, at the same pointer, in the order of the roles' properties.
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { DeviceConfig } from './schema.js';
import type { RoleModule } from '../roles/role-module.js';
import { isRoleName } from '../roles/load-role.js';
import { closedSchema } from './closed-schema.js';
import { schemaProblems, type ConfigProblem, type SchemaCheck } from './schema-problems.js';

/** Each role's section schema closed to unknown keys, as StrictConfigSchema closes it; checked without compiling (a section is small). */
const closed = new WeakMap<RoleModule, { schema: TSchema; check: SchemaCheck }>();

function closedSection(module: RoleModule): { schema: TSchema; check: SchemaCheck } {
  let entry = closed.get(module);
  if (!entry) {
    const schema = closedSchema(module.configSchema);
    entry = { schema, check: { Check: (v) => Value.Check(schema, v), Errors: (v) => Value.Errors(schema, v) } };
    closed.set(module, entry);
  }
  return entry;
}

/** The `roles` object of a config (parsed or checked), or undefined when it is not an object. */
export function sectionsOf(config: unknown): Record<string, unknown> | undefined {
  const roles = typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['roles'] : undefined;
  return typeof roles === 'object' && roles !== null && !Array.isArray(roles) ? (roles as Record<string, unknown>) : undefined;
}

/** Fills each role section's defaults, as TypeBox's Default over the full schema does (in place; returns `config`). */
export function withRoleDefaults(config: DeviceConfig, roles: readonly RoleModule[]): DeviceConfig {
  const sections = sectionsOf(config);
  if (!sections) return config;
  // Unknown names are the file schema's to refuse ("unknown key"); a known one needs its manifest.
  const missing = Object.keys(sections).find((r) => isRoleName(r) && !roles.some((m) => m.role === r));
  if (missing !== undefined) throw new Error(`config check: the manifest of role ${missing} was not loaded`);
  for (const module of roles) {
    const section: unknown = Value.Default(closedSection(module).schema, sections[module.role]);
    if (section !== undefined) sections[module.role] = section;
  }
  return config;
}

/** Problems inside the sections of the roles `roles` holds, at their /roles/<role> pointers. */
export function roleSectionProblems(config: DeviceConfig, original: unknown, roles: readonly RoleModule[]): ConfigProblem[] {
  const sections = sectionsOf(config);
  if (!sections) return [];
  const written = sectionsOf(original) ?? {};
  const problems: ConfigProblem[] = [];
  for (const module of roles) {
    const section = sections[module.role];
    if (section === undefined) continue;
    const { schema, check } = closedSection(module);
    const at = `/roles/${module.role}`;
    for (const p of schemaProblems(schema, section, written[module.role], check)) problems.push({ ...p, field: p.field === '' || p.field === '/' ? at : `${at}${p.field}` });
  }
  return problems;
}
