// The CLI's side of the control socket: one request, one answer, a clear error when no
// daemon listens (no socket, or a socket nobody accepts on: a crashed daemon's leftover).
import { connect } from 'node:net';
import type { Timers } from '../../drivers/clock/timers.js';
import { ControlError, socketPath, type ControlRequest, type ControlResponse } from './control-protocol.js';

export async function controlRequest(dataDir: string, request: ControlRequest, timers: Timers, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const path = socketPath(dataDir);
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(path);
    let text = '';
    const timer = timers.setTimeout(() => {
      socket.destroy();
      reject(new ControlError('TIMEOUT', `halld at ${path} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      timers.clearTimeout(timer);
      resolve(text);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      timers.clearTimeout(timer);
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') reject(new ControlError('NO_DAEMON', `no halld is running on data dir ${dataDir} (no one listens on ${path}); start it with \`systemctl start halld\` or \`halld run --config FILE\``, { cause: err }));
      else if (err.code === 'EACCES') reject(new ControlError('NO_DAEMON', `cannot open ${path}: permission denied (run as the halld user or root: sudo -u halld halld …)`, { cause: err }));
      else reject(new ControlError('NO_DAEMON', `cannot reach halld at ${path}: ${err.message}`, { cause: err }));
    });
  });
  let response: ControlResponse;
  try {
    response = JSON.parse(raw) as ControlResponse;
  } catch (err) {
    throw new ControlError('BAD_RESPONSE', `halld answered something that is not JSON: ${raw.slice(0, 200)}`, { cause: err });
  }
  if (!response.ok) throw new ControlError(response.error.code, response.error.message);
  return response.result;
}
