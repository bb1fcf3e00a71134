// Compiled validators with errors a person can read ("/data/door: Expected integer").
import type { TSchema, Static } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { readableErrors } from './union-errors.js';

const cache = new WeakMap<TSchema, TypeCheck<TSchema>>();

function compiled<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = cache.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    cache.set(schema, check);
  }
  return check as TypeCheck<T>;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Checks a value against a schema; on failure lists up to `max` problems as "path: message". */
export function validate<T extends TSchema>(schema: T, value: unknown, max = 5): Validation<Static<T>> {
  const check = compiled(schema);
  if (check.Check(value)) return { ok: true, value: value as Static<T> };
  return { ok: false, errors: readableErrors(check.Errors(value), max) };
}

/** What the device accepts as input before anything else looks at it (PROTOCOL.md "Limits"). */
export interface InputLimits {
  /** Payloads longer than this are refused before parsing. */
  maxPayloadBytes: number;
  /** Objects and arrays nested deeper than this are refused. */
  maxJsonDepth: number;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 262_144;
export const MAX_JSON_DEPTH = 64;
export const DEFAULT_INPUT_LIMITS: InputLimits = { maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES, maxJsonDepth: MAX_JSON_DEPTH };

/**
 * Why a payload was refused: `TOO_LARGE` (nothing was parsed, so no id is known), `TOO_DEEP`
 * (`id` is set when the top level still parsed and carried a string id), `NOT_JSON`,
 * `NOT_OBJECT`.
 */
export type PayloadProblem = 'TOO_LARGE' | 'TOO_DEEP' | 'NOT_JSON' | 'NOT_OBJECT';

export type ParsedPayload = { ok: true; value: Record<string, unknown> } | { ok: false; code: PayloadProblem; error: string; id?: string };

/**
 * Parses MQTT payload bytes as a JSON object within `limits`; a coded, readable reason
 * otherwise. The size is checked before any decoding; the depth by one loop over the text
 * (no recursion, so a 20,000-deep payload costs a scan, not the stack). Everything that
 * later walks the value recursively (JSON.stringify of an echo, structuredClone of a config,
 * canonicalJson, TypeBox) then sees at most `maxJsonDepth` levels.
 */
export function parseJsonObject(payload: Buffer | string, limits: InputLimits = DEFAULT_INPUT_LIMITS): ParsedPayload {
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length;
  if (bytes > limits.maxPayloadBytes) {
    return { ok: false, code: 'TOO_LARGE', error: `payload of ${bytes} bytes is over the limit of ${limits.maxPayloadBytes} bytes (limits.maxPayloadBytes); not parsed` };
  }
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  const depth = jsonDepthExceeds(text, limits.maxJsonDepth);
  let value: unknown;
  try {
    // V8's JSON.parse is iterative: safe on deep input, which is refused right after.
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'NOT_JSON', error: `payload is not JSON: ${(err as Error).message.slice(0, 200)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, code: 'NOT_OBJECT', error: 'payload must be a JSON object' };
  if (depth) {
    const id = (value as Record<string, unknown>)['id'];
    return {
      ok: false,
      code: 'TOO_DEEP',
      error: `payload nests objects/arrays deeper than ${limits.maxJsonDepth} levels; refused`,
      ...(typeof id === 'string' ? { id } : {}),
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when `{`/`[` outside strings nest deeper than `max`. One pass, constant stack. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth -= 1;
  }
  return false;
}
