// The CLI's side of the control socket: one request, one answer, a clear error when no
// daemon listens (no socket, or a socket nobody accepts on: a crashed daemon's leftover).
// An interactive diag's prompt lines arrive before the answer and go to `onPrompt`; aborting
// `signal` half-closes the connection, which tells the daemon to stop, and the answer (what
// ran until then) is still read.
import { connect } from 'node:net';
import type { Timers } from '../../drivers/clock/timers.js';
import { ControlError, socketPath, type ControlPrompt, type ControlRequest, type ControlResponse } from './control-protocol.js';

export interface ControlRequestOptions {
  /** Without a line from the daemon for this long the request fails with TIMEOUT (each line restarts it). */
  timeoutMs?: number;
  onPrompt?: (prompt: ControlPrompt['prompt']) => void;
  signal?: AbortSignal;
}

function connectError(err: NodeJS.ErrnoException, dataDir: string, path: string): ControlError {
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED')
    return new ControlError('NO_DAEMON', `no halld is running on data dir ${dataDir} (no one listens on ${path}); start it with \`systemctl start halld\` or \`halld run --config FILE\``, { cause: err });
  if (err.code === 'EACCES') return new ControlError('NO_DAEMON', `cannot open ${path}: permission denied (run as the halld user or root: sudo -u halld halld …)`, { cause: err });
  return new ControlError('NO_DAEMON', `cannot reach halld at ${path}: ${err.message}`, { cause: err });
}

function parseLine(line: string): ControlResponse | ControlPrompt {
  try {
    return JSON.parse(line) as ControlResponse | ControlPrompt;
  } catch (err) {
    throw new ControlError('BAD_RESPONSE', `halld answered something that is not JSON: ${line.slice(0, 200)}`, { cause: err });
  }
}

export async function controlRequest(dataDir: string, request: ControlRequest, timers: Timers, options: ControlRequestOptions | number = {}): Promise<Record<string, unknown>> {
  const o = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const path = socketPath(dataDir);
  const response = await new Promise<ControlResponse>((resolve, reject) => {
    const socket = connect({ path, allowHalfOpen: true });
    let text = '';
    let settled = false;
    let timer: ReturnType<Timers['setTimeout']> | undefined;
    const finish = (err: Error | undefined, value?: ControlResponse) => {
      if (settled) return;
      settled = true;
      timers.clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as ControlResponse);
    };
    const arm = () => {
      timers.clearTimeout(timer);
      timer = timers.setTimeout(() => finish(new ControlError('TIMEOUT', `halld at ${path} did not answer within ${timeoutMs} ms`)), timeoutMs);
    };
    const onAbort = () => {
      if (!socket.connecting && !socket.writableEnded) socket.end();
    };
    arm();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(`${JSON.stringify(request)}\n`);
      if (o.signal?.aborted) socket.end();
    });
    socket.on('data', (chunk: string) => {
      text += chunk;
      for (let newline = text.indexOf('\n'); newline >= 0 && !settled; newline = text.indexOf('\n')) {
        const line = text.slice(0, newline);
        text = text.slice(newline + 1);
        arm();
        try {
          const message = parseLine(line);
          if ('prompt' in message) o.onPrompt?.(message.prompt);
          else finish(undefined, message);
        } catch (err) {
          finish(err as Error);
        }
      }
    });
    socket.on('end', () => {
      if (text.trim() === '') finish(new ControlError('BAD_RESPONSE', `halld at ${path} closed the connection without an answer`));
      else {
        try {
          const message = parseLine(text);
          finish('prompt' in message ? new ControlError('BAD_RESPONSE', 'halld closed the connection after a prompt, without an answer') : undefined, 'prompt' in message ? undefined : message);
        } catch (err) {
          finish(err as Error);
        }
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(connectError(err, dataDir, path)));
  });
  if (!response.ok) throw new ControlError(response.error.code, response.error.message);
  return response.result;
}
