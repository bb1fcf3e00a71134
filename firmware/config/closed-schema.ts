// The config file refuses keys it does not know, at every level: a misspelt "secuirty" must
// not silently drop the security section. Role and HAL schemas are shared with pushed
// configs and messages, so the file's strictness is applied to a copy here instead of to
// every schema at its source.
import { Kind, type TSchema } from '@sinclair/typebox';

/** A deep copy of `schema` (TypeBox symbols kept) where every object refuses unknown keys. */
export function closedSchema<T extends TSchema>(schema: T): T {
  return close(schema) as T;
}

function close(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(close);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(node)) out[key] = close((node as Record<string | symbol, unknown>)[key]);
  if (out[Kind] === 'Object' && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}
