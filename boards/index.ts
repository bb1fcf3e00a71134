// Board definitions are data: one JSON file per board model in this folder, checked against
// BoardSchema when loaded. Adding a board is adding a file; nothing here names a board.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { BoardSchema, PART_NAME_PATTERN, type BoardDefinition } from './board-schema.js';

export { BoardSchema, GpioBackendKindSchema, type BoardDefinition, type GpioBackendKind } from './board-schema.js';

/**
 * A board file that is missing, unreadable or invalid. `code` is BAD_CONFIG like the HAL's
 * config errors (boards/ imports nothing of ours, so it has its own class); the assembly
 * layer turns it into a HalError.
 */
export class BoardError extends Error {
  readonly code = 'BAD_CONFIG' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BoardError';
  }
}

const SCHEMA_FILE = 'board.schema.json';
const ID_RE = new RegExp(PART_NAME_PATTERN);

/**
 * Where the board files are: $HALLD_BOARDS_DIR if set, else the first `boards/` folder with a
 * sim.json found from this module upwards. tsc does not copy JSON it does not import and the
 * CLI is bundled into dist/halld.mjs, so the running module is rarely next to the files.
 */
export function defaultBoardsDir(): string {
  const fromEnv = process.env['HALLD_BOARDS_DIR'];
  if (fromEnv) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(dir, 'sim.json'))) return dir;
  for (let up = 0; up < 5; up++) {
    if (existsSync(join(dir, 'boards', 'sim.json'))) return join(dir, 'boards');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'boards');
}

export interface BoardOptions {
  /** Folder of board files; defaults to this package's boards/. */
  dir?: string;
}

export interface BoardSummary {
  id: string;
  name: string;
  backend: BoardDefinition['gpio']['backend'];
}

/**
 * Checks a parsed board file: the schema, then what the schema cannot say (header pins that
 * point outside the GPIO lines, a default backend that is not allowed, a Pi backend without a
 * chip to look for). Throws BoardError (code BAD_CONFIG) naming the file and every problem.
 */
export function parseBoard(raw: unknown, source: string): BoardDefinition {
  const value: unknown = Value.Default(BoardSchema, structuredClone(raw));
  // Check first: listing errors walks every field of a valid board too (~2 ms at each start, twice).
  const problems = Value.Check(BoardSchema, value) ? [] : [...Value.Errors(BoardSchema, value)].slice(0, 10).map((e) => `${e.path || '/'}: ${e.message}`);
  if (problems.length === 0) {
    const board = value as BoardDefinition;
    const { first, last } = board.gpio.lines;
    if (first > last) problems.push(`/gpio/lines: first (${first}) is after last (${last})`);
    for (const [pin, line] of Object.entries(board.header))
      if (typeof line === 'number' && (line < first || line > last)) problems.push(`/header/${pin}: line ${line} is outside the GPIO lines ${first}-${last}`);
    for (const line of Object.keys(board.gpio.reservedLines))
      if (Number(line) < first || Number(line) > last) problems.push(`/gpio/reservedLines/${line}: outside the GPIO lines ${first}-${last}`);
    if (!board.gpio.allowedBackends.includes(board.gpio.backend)) problems.push(`/gpio/backend: "${board.gpio.backend}" is not in allowedBackends`);
    const needsChip = board.gpio.allowedBackends.some((b) => b === 'chardev' || b === 'sysfs');
    if (needsChip && !board.gpio.chipLabel && !board.gpio.chipByLineName) problems.push('/gpio: chardev and sysfs need chipLabel or chipByLineName to find the GPIO chip');
    if (board.gpio.allowedBackends.includes('firmata') && !board.firmata) problems.push('/firmata: the firmata backend needs the port (path, baudRate)');
    if (problems.length === 0) return board;
  }
  throw new BoardError(`board definition ${source} is invalid:\n- ${problems.join('\n- ')}`);
}

async function boardIds(dir: string): Promise<string[]> {
  const files = await readdir(dir);
  return files
    .filter((f) => f.endsWith('.json') && f !== SCHEMA_FILE)
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Loads and validates boards/<id>.json. Unknown id → BoardError BAD_CONFIG listing the known ones. */
export async function loadBoard(id: string, options: BoardOptions = {}): Promise<BoardDefinition> {
  const dir = options.dir ?? defaultBoardsDir();
  // The id becomes a file name: only plain names, never a path.
  if (!ID_RE.test(id)) throw new BoardError(`board id "${id}" is not valid: 1-32 characters of a-z 0-9 -`);
  const file = join(dir, `${id}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new BoardError(`board definition ${file} cannot be read`, { cause: err });
    const known = await boardIds(dir).catch(() => []);
    throw new BoardError(`no board "${id}" in ${dir} (known boards: ${known.join(', ') || 'none'})`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BoardError(`board definition ${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const board = parseBoard(raw, file);
  if (board.id !== id) throw new BoardError(`board definition ${file} says id "${board.id}"; the file name and the id must match`);
  return board;
}

/** Every board in the folder with its default backend, for `halld boards` and diagnostics. */
export async function listBoards(options: BoardOptions = {}): Promise<BoardSummary[]> {
  const dir = options.dir ?? defaultBoardsDir();
  const boards = await Promise.all((await boardIds(dir)).map((id) => loadBoard(id, { dir })));
  return boards.map((b) => ({ id: b.id, name: b.name, backend: b.gpio.backend }));
}
