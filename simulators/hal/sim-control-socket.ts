// The sim board's buttons for a test outside the device's process: `halld run` on the sim
// board with HALLD_SIM_CONTROL=1 in its environment (testkit/device-process.ts sets it)
// listens on `halld-sim.sock` in its data dir (0600), and a test presses and releases
// inputs through it, as a person would press the real buttons of a board the CLI talks to.
// One JSON line each way: {"op":"press"|"release","input":"btn-a"} → {"ok":true} or
// {"ok":false,"error":"…"}. Only inputs: everything else of a child device's sim board a test
// can already reach (a network printer served from the test, the broker).
import { createServer, connect, type Server } from 'node:net';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { SimControls } from './sim-controls.js';

export const SIM_SOCKET_FILE = 'halld-sim.sock';

export interface SimControlRequest {
  op: 'press' | 'release';
  input: string;
}

export interface SimControlSocket {
  readonly path: string;
  close(): Promise<void>;
}

export function simSocketPath(dataDir: string): string {
  return join(dataDir, SIM_SOCKET_FILE);
}

function removeStale(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function perform(line: string, controls: SimControls | undefined): { ok: true } | { ok: false; error: string } {
  if (!controls) return { ok: false, error: 'the device is restarting; no sim board right now' };
  try {
    const r = JSON.parse(line) as Partial<SimControlRequest>;
    if (typeof r.input !== 'string') return { ok: false, error: '"input" must be the name of an io input' };
    if (r.op === 'press') controls.press(r.input);
    else if (r.op === 'release') controls.release(r.input);
    else return { ok: false, error: `unknown op ${JSON.stringify(r.op)}; one of press, release` };
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** Serves the controls of whichever sim board is current (the device may restart in-process). */
export async function startSimControlSocket(dataDir: string, controls: () => SimControls | undefined): Promise<SimControlSocket> {
  const path = simSocketPath(dataDir);
  removeStale(path);
  const server: Server = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      text += chunk;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
        const line = text.slice(0, nl);
        text = text.slice(nl + 1);
        socket.write(`${JSON.stringify(perform(line, controls()))}\n`);
      }
    });
  });
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(previous);
  }
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        removeStale(path);
      }),
  };
}

/** The test's side: one request on its own connection; rejects with the device's error. */
export function simControl(dataDir: string, request: SimControlRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(simSocketPath(dataDir));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!text.includes('\n')) return;
      socket.end();
      const answer = JSON.parse(text) as { ok: boolean; error?: string };
      if (answer.ok) resolve();
      else reject(new Error(`sim ${request.op} ${request.input}: ${answer.error ?? 'refused'}`));
    });
    socket.on('error', reject);
  });
}
