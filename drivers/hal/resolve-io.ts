// From the `io` section to a wiring plan: defaults filled, every pin resolved to a line of
// the board, and the cross-checks a schema cannot express (one line used by two parts, a
// button on the I2C pins, two parts on one serial port or I2C address). All problems are
// reported at once, each naming the parts involved.
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import {
  DEFAULT_BAUD_RATE,
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_FIRMATA_BAUD_RATE,
  I2cConfigSchema,
  InputConfigSchema,
  IoConfigSchema,
  OutputConfigSchema,
  PART_NAME_PATTERN,
  SerialConfigSchema,
  SpeakerConfigSchema,
  FirmataConfigSchema,
  type BoardDefinition,
  type IoConfig,
  type Pin,
  type Pull,
  type SerialConfig,
  type SpeakerConfig,
} from './config-schema.js';
import { resolvePin } from './resolve-pin.js';
import { HalError } from './types.js';

export interface InputSpec {
  name: string;
  pin: Pin;
  line: number;
  /** Left out: keep the bias the firmware or device tree set. */
  pull?: Pull;
  activeLow: boolean;
  debounceMs: number;
}

export interface OutputSpec {
  name: string;
  pin: Pin;
  line: number;
  activeLow: boolean;
  initial: boolean;
}

export interface SerialSpec {
  name: string;
  path: string;
  baudRate: number;
  dataBits?: SerialConfig['dataBits'];
  stopBits?: SerialConfig['stopBits'];
  parity?: SerialConfig['parity'];
}

export interface I2cSpec {
  name: string;
  bus: number;
  address: number;
}

/** The io section resolved against one board: what the HAL opens. */
export interface ResolvedIo {
  inputs: InputSpec[];
  outputs: OutputSpec[];
  serial: SerialSpec[];
  i2c: I2cSpec[];
  speaker?: SpeakerConfig;
  firmata?: { path?: string; baudRate: number };
}

/** A config the HAL cannot use; `issues` lists every problem, one sentence each. */
export class IoConfigError extends HalError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('BAD_CONFIG', `io config has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n- ${issues.join('\n- ')}`);
    this.name = 'IoConfigError';
    this.issues = issues;
  }
}

const SECTIONS: ReadonlyArray<[keyof IoConfig & ('inputs' | 'outputs' | 'serial' | 'i2c'), TSchema]> = [
  ['inputs', InputConfigSchema],
  ['outputs', OutputConfigSchema],
  ['serial', SerialConfigSchema],
  ['i2c', I2cConfigSchema],
];
const NAME_RE = new RegExp(PART_NAME_PATTERN);
const MAX_ISSUES = 20;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates an `io` section and fills its defaults (debounceMs 30, baudRate 9600, ...).
 * TypeBox's Value.Default does not descend into Record entries, so each part is defaulted
 * against its own schema here. Throws IoConfigError listing every problem.
 */
export function parseIoConfig(raw: unknown = {}): IoConfig {
  const value: unknown = Value.Default(IoConfigSchema, structuredClone(raw ?? {}));
  const issues: string[] = [];
  if (isObject(value)) {
    for (const [section, schema] of SECTIONS) {
      const parts = value[section];
      if (!isObject(parts)) continue;
      for (const [name, part] of Object.entries(parts)) {
        if (!NAME_RE.test(name)) issues.push(`io.${section}: part name "${name}" must be 1-32 characters of a-z 0-9 -`);
        parts[name] = Value.Default(schema, part);
      }
    }
    if (isObject(value.speaker)) value.speaker = Value.Default(SpeakerConfigSchema, value.speaker);
    if (isObject(value.firmata)) value.firmata = Value.Default(FirmataConfigSchema, value.firmata);
  }
  for (const e of Value.Errors(IoConfigSchema, value)) {
    const path = `io${e.path.replaceAll('/', '.')}`;
    const last = e.path.split('/').pop() ?? '';
    if (e.message === 'Unexpected property' && !NAME_RE.test(last) && SECTIONS.some(([s]) => e.path === `/${s}/${last}`)) continue; // reported above
    const issue = `${path}: ${e.message}`;
    if (!issues.includes(issue)) issues.push(issue);
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length > 0) throw new IoConfigError(issues);
  return value as IoConfig;
}

interface LineUse {
  part: string;
  how: string;
}

/**
 * Resolves every part of a parsed `io` section against the board and cross-checks it.
 * Throws IoConfigError (code BAD_CONFIG) naming both parts when one line is used twice.
 */
export function resolveIo(board: BoardDefinition, io: IoConfig): ResolvedIo {
  const issues: string[] = [];
  const lines = new Map<number, LineUse>();
  const claim = (line: number, use: LineUse): void => {
    const prior = lines.get(line);
    if (prior) issues.push(`line ${line} is used twice: ${prior.part} (${prior.how}) and ${use.part} (${use.how})`);
    else lines.set(line, use);
  };
  const pinOf = (pin: Pin): string => (typeof pin === 'number' ? `pin ${pin}` : `pin "${pin}"`);
  const resolve = (part: string, pin: Pin): number | undefined => {
    try {
      return resolvePin(board, pin);
    } catch (err) {
      issues.push(`${part}: ${(err as Error).message}`);
      return undefined;
    }
  };

  // Buses first, so a button wired onto SDA is reported against the bus that owns it.
  const i2c: I2cSpec[] = [];
  const busUsers = new Map<number, string>();
  const addresses = new Map<string, string>();
  for (const [name, c] of Object.entries(io.i2c ?? {})) {
    const part = `i2c.${name}`;
    const bus = c.bus ?? board.i2c.defaultBus;
    if (bus === undefined) {
      issues.push(`${part}: no bus given and board ${board.id} has no default I2C bus`);
      continue;
    }
    const key = `${bus}:${c.address}`;
    const other = addresses.get(key);
    if (other) issues.push(`${other} and ${part} both use address 0x${c.address.toString(16).padStart(2, '0')} on I2C bus ${bus}`);
    else addresses.set(key, part);
    if (!busUsers.has(bus)) {
      busUsers.set(bus, part);
      const pins = board.i2c.buses[String(bus)];
      if (pins) {
        claim(pins.sda, { part: `I2C bus ${bus} SDA`, how: `used by ${part}` });
        claim(pins.scl, { part: `I2C bus ${bus} SCL`, how: `used by ${part}` });
      }
    }
    i2c.push({ name, bus, address: c.address });
  }

  const serial: SerialSpec[] = [];
  const paths = new Map<string, string>();
  for (const [name, c] of Object.entries(io.serial ?? {})) {
    const part = `serial.${name}`;
    const other = paths.get(c.path);
    if (other) {
      issues.push(`${other} and ${part} both use serial port ${c.path}`);
      continue;
    }
    paths.set(c.path, part);
    const port = board.serial.ports[c.path];
    if (port?.tx !== undefined) claim(port.tx, { part: `${c.path} TX`, how: `used by ${part}` });
    if (port?.rx !== undefined) claim(port.rx, { part: `${c.path} RX`, how: `used by ${part}` });
    serial.push({
      name,
      path: c.path,
      baudRate: c.baudRate ?? DEFAULT_BAUD_RATE,
      ...(c.dataBits !== undefined ? { dataBits: c.dataBits } : {}),
      ...(c.stopBits !== undefined ? { stopBits: c.stopBits } : {}),
      ...(c.parity !== undefined ? { parity: c.parity } : {}),
    });
  }

  const inputs: InputSpec[] = [];
  for (const [name, c] of Object.entries(io.inputs ?? {})) {
    const part = `inputs.${name}`;
    const line = resolve(part, c.pin);
    if (line === undefined) continue;
    claim(line, { part, how: pinOf(c.pin) });
    inputs.push({ name, pin: c.pin, line, ...(c.pull ? { pull: c.pull } : {}), activeLow: c.activeLow ?? false, debounceMs: c.debounceMs ?? DEFAULT_DEBOUNCE_MS });
  }

  const outputs: OutputSpec[] = [];
  for (const [name, c] of Object.entries(io.outputs ?? {})) {
    const part = `outputs.${name}`;
    const line = resolve(part, c.pin);
    if (line === undefined) continue;
    claim(line, { part, how: pinOf(c.pin) });
    outputs.push({ name, pin: c.pin, line, activeLow: c.activeLow ?? false, initial: c.initial ?? false });
  }

  if (issues.length > 0) throw new IoConfigError(issues);
  return {
    inputs,
    outputs,
    serial,
    i2c,
    ...(io.speaker ? { speaker: io.speaker } : {}),
    ...(io.firmata ? { firmata: { ...(io.firmata.path ? { path: io.firmata.path } : {}), baudRate: io.firmata.baudRate ?? DEFAULT_FIRMATA_BAUD_RATE } } : {}),
  };
}
