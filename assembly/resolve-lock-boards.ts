// io.lockBoards and io.matrices resolved against the io.serial parts: defaults applied and the
// cross-checks the schema cannot express. Several lock boards may share one serial part (an
// RS485 line) but then differ by address and speak one protocol at one baud rate, and no
// printer, scanner or Firmata board may sit on that line.
import { DEFAULT_BAUD_RATE_BY_PROTOCOL, resolveLockBoardSettings } from '../drivers/lock-board/config.js';
import type { LockBoardSpec, MatrixSpec } from '../drivers/hal/part-specs.js';
import type { IoConfig } from './part-types.js';

/** Claims a serial part for `part` (reports a missing or taken part); false when it cannot have it. */
export type SerialClaim = (part: string, serialName: string) => boolean;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A serial part that carries lock boards and does not set its baud rate runs at the rate of
 * their protocol (8a80 9600, kerong-cu 19200) rather than the general default. Runs on the raw
 * config, before defaults, so an explicit baudRate is kept.
 */
export function defaultLockLineBaudRates(io: Record<string, unknown>): void {
  const serial = io['serial'];
  const boards = io['lockBoards'];
  if (!isObject(serial) || !isObject(boards)) return;
  for (const board of Object.values(boards)) {
    if (!isObject(board) || typeof board['serial'] !== 'string') continue;
    const line = serial[board['serial']];
    const rate = DEFAULT_BAUD_RATE_BY_PROTOCOL[board['protocol'] as keyof typeof DEFAULT_BAUD_RATE_BY_PROTOCOL] as number | undefined;
    if (isObject(line) && line['baudRate'] === undefined && rate !== undefined) line['baudRate'] = rate;
  }
}

export function resolveLockBoards(io: IoConfig, claim: SerialClaim, issues: string[]): LockBoardSpec[] {
  const specs: LockBoardSpec[] = [];
  const lines = new Map<string, { first: LockBoardSpec; addresses: Map<number, string> }>();
  const baudOf = (serialName: string): number | undefined => io.serial?.[serialName]?.baudRate;
  for (const [name, c] of Object.entries(io.lockBoards ?? {})) {
    if (c.protocol === 'gpio') continue; // on digital lines: resolve-gpio-lock-boards.ts
    const part = `lockBoards.${name}`;
    let spec: LockBoardSpec;
    try {
      spec = { name, ...resolveLockBoardSettings(name, c) };
    } catch (err) {
      issues.push((err as Error).message);
      continue;
    }
    const line = lines.get(c.serial);
    if (!line) {
      if (!claim(part, c.serial)) continue;
      lines.set(c.serial, { first: spec, addresses: new Map([[spec.address, part]]) });
      specs.push(spec);
      continue;
    }
    const first = line.first;
    if (first.protocol !== spec.protocol) {
      const baud = (p: LockBoardSpec['protocol']): string => `${p} at ${DEFAULT_BAUD_RATE_BY_PROTOCOL[p]} baud`;
      issues.push(
        `lockBoards.${first.name} (${baud(first.protocol)}) and ${part} (${baud(spec.protocol)}) share serial part "${c.serial}" (${baudOf(c.serial) ?? '?'} baud); the boards on one line must speak one protocol at one baud rate`,
      );
      continue;
    }
    const other = line.addresses.get(spec.address);
    if (other) {
      issues.push(`${other} and ${part} both use address ${spec.address} on serial part "${c.serial}"; give each board on one line its own address`);
      continue;
    }
    line.addresses.set(spec.address, part);
    specs.push(spec);
  }
  return specs;
}

const MATRIX_DEFAULTS = { rows: 32, cols: 64, chain: 1, parallel: 1, brightness: 80, hardwareMapping: 'regular', gpioSlowdown: 1, pwmBits: 11, font: 'wqy-12', frameTimeoutMs: 2000 } as const;

export function resolveMatrices(io: IoConfig): MatrixSpec[] {
  return Object.entries(io.matrices ?? {}).map(([name, c]) => {
    const rows = c.rows ?? MATRIX_DEFAULTS.rows;
    const cols = c.cols ?? MATRIX_DEFAULTS.cols;
    const chain = c.chain ?? MATRIX_DEFAULTS.chain;
    const parallel = c.parallel ?? MATRIX_DEFAULTS.parallel;
    return {
      name,
      rows,
      cols,
      chain,
      parallel,
      brightness: c.brightness ?? MATRIX_DEFAULTS.brightness,
      hardwareMapping: c.hardwareMapping ?? MATRIX_DEFAULTS.hardwareMapping,
      gpioSlowdown: c.gpioSlowdown ?? MATRIX_DEFAULTS.gpioSlowdown,
      pwmBits: c.pwmBits ?? MATRIX_DEFAULTS.pwmBits,
      font: c.font ?? MATRIX_DEFAULTS.font,
      frameTimeoutMs: c.frameTimeoutMs ?? MATRIX_DEFAULTS.frameTimeoutMs,
      width: cols * chain,
      height: rows * parallel,
    };
  });
}
