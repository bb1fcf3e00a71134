// The local control socket's protocol (`halld status`, `diag`, `identify`, role actions):
// one connection, one request, one answer, each a single line of JSON (an interactive diag
// sends prompt lines before its answer). Newline-delimited
// JSON needs no framing library and a technician can speak it with socat.
import { join } from 'node:path';

/** In the data dir, beside halld.pid: the data-dir lock makes it one daemon per socket. */
export const SOCKET_FILE = 'halld.sock';
/** A request is a few hundred bytes; anything beyond this is refused without parsing. */
export const MAX_REQUEST_BYTES = 16 * 1024;

/** Per manual test, when the daemon gives up waiting for the technician (`halld diag --interactive`). */
export const DEFAULT_TEST_TIMEOUT_MS = 60_000;
export const MAX_TEST_TIMEOUT_MS = 600_000;

export type ControlRequest =
  | { op: 'status' }
  /**
   * `interactive`: run the manual tests (those in `include`, or all of them when it is empty)
   * with the technician: their prompts come back as lines before the answer, each test ends
   * after `testTimeoutMs`, and the client half-closing the connection aborts the run.
   */
  | { op: 'diag'; include?: string[]; interactive?: boolean; testTimeoutMs?: number }
  | { op: 'identify'; ms?: number }
  | { op: 'action'; role: string; name: string };

export type ControlOp = ControlRequest['op'];

export type ControlResponse = { ok: true; result: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

/** A line the daemon sends before its answer while an interactive test runs: what the technician must do now. */
export interface ControlPrompt {
  prompt: { test: string; text: string };
}

export function socketPath(dataDir: string): string {
  return join(dataDir, SOCKET_FILE);
}

export class ControlError extends Error {
  constructor(
    readonly code: string, // BAD_REQUEST, TOO_LARGE, UNKNOWN_OP, NOT_FOUND, NOT_READY, BUSY, FAILED; client side NO_DAEMON, TIMEOUT, BAD_RESPONSE
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
      const interactive = r['interactive'] ?? false;
      if (typeof interactive !== 'boolean') throw new ControlError('BAD_REQUEST', '"interactive" must be true or false');
      const testTimeoutMs = r['testTimeoutMs'] ?? DEFAULT_TEST_TIMEOUT_MS;
      if (typeof testTimeoutMs !== 'number' || !Number.isInteger(testTimeoutMs) || testTimeoutMs < 1000 || testTimeoutMs > MAX_TEST_TIMEOUT_MS)
        throw new ControlError('BAD_REQUEST', `"testTimeoutMs" must be an integer 1000-${MAX_TEST_TIMEOUT_MS}`);
      return interactive ? { op: 'diag', include, interactive, testTimeoutMs } : { op: 'diag', include };
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
