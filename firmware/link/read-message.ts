// The one way the link reads a server message: bytes -> JSON object -> the message's schema,
// with reasons a person can read when it is not one. The caller decides how to report them
// (evt/sys/protocol.error, or config.rejected for a config).
import type { Static, TSchema } from '@sinclair/typebox';
import { DEFAULT_INPUT_LIMITS, parseJsonObject, validate, type InputLimits } from '../../protocol/validate.js';

export type ReadResult<T> = { ok: true; value: T; raw: Record<string, unknown> } | { ok: false; reasons: string[] };

/** `limits` (docs/protocol.md "Limits") are checked before anything is parsed. */
export function readMessage<T extends TSchema>(schema: T, payload: Buffer, limits: InputLimits = DEFAULT_INPUT_LIMITS): ReadResult<Static<T>> {
  const parsed = parseJsonObject(payload, limits);
  if (!parsed.ok) return { ok: false, reasons: [parsed.error] };
  const checked = validate(schema, parsed.value);
  if (!checked.ok) return { ok: false, reasons: checked.errors };
  return { ok: true, value: checked.value, raw: parsed.value };
}
