// Turns a pin as a person writes it in the config (17, "GPIO17", "P1-11") into the board's
// line number, using the board definition's header map and line-name prefixes.
import type { BoardDefinition } from '../boards/board-schema.js';
import type { Pin } from '../drivers/hal/part-specs.js';
import { HalError } from '../drivers/hal/hal-error.js';

function describePin(pin: Pin): string {
  return typeof pin === 'number' ? `pin ${pin}` : `pin "${pin}"`;
}

function fail(board: BoardDefinition, pin: Pin, why: string): never {
  throw new HalError('BAD_CONFIG', `${describePin(pin)} on board ${board.id}: ${why}`);
}

function checkLine(board: BoardDefinition, pin: Pin, line: number): number {
  const { first, last } = board.gpio.lines;
  if (line < first || line > last) fail(board, pin, `line ${line} does not exist (GPIO lines ${first}-${last})`);
  const reserved = board.gpio.reservedLines[String(line)];
  if (reserved !== undefined) fail(board, pin, `line ${line} is reserved: ${reserved}`);
  return line;
}

function headerEntry(board: BoardDefinition, name: string): [string, number | string] | undefined {
  const exact = board.header[name];
  if (exact !== undefined) return [name, exact];
  const upper = name.toUpperCase();
  for (const [key, value] of Object.entries(board.header)) if (key.toUpperCase() === upper) return [key, value];
  return undefined;
}

function lineFromPrefix(board: BoardDefinition, name: string): number | undefined {
  const upper = name.toUpperCase();
  for (const prefix of board.gpio.linePrefixes) {
    if (!upper.startsWith(prefix.toUpperCase())) continue;
    const rest = name.slice(prefix.length);
    if (/^[0-9]{1,4}$/.test(rest)) return Number(rest);
  }
  return undefined;
}

/**
 * Maps a config pin to a GPIO line of this board.
 * Numbers are line numbers (BCM on a Pi); strings are a header pin ("P1-11") or a line
 * name with one of the board's prefixes ("GPIO17"). Throws a HalError BAD_CONFIG that names
 * the pin and the board when the pin is unknown, a power pin, out of range or reserved.
 */
export function resolvePin(board: BoardDefinition, pin: Pin): number {
  if (typeof pin === 'number') {
    if (!Number.isInteger(pin) || pin < 0) fail(board, pin, 'a line number must be a whole number >= 0');
    return checkLine(board, pin, pin);
  }
  const name = pin.trim();
  const examples = exampleForms(board);
  if (/^[0-9]+$/.test(name)) fail(board, pin, `a number in quotes is ambiguous; write ${name} (no quotes) for line ${name}, or a header pin such as ${examples.header}`);
  const entry = headerEntry(board, name);
  if (entry) {
    const [key, value] = entry;
    if (typeof value === 'string') fail(board, pin, `header pin ${key} is a ${value} pin, not a GPIO line`);
    return checkLine(board, pin, value);
  }
  const line = lineFromPrefix(board, name);
  if (line !== undefined) return checkLine(board, pin, line);
  fail(board, pin, `not a known pin; use a line number like ${examples.line}${examples.named ? `, ${examples.named}` : ''}, or a header pin like ${examples.header}`);
}

function exampleForms(board: BoardDefinition): { line: number; named?: string; header: string } {
  const firstGpioHeader = Object.entries(board.header).find(([, v]) => typeof v === 'number' && board.gpio.reservedLines[String(v)] === undefined);
  const line = typeof firstGpioHeader?.[1] === 'number' ? firstGpioHeader[1] : board.gpio.lines.first;
  const prefix = board.gpio.linePrefixes[0];
  return { line, ...(prefix ? { named: `"${prefix}${line}"` } : {}), header: `"${firstGpioHeader?.[0] ?? '?'}"` };
}
