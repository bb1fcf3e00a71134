// sys/ping round trip through a `halld run` device vs a bare mqtt.js echo on the same broker.
// Both the device and the echo are separate processes; both sides use TCP_NODELAY and QoS 1;
// their samples alternate.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { Socket } from 'node:net';
import { HallClient } from '../protocol/hall-client.js';
import { CLI } from '../testkit/device-process.js';
import { waitFor } from '../testkit/wait.js';
import { benchBroker } from './broker.js';
import { summary, report } from './stats.js';

const N = Number(process.env['BENCH_N'] ?? 2000);
const WARMUP = 200;

const ECHO = `
const mqtt = require(${JSON.stringify(require_resolve('mqtt'))});
const c = mqtt.connect(process.argv[1], { clientId: 'bench-echo', protocolVersion: 4 });
c.on('connect', () => { c.stream.setNoDelay(true); c.subscribe('bench/echo/req', { qos: 1 }, () => process.stdout.write('ready\\n')); });
c.on('message', (_t, p) => c.publish('bench/echo/res', p, { qos: 1 }));
`;

function require_resolve(name: string): string {
  return join(process.cwd(), 'node_modules', name);
}

export async function benchPing(): Promise<void> {
  const broker = await benchBroker();
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-ping-'));
  const children: ChildProcess[] = [];
  try {
    // Floor: bare echo. Both sides are up at once and their samples alternate, so a load that
    // comes and goes on the machine weighs on both the same (the ratio is what CI checks).
    const echo = spawn(process.execPath, ['-e', ECHO, broker.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(echo);
    await new Promise<void>((r) => echo.stdout?.once('data', () => r()));
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    (client.stream as unknown as Socket).setNoDelay(true);
    await client.subscribeAsync('bench/echo/res', { qos: 1 });
    let waiting: (() => void) | undefined;
    client.on('message', () => waiting?.());
    const echoOnce = (i: number) =>
      new Promise<void>((r) => {
        waiting = r;
        client.publish('bench/echo/req', JSON.stringify({ v: 1, id: `e${i}`, data: { i } }), { qos: 1 });
      });

    // Through halld.
    const config = join(dir, 'dev.json');
    await writeFile(config, JSON.stringify({ hall: 'bench', device: 'bench-dev', board: 'sim', dataDir: join(dir, 'data'), broker: { url: broker.url }, log: { level: 'warn' } }));
    const dev = spawn(process.execPath, [CLI, 'run', '--config', config], { stdio: 'ignore' });
    children.push(dev);
    const server = new HallClient({ url: broker.url, hall: 'bench' });
    await server.connect();
    await waitFor('device online', () => server.status('bench-dev')?.online === true || undefined, 20_000);
    const floor: number[] = [];
    const rtt: number[] = [];
    for (let i = 0; i < N + WARMUP; i++) {
      const t0 = performance.now();
      await echoOnce(i);
      const t1 = performance.now();
      const ack = await server.command('bench-dev', 'sys/ping', { i });
      const t2 = performance.now();
      if (!ack.ok) throw new Error(`ping failed: ${JSON.stringify(ack)}`);
      if (i >= WARMUP) {
        floor.push(t1 - t0);
        rtt.push(t2 - t1);
      }
    }
    await client.endAsync();
    await server.close();
    const f = summary(floor);
    const h = summary(rtt);
    report('sys/ping round trip p50', h.p50, 'ms', `bare mqtt.js echo on ${broker.name}`, f.p50, `p99 ${h.p99.toFixed(2)} vs ${f.p99.toFixed(2)} ms, n=${h.n}`);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
