// The config file's schema as `halld run` checks it first: every section, but each role's
// section a stand-in that accepts anything. The loader then checks the sections the file
// names against the schemas of those roles' manifests, loaded for them (load.ts), so a board
// loads the manifests of the roles it runs only. The role names stay properties, so an
// unknown role is refused with the same words and the same guesses as by the full schema.
import { Type, type TSchema } from '@sinclair/typebox';
import { ROLE_NAMES } from '../roles/load-role.js';
import { configSchemaWith } from './config-shape.js';
import { closedSchema } from './closed-schema.js';

function standIns(): Record<string, TSchema> {
  const sections: Record<string, TSchema> = {};
  for (const role of ROLE_NAMES) sections[role] = Type.Optional(Type.Unknown());
  return sections;
}

/** Closed to unknown keys at every level, as StrictConfigSchema (strict-schema.ts). */
export const StrictFileSchema = closedSchema(configSchemaWith(standIns()));
