// The config file's schema as `run` checks it: the config schema with every object closed to
// unknown keys. Its own module so that the build can generate its check (strict-check.ts).
import { ConfigSchema } from './schema.js';
import { closedSchema } from './closed-schema.js';

export const StrictConfigSchema = closedSchema(ConfigSchema);
