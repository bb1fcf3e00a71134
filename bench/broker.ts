// The broker the benchmarks run on: a real Mosquitto process when installed (as in
// production), else aedes in a child process, so broker work never shares our event loop.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto, mosquittoPath, freePort } from '../testkit/mosquitto.js';
import { waitFor } from '../testkit/wait.js';
import { connect } from 'node:net';

export interface BenchBroker {
  url: string;
  name: string;
  stop(): Promise<void>;
}

export async function benchBroker(): Promise<BenchBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-'));
  if (mosquittoPath()) {
    const b = await startMosquitto(dir, { maxQueued: 0 });
    return { url: b.url, name: 'mosquitto', stop: async () => (await b.stop(), await rm(dir, { recursive: true, force: true })) };
  }
  const port = await freePort();
  const script = `import('${new URL('../simulators/hall/aedes-broker.js', import.meta.url).href}').then(m => m.startAedesBroker({ port: ${port} }))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  await waitFor('aedes', () => new Promise<boolean>((r) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
  }));
  return { url: `mqtt://127.0.0.1:${port}`, name: 'aedes', stop: async () => (child.kill('SIGKILL'), await rm(dir, { recursive: true, force: true })) };
}
