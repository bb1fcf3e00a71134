// Compiled validators with errors a person can read ("/data/door: Expected integer").
import type { TSchema, Static } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

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
  const errors: string[] = [];
  for (const e of check.Errors(value)) {
    errors.push(`${e.path || '/'}: ${e.message}`);
    if (errors.length >= max) break;
  }
  return { ok: false, errors };
}

/** Parses MQTT payload bytes as a JSON object; a readable reason otherwise. */
export function parseJsonObject(payload: Buffer | string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch (err) {
    return { ok: false, error: `payload is not JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'payload must be a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}
