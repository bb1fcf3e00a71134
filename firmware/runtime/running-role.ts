// A role as the runtime holds it once started: its manifest, its instance and the section it
// runs with; and which roles a config starts, with what section.
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import type { Role } from '../../protocol/topics.js';
import type { DeviceConfig } from '../config/schema.js';
import type { RoleInstance, RoleModule } from '../roles/role-module.js';

export interface RunningRole {
  module: RoleModule;
  instance: RoleInstance;
  config: unknown;
}

/** `sys` first (every device runs it), then the config's roles in the file's order. */
export function runningRoles(config: DeviceConfig): Role[] {
  const configured = Object.keys(config.roles) as Role[];
  return ['sys' as Role, ...configured.filter((r) => r !== 'sys')];
}

export function sectionWithDefaults(schema: TSchema, raw: unknown): unknown {
  return Value.Default(schema, structuredClone(raw ?? {}));
}
