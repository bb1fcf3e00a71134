// The HAL's configuration surface in one import: the `io` section's schema and type, the
// board definition schema, and the functions that turn pins into lines and check that no
// line is used twice. The schemas live in config-schema.ts; the checks in their own files.
export * from './config-schema.js';
export { resolvePin } from './resolve-pin.js';
export { parseIoConfig, resolveIo, IoConfigError, type ResolvedIo, type InputSpec, type OutputSpec, type SerialSpec, type I2cSpec } from './resolve-io.js';
