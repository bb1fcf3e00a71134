// From the `io` section to a wiring plan (drivers/hal/part-specs.ts): defaults filled, every pin resolved to a line of
// the board, and the cross-checks a schema cannot express (one line used by two parts, a
// button on the I2C pins, two parts on one serial port or I2C address, a printer with two
// transports, a printer, scanner or lock board on a serial part that does not exist or that
// another part already uses; lock boards on one line: resolve-lock-boards.ts). All problems are reported at once, each naming the parts involved.
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import {
  DEFAULT_BAUD_RATE,
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_FIRMATA_BAUD_RATE,
  DEFAULT_PRINTER_COLUMNS,
  DEFAULT_PRINTER_STATUS_TIMEOUT_MS,
  DEFAULT_PRINTER_TCP_PORT,
  DEFAULT_PRINTER_USB_PATH,
  DEFAULT_SCANNER_MAX_LENGTH,
  PART_NAME_PATTERN,
  PRINTER_TRANSPORTS,
  SpeakerConfigSchema,
  FirmataConfigSchema,
  LockBoardConfigSchema,
  GpioLockBoardConfigSchema,
  type Pin,
} from './io-schema.js';
import { IoConfigSchema, PART_SECTIONS, PART_TYPES, type IoConfig, type PartType } from './part-types.js';
import type { BoardDefinition, GpioBackendKind as BoardBackendKind } from '../boards/board-schema.js';
import type { GpioBackendKind, I2cSpec, IdCardReaderSpec, InputSpec, LockBoardSpec, OutputSpec, PrinterSpec, PrinterTransportSpec, ResolvedIo, ScannerSpec, SerialSpec } from '../drivers/hal/part-specs.js';
import { HalError } from '../drivers/hal/hal-error.js';
import { resolvePin } from './resolve-pin.js';
import { ExpanderPins } from './resolve-expanders.js';
import { resolveGpioLockBoards } from './resolve-gpio-lock-boards.js';
import { defaultLockLineBaudRates, resolveLockBoards, resolveMatrices } from './resolve-lock-boards.js';
import { lockBoardRangeProblems } from '../drivers/lock-board/config.js';
import { SERIAL_LOCK_BOARD_PROTOCOLS } from '../drivers/lock-board/families.js';
import { resolveDisplays } from './resolve-displays.js';
import { defaultIdCardReaderBaudRates, resolveIdCardReaders } from './resolve-id-card-readers.js';

export type { DisplaySpec, I2cSpec, InputSpec, LockBoardSpec, MatrixSpec, OutputSpec, PrinterSpec, PrinterTransportSpec, ResolvedIo, ScannerSpec, SerialSpec } from '../drivers/hal/part-specs.js';

// The board schema (boards/) and the drivers' plan (drivers/hal) name the same GPIO backends;
// neither may import the other, so this line fails to compile when they drift apart.
const SAME_BACKEND_KINDS: [GpioBackendKind, BoardBackendKind] extends [BoardBackendKind, GpioBackendKind] ? true : never = true;
void SAME_BACKEND_KINDS;

/** A config the HAL cannot use; `issues` lists every problem, one sentence each. */
export class IoConfigError extends HalError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('BAD_CONFIG', `io config has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n- ${issues.join('\n- ')}`);
    this.name = 'IoConfigError';
    this.issues = issues;
  }
}

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
    defaultLockLineBaudRates(value);
    defaultIdCardReaderBaudRates(value);
    for (const section of PART_SECTIONS) {
      const { entry: schema } = PART_TYPES[section] as PartType;
      const parts = value[section];
      if (!isObject(parts)) continue;
      for (const [name, part] of Object.entries(parts)) {
        if (!NAME_RE.test(name)) issues.push(`io.${section}: part name "${name}" must be 1-32 characters of a-z 0-9 -`);
        parts[name] = Value.Default(section === 'lockBoards' ? lockBoardSchema(part) : schema, part);
      }
    }
    if (isObject(value.printers)) {
      for (const [name, part] of Object.entries(value.printers)) {
        const issue = isObject(part) ? transportIssue(`io.printers.${name}`, part) : undefined;
        if (issue) issues.push(issue);
      }
    }
    if (isObject(value.speaker)) value.speaker = Value.Default(SpeakerConfigSchema, value.speaker);
    if (isObject(value.firmata)) value.firmata = Value.Default(FirmataConfigSchema, value.firmata);
  }
  // A lock board is checked against the schema its protocol picks, so a mistake reads as one
  // clear message instead of "expected union value".
  // The protocol's own ranges come with them, so every mistake in a board shows in one round.
  if (isObject(value) && isObject(value.lockBoards)) {
    for (const [name, part] of Object.entries(value.lockBoards)) {
      const protocol = isObject(part) ? part['protocol'] : undefined;
      if (protocol !== undefined && protocol !== 'gpio' && !(SERIAL_LOCK_BOARD_PROTOCOLS as readonly unknown[]).includes(protocol)) {
        // Not "Expected union value": which protocols there are, and what was written.
        issues.push(`io.lockBoards.${name}.protocol: expected one of ${[...SERIAL_LOCK_BOARD_PROTOCOLS, 'gpio'].join(', ')}, found ${JSON.stringify(protocol)}`);
        continue;
      }
      const schemaIssues = [...Value.Errors(lockBoardSchema(part), part)].map((e) => `io.lockBoards.${name}${e.path.replaceAll('/', '.')}: ${e.message}`);
      const rangeIssues = isObject(part) ? lockBoardRangeProblems(name, part).filter((r) => !schemaIssues.some((i) => i.startsWith(r.slice(0, r.indexOf(':'))))) : [];
      issues.push(...schemaIssues, ...rangeIssues);
    }
  }
  for (const e of Value.Errors(IoConfigSchema, value)) {
    if (e.path.startsWith('/lockBoards/')) continue; // reported above
    const path = `io${e.path.replaceAll('/', '.')}`;
    const last = e.path.split('/').pop() ?? '';
    if (e.message === 'Unexpected property' && !NAME_RE.test(last) && PART_SECTIONS.some((s) => e.path === `/${s}/${last}`)) continue; // reported above
    const issue = `${path}: ${e.message}`;
    if (!issues.includes(issue)) issues.push(issue);
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length > 0) throw new IoConfigError(issues);
  return value as IoConfig;
}

/**
 * Serial ports and printer nodes are device files named by their full path: "ttyUSB0" alone
 * would be looked for in halld's working folder. (An absolute path outside /dev/ may be a
 * symlink to one: `config check` only warns about it, config-warnings.ts.)
 */
function devicePathIssue(field: string, path: string): string | undefined {
  if (path.startsWith('/')) return undefined;
  return `${field}: expected a device node's full path (such as /dev/ttyUSB0 or /dev/serial/by-id/...), found "${path}"; did you mean /dev/${path.replace(/^(\.\/)?(dev\/)?/, '')}?`;
}

function lockBoardSchema(part: unknown): TSchema {
  return isObject(part) && part['protocol'] === 'gpio' ? GpioLockBoardConfigSchema : LockBoardConfigSchema;
}

/** A printer must say how it is reached, and only one way. */
function transportIssue(part: string, printer: Record<string, unknown>): string | undefined {
  const given = PRINTER_TRANSPORTS.filter((k) => printer[k] !== undefined);
  if (given.length === 1) return undefined;
  return `${part}: give exactly one transport, serial (a part of io.serial), tcp ({ host, port }) or usb ({ path }); ${given.length === 0 ? 'none given' : `got ${given.join(' and ')}`}`;
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
  const claimAddress = (part: string, bus: number, address: number): boolean => {
    const key = `${bus}:${address}`;
    const other = addresses.get(key);
    if (other) issues.push(`${other} and ${part} both use address 0x${address.toString(16).padStart(2, '0')} on I2C bus ${bus}`);
    else addresses.set(key, part);
    return other === undefined;
  };
  for (const [name, c] of Object.entries(io.i2c ?? {})) {
    const part = `i2c.${name}`;
    const bus = c.bus ?? board.i2c.defaultBus;
    if (bus === undefined) {
      issues.push(`${part}: no bus given and board ${board.id} has no default I2C bus`);
      continue;
    }
    claimAddress(part, bus, c.address);
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

  const expanderPins = new ExpanderPins(board, io, issues, (part, bus, address) => {
    if (!claimAddress(part, bus, address)) return false;
    const pins = board.i2c.buses[String(bus)];
    if (pins && !busUsers.has(bus)) {
      busUsers.set(bus, part);
      claim(pins.sda, { part: `I2C bus ${bus} SDA`, how: `used by ${part}` });
      claim(pins.scl, { part: `I2C bus ${bus} SCL`, how: `used by ${part}` });
    }
    return true;
  });

  const serial: SerialSpec[] = [];
  const paths = new Map<string, string>();
  for (const [name, c] of Object.entries(io.serial ?? {})) {
    const part = `serial.${name}`;
    const notDevice = devicePathIssue(`io.${part}.path`, c.path);
    if (notDevice) {
      issues.push(notDevice);
      continue;
    }
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
    if (expanderPins.input(name, c)) continue;
    const line = resolve(part, c.pin);
    if (line === undefined) continue;
    claim(line, { part, how: pinOf(c.pin) });
    inputs.push({ name, pin: c.pin, line, ...(c.pull ? { pull: c.pull } : {}), activeLow: c.activeLow ?? false, debounceMs: c.debounceMs ?? DEFAULT_DEBOUNCE_MS });
  }

  const outputs: OutputSpec[] = [];
  for (const [name, c] of Object.entries(io.outputs ?? {})) {
    const part = `outputs.${name}`;
    if (expanderPins.output(name, c)) continue;
    const line = resolve(part, c.pin);
    if (line === undefined) continue;
    claim(line, { part, how: pinOf(c.pin) });
    outputs.push({ name, pin: c.pin, line, activeLow: c.activeLow ?? false, initial: c.initial ?? false });
  }

  const { printers, scanners, lockBoards, idCardReaders } = resolveSerialUsers(board, io, serial, issues);
  const matrices = resolveMatrices(io);
  if (board.ledMatrix?.unsupported !== undefined) {
    for (const m of matrices) issues.push(`io.matrices.${m.name}: board ${board.id} cannot drive HUB75 LED panels: ${board.ledMatrix.unsupported}`);
  }
  const expanders = expanderPins.finish(inputs);
  const allInputs = [...inputs, ...expanders.flatMap((e) => e.inputs)];
  const allOutputs = [...outputs, ...expanders.flatMap((e) => e.outputs)];
  const gpioLockBoards = resolveGpioLockBoards(io, allInputs, allOutputs, issues);
  const displays = resolveDisplays(io, issues);

  if (issues.length > 0) throw new IoConfigError(issues);
  return {
    inputs,
    outputs,
    serial,
    i2c,
    printers,
    scanners,
    lockBoards,
    matrices,
    ...(expanders.length > 0 ? { expanders } : {}),
    ...(gpioLockBoards.length > 0 ? { gpioLockBoards } : {}),
    ...(idCardReaders.length > 0 ? { idCardReaders } : {}),
    displays,
    ...(io.speaker ? { speaker: io.speaker } : {}),
    ...(io.firmata ? { firmata: { ...(io.firmata.path ? { path: io.firmata.path } : {}), baudRate: io.firmata.baudRate ?? DEFAULT_FIRMATA_BAUD_RATE } } : {}),
  };
}

/**
 * Printers, scanners and ID-card readers: each serial one must name an existing io.serial part
 * that no other printer, scanner, reader or the Firmata board uses (one port, one talker); two printers may not
 * share a TCP address or a usblp node either.
 */
function resolveSerialUsers(
  board: BoardDefinition,
  io: IoConfig,
  serial: readonly SerialSpec[],
  issues: string[],
): { printers: PrinterSpec[]; scanners: ScannerSpec[]; lockBoards: LockBoardSpec[]; idCardReaders: IdCardReaderSpec[] } {
  const serialByName = new Map(serial.map((s) => [s.name, s]));
  const configured = Object.keys(io.serial ?? {});
  const users = new Map<string, string>();
  // The Firmata board's port is taken when the config sets io.firmata or the board runs Firmata by default.
  const firmataPath = io.firmata || board.gpio.backend === 'firmata' ? (io.firmata?.path ?? board.firmata?.path) : undefined;
  const useSerial = (part: string, serialName: string): boolean => {
    if (!(io.serial ?? {})[serialName]) {
      const hint = serialName.startsWith('/') ? '; give the name of an io.serial part, not a device path' : '';
      issues.push(`${part}: serial part "${serialName}" is not in io.serial (configured: ${configured.length > 0 ? configured.join(', ') : 'none'})${hint}`);
      return false;
    }
    const other = users.get(serialName);
    if (other) {
      issues.push(`${other} and ${part} both use serial part "${serialName}"; one serial port can serve one device`);
      return false;
    }
    users.set(serialName, part);
    const spec = serialByName.get(serialName);
    if (spec && firmataPath !== undefined && spec.path === firmataPath) {
      issues.push(`${part} uses serial part "${serialName}" (${spec.path}), which is the Firmata board's port`);
      return false;
    }
    return true;
  };

  const printers: PrinterSpec[] = [];
  const endpoints = new Map<string, string>();
  const useEndpoint = (part: string, key: string, what: string): boolean => {
    const other = endpoints.get(key);
    if (other) {
      issues.push(`${other} and ${part} both use ${what}`);
      return false;
    }
    endpoints.set(key, part);
    return true;
  };
  for (const [name, c] of Object.entries(io.printers ?? {})) {
    const part = `printers.${name}`;
    const issue = transportIssue(`io.${part}`, c);
    if (issue) {
      issues.push(issue);
      continue;
    }
    let transport: PrinterTransportSpec;
    if (c.serial !== undefined) {
      if (!useSerial(part, c.serial)) continue;
      transport = { kind: 'serial', serial: c.serial };
    } else if (c.tcp) {
      transport = { kind: 'tcp', host: c.tcp.host, port: c.tcp.port ?? DEFAULT_PRINTER_TCP_PORT };
      if (!useEndpoint(part, `tcp ${transport.host}:${transport.port}`, `printer address ${transport.host}:${transport.port}`)) continue;
    } else {
      transport = { kind: 'usb', path: c.usb?.path ?? DEFAULT_PRINTER_USB_PATH };
      const notDevice = devicePathIssue(`io.${part}.usb.path`, transport.path);
      if (notDevice) {
        issues.push(notDevice);
        continue;
      }
      if (!useEndpoint(part, `usb ${transport.path}`, `USB printer ${transport.path}`)) continue;
    }
    const queries = new Set<1 | 2 | 3 | 4>([1, 2, ...(c.statusQueries ?? [3, 4])]);
    printers.push({
      name,
      transport,
      columns: c.columns ?? DEFAULT_PRINTER_COLUMNS,
      statusQueries: [...queries].sort((a, b) => a - b),
      statusTimeoutMs: c.statusTimeoutMs ?? DEFAULT_PRINTER_STATUS_TIMEOUT_MS,
      ...(c.commandSet === 'star' ? { commandSet: c.commandSet } : {}),
    });
  }

  const scanners: ScannerSpec[] = [];
  for (const [name, c] of Object.entries(io.scanners ?? {})) {
    const part = `scanners.${name}`;
    if (!useSerial(part, c.serial)) continue;
    scanners.push({ name, serial: c.serial, suffix: c.suffix ?? 'auto', encoding: c.encoding ?? 'utf8', maxLength: c.maxLength ?? DEFAULT_SCANNER_MAX_LENGTH });
  }
  const idCardReaders = resolveIdCardReaders(io, useSerial);
  // Lock boards last: the first board on a line claims it like any part; the others join it.
  const lockBoards = resolveLockBoards(io, useSerial, issues);
  return { printers, scanners, lockBoards, idCardReaders };
}
