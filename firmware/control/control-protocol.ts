// The local control socket's protocol (`halld status`, `diag`, `identify`, role actions):
// one connection, one request, one answer, each a single line of JSON. Newline-delimited
// JSON needs no framing library and a technician can speak it with socat.
import { join } from 'node:path';

/** In the data dir, beside halld.pid: the data-dir lock makes it one daemon per socket. */
export const SOCKET_FILE = 'halld.sock';
/** A request is a few hundred bytes; anything beyond this is refused without parsing. */
export const MAX_REQUEST_BYTES = 16 * 1024;

export type ControlRequest =
  | { op: 'status' }
  | { op: 'diag'; include?: string[] }
  | { op: 'identify'; ms?: number }
  | { op: 'action'; role: string; name: string };

export type ControlOp = ControlRequest['op'];

export type ControlResponse = { ok: true; result: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

export function socketPath(dataDir: string): string {
  return join(dataDir, SOCKET_FILE);
}

export class ControlError extends Error {
  constructor(
    readonly code: string, // BAD_REQUEST, TOO_LARGE, UNKNOWN_OP, NOT_FOUND, NOT_READY, FAILED; client side NO_DAEMON, TIMEOUT, BAD_RESPONSE
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ControlError';
  }
}

/** Checks a parsed line against the request shapes; throws a ControlError naming what is wrong. */
export function parseRequest(line: string): ControlRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new ControlError('BAD_REQUEST', `request is not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlError('BAD_REQUEST', 'request must be a JSON object with "op"');
  const r = value as Record<string, unknown>;
  switch (r['op']) {
    case 'status':
      return { op: 'status' };
    case 'diag': {
      const include = r['include'] ?? [];
      if (!Array.isArray(include) || !include.every((x) => typeof x === 'string')) throw new ControlError('BAD_REQUEST', '"include" must be an array of "role/test" strings');
      return { op: 'diag', include };
    }
    case 'identify': {
      const ms = r['ms'] ?? 5000;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 100 || ms > 600_000) throw new ControlError('BAD_REQUEST', '"ms" must be an integer 100-600000');
      return { op: 'identify', ms };
    }
    case 'action': {
      const { role, name } = r;
      if (typeof role !== 'string' || typeof name !== 'string') throw new ControlError('BAD_REQUEST', 'an action needs "role" and "name" strings');
      return { op: 'action', role, name };
    }
    default:
      throw new ControlError('UNKNOWN_OP', `unknown op ${JSON.stringify(r['op'])}; one of status, diag, identify, action`);
  }
}
