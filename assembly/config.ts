// The HAL's configuration surface in one import: the `io` section's schema and type, the
// board definition schema, and the functions that turn pins into lines and check that no
// line is used twice. The entries' schemas live in io-schema.ts, the io section composed from
// them in part-types.ts (one record per part type), the board schema in boards/.
export * from './io-schema.js';
export { IoConfigSchema, PART_TYPES, type IoConfig } from './part-types.js';
export { BoardSchema, GpioBackendKindSchema, type BoardDefinition } from '../boards/board-schema.js';
export { resolvePin } from './resolve-pin.js';
export { parseIoConfig, resolveIo, IoConfigError, type ResolvedIo, type InputSpec, type OutputSpec, type SerialSpec, type I2cSpec } from './resolve-io.js';
