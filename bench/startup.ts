// Runtime RSS and start-to-birth time of a `halld run` device with the sys role vs a bare
// `node` process that only connects with mqtt.js and publishes a retained birth. Also the
// CPU time each process used until its birth (/proc/<pid>/stat): on a shared machine the wall
// clock moves with everyone else's load, the CPU a start needs much less.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { CLI } from '../testkit/device-process.js';
import { benchBroker } from './broker.js';
import { report, median } from './stats.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);

/** A bare node that connects with mqtt.js (from `modules`) and publishes a retained birth. */
export const bareBirthScript = (modules: string) => `
const mqtt = require(${JSON.stringify(join(modules, 'mqtt'))});
const c = mqtt.connect(process.argv[1], { clientId: 'bare-' + process.pid, protocolVersion: 4 });
c.on('connect', () => c.publish('halld/v1/bench/bare-' + process.pid + '/status', JSON.stringify({ v: 1, online: true }), { qos: 1, retain: true }));
setInterval(() => {}, 1000);
`;
const BARE = bareBirthScript(join(process.cwd(), 'node_modules'));

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** User + system CPU time of a process so far, ms (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) in parentheses: utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export async function measure(url: string, spawnIt: () => ChildProcess): Promise<{ birthMs: number; cpuMs: number; rss: number }> {
  const watcher = await mqtt.connectAsync(url, { protocolVersion: 4 });
  await watcher.subscribeAsync('halld/v1/bench/+/status', { qos: 1 });
  let born: (() => void) | undefined;
  const seenRetained = new Set<string>();
  watcher.on('message', (topic, payload, packet) => {
    if (packet.retain) return seenRetained.add(topic);
    if (payload.toString().includes('"online":true')) born?.();
  });
  const t0 = performance.now();
  const child = spawnIt();
  await new Promise<void>((r) => (born = r));
  const birthMs = performance.now() - t0;
  const cpu = await cpuMs(child.pid as number);
  await new Promise((r) => setTimeout(r, 1500));
  const rss = await rssMb(child.pid as number);
  child.kill('SIGKILL');
  await watcher.endAsync();
  return { birthMs, cpuMs: cpu, rss };
}

export async function benchStartup(): Promise<void> {
  const broker = await benchBroker();
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-start-'));
  try {
    const ours: { birthMs: number; cpuMs: number; rss: number }[] = [];
    const bare: { birthMs: number; cpuMs: number; rss: number }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const config = join(dir, `dev${r}.json`);
      await writeFile(config, JSON.stringify({ hall: 'bench', device: `start-${r}`, board: 'sim', dataDir: join(dir, `data${r}`), broker: { url: broker.url }, log: { level: 'warn' } }));
      bare.push(await measure(broker.url, () => spawn(process.execPath, ['-e', BARE, broker.url], { stdio: 'ignore' })));
      ours.push(await measure(broker.url, () => spawn(process.execPath, [CLI, 'run', '--config', config], { stdio: 'ignore' })));
    }
    report('start to birth (sys role)', median(ours.map((o) => o.birthMs)), 'ms', 'bare node + mqtt.js birth', median(bare.map((b) => b.birthMs)), `median of ${ROUNDS}`);
    report('CPU to birth (sys role)', median(ours.map((o) => o.cpuMs)), 'ms', 'bare node + mqtt.js', median(bare.map((b) => b.cpuMs)), `median of ${ROUNDS}, user+sys`);
    report('RSS after birth (sys role)', median(ours.map((o) => o.rss)), 'MB', 'bare node + mqtt.js', median(bare.map((b) => b.rss)), `median of ${ROUNDS}`);
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
