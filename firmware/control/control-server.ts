// The daemon's side of the control socket. Mode 0600 (created under a umask, so there is no
// moment it is open to others); a socket file left by a crash is replaced — the data-dir lock
// is held before this starts, so nothing else can be listening on it. A connection must send
// its request line within requestTimeoutMs (then it is answered TIMEOUT and closed; a request
// being handled, an interactive diag included, has no such limit), and at most maxConnections
// are open (one more is answered BUSY at once): idle connections cannot pile up.
import { createServer, type Server, type Socket } from 'node:net';
import type { Timers } from '../../drivers/clock/timers.js';
import { listenPrivate } from '../../drivers/os/private-socket.js';
import { ControlError, MAX_REQUEST_BYTES, parseRequest, socketPath, type ControlPrompt, type ControlRequest, type ControlResponse } from './control-protocol.js';

/** One connection as a handler sees it: lines to send before the answer, and whether the client is still there. */
export interface ControlSession {
  /** Sends one `{"prompt": …}` line now (an interactive test's instruction). */
  prompt(test: string, text: string): void;
  /** Aborted when the client half-closes (the technician's Ctrl-C) or goes away. */
  readonly signal: AbortSignal;
}

export type ControlHandler = (request: ControlRequest, session: ControlSession) => Promise<Record<string, unknown>>;

export interface ControlServer {
  readonly path: string;
  close(): Promise<void>;
}

export interface ControlServerOptions {
  dataDir: string;
  handle: ControlHandler;
  timers: Timers;
  onError?: (err: Error) => void;
  /** A connection's request line must be complete within this (default 10 s). */
  requestTimeoutMs?: number;
  /** Open connections at most (default 16); `halld status` needs one. */
  maxConnections?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_CONNECTIONS = 16;

function answer(socket: Socket, response: ControlResponse): void {
  if (socket.writable) socket.end(`${JSON.stringify(response)}\n`);
  else socket.destroy();
}

function serve(socket: Socket, handle: ControlHandler, timers: Timers, requestTimeoutMs: number): void {
  let buffered = '';
  let done = false;
  const deadline = timers.setTimeout(() => {
    if (done) return;
    done = true;
    answer(socket, { ok: false, error: { code: 'TIMEOUT', message: `no complete request line within ${requestTimeoutMs} ms; closed` } });
  }, requestTimeoutMs);
  socket.on('close', () => timers.clearTimeout(deadline));
  const abort = new AbortController();
  // The server is allowHalfOpen: a client's end is "stop what you are doing", and the answer
  // (with what ran so far) can still be written back.
  socket.on('end', () => abort.abort(new ControlError('ABORTED', 'aborted by the technician')));
  socket.on('close', () => abort.abort(new ControlError('ABORTED', 'the client went away')));
  const session: ControlSession = {
    prompt: (test, text) => {
      if (socket.writable) socket.write(`${JSON.stringify({ prompt: { test, text } } satisfies ControlPrompt)}\n`);
    },
    signal: abort.signal,
  };
  socket.setEncoding('utf8');
  socket.on('error', () => undefined); // a client that went away: nothing to tell it
  socket.on('data', (chunk: string) => {
    if (done) return;
    buffered += chunk;
    const newline = buffered.indexOf('\n');
    if (newline < 0 && buffered.length <= MAX_REQUEST_BYTES) return;
    done = true;
    timers.clearTimeout(deadline);
    if (newline < 0 || newline > MAX_REQUEST_BYTES) {
      answer(socket, { ok: false, error: { code: 'TOO_LARGE', message: `request longer than ${MAX_REQUEST_BYTES} bytes` } });
      return;
    }
    let request: ControlRequest;
    try {
      request = parseRequest(buffered.slice(0, newline));
    } catch (err) {
      const e = err as ControlError;
      answer(socket, { ok: false, error: { code: e.code, message: e.message } });
      return;
    }
    handle(request, session).then(
      (result) => answer(socket, { ok: true, result }),
      (err: unknown) => {
        const e = err as Partial<ControlError> & Error;
        answer(socket, { ok: false, error: { code: typeof e.code === 'string' ? e.code : 'FAILED', message: e.message } });
      },
    );
  });
}

/** sun_path is 108 bytes with its NUL; Node would silently listen on a truncated path. */
const MAX_SOCKET_PATH_BYTES = 107;

export async function startControlServer(o: ControlServerOptions): Promise<ControlServer> {
  const path = socketPath(o.dataDir);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) throw new ControlError('PATH_TOO_LONG', `${path} is longer than a unix socket path may be (${MAX_SOCKET_PATH_BYTES} bytes); use a shorter dataDir`);
  const requestTimeoutMs = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxConnections = o.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const open = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    if (open.size >= maxConnections) {
      socket.on('error', () => undefined);
      answer(socket, { ok: false, error: { code: 'BUSY', message: `too many control connections (${open.size} open, at most ${maxConnections}); try again` } });
      return;
    }
    open.add(socket);
    // Counted until it is answered (our end written) or gone, not until the client hangs up too.
    socket.on('finish', () => open.delete(socket));
    socket.on('close', () => open.delete(socket));
    serve(socket, o.handle, o.timers, requestTimeoutMs);
  });
  server.on('error', (err) => o.onError?.(err));
  return listenPrivate(server, path);
}
