// The device config file: one JSON file per device. This TypeBox schema is the single
// source for the TypeScript type, the defaults, validation and the exported JSON Schema
// (`halld config schema`). Role sections come from each role's manifest; every one of them is
// loaded here, so `halld run` checks a file against file-schema.ts and the manifests of the
// roles it names instead (load.ts).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ROLE_MODULES } from '../roles/index.js';
import { configSchemaWith } from './config-shape.js';

export { BrokerSchema } from './config-shape.js';

function roleSections(): Record<string, TSchema> {
  const sections: Record<string, TSchema> = {};
  for (const m of ROLE_MODULES) sections[m.role] = Type.Optional(m.configSchema);
  return sections;
}

export const ConfigSchema = configSchemaWith(roleSections());

export type DeviceConfig = Static<typeof ConfigSchema>;
