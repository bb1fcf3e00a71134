// Boards as the assembly reads them: boards/ throws its own BoardError (it imports nothing of
// ours); a Hal's callers get the HAL's error, HalError BAD_CONFIG with the same message.
import { BoardError, loadBoard as loadBoardFile, parseBoard as parseBoardFile, type BoardDefinition, type BoardOptions } from '../boards/index.js';
import { HalError } from '../drivers/hal/hal-error.js';

function asHalError(err: unknown): unknown {
  return err instanceof BoardError ? new HalError('BAD_CONFIG', err.message, { cause: err }) : err;
}

/** boards/<id>.json, validated; rejects with HalError BAD_CONFIG. */
export async function loadBoard(id: string, options: BoardOptions = {}): Promise<BoardDefinition> {
  try {
    return await loadBoardFile(id, options);
  } catch (err) {
    throw asHalError(err);
  }
}

/** A board definition object, validated; throws HalError BAD_CONFIG. */
export function parseBoard(raw: unknown, source: string): BoardDefinition {
  try {
    return parseBoardFile(raw, source);
  } catch (err) {
    throw asHalError(err);
  }
}
