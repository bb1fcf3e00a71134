// The one way the link reads a server message: bytes -> JSON object -> the message's schema,
// with reasons a person can read when it is not one. The caller decides how to report them
// (evt/sys/protocol.error, or config.rejected for a config).
import type { Static, TSchema } from '@sinclair/typebox';
import { parseJsonObject, validate } from '../../protocol/validate.js';

export type ReadResult<T> = { ok: true; value: T; raw: Record<string, unknown> } | { ok: false; reasons: string[] };

export function readMessage<T extends TSchema>(schema: T, payload: Buffer): ReadResult<Static<T>> {
  const parsed = parseJsonObject(payload);
  if (!parsed.ok) return { ok: false, reasons: [parsed.error] };
  const checked = validate(schema, parsed.value);
  if (!checked.ok) return { ok: false, reasons: checked.errors };
  return { ok: true, value: checked.value, raw: parsed.value };
}
