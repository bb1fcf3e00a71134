// Where a start goes: `node dist/bench/startup-profile.js [--starts=N]` profiles N starts of
// the bare floor (bench/startup.ts) and of a `sys` device (`halld run` of the bundle) with
// `node --cpu-prof`, keeps the samples until the birth reached a watcher (the profiler's
// timestamps and process.hrtime read the same monotonic clock), and prints for each: self time
// by function and by source module (the bundle's functions mapped through its source maps),
// inclusive time of the frames that are not Node's own, and 1.5 s after the birth the resident
// memory by mapping (/proc/<pid>/smaps) and process.memoryUsage(). docs/performance.md,
// "Start and memory", has what it showed. The profiler slows a start: read shares, not times.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { CLI } from '../testkit/device-process.js';
import { benchBroker } from './broker.js';
import { bareBirthScript } from './startup.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}
interface Start {
  profile: CpuProfile;
  /** process.hrtime of the birth's arrival, µs. */
  bornUs: number;
  smaps: Map<string, number>;
  memory: NodeJS.MemoryUsage;
}

const STARTS = Number(process.argv.find((a) => a.startsWith('--starts='))?.slice('--starts='.length) ?? 5);

/** Resident kB by mapping (file, or [anon], [heap], …). */
async function smapsByMapping(pid: number): Promise<Map<string, number>> {
  const by = new Map<string, number>();
  let mapping = '[anon]';
  for (const line of (await readFile(`/proc/${pid}/smaps`, 'utf8')).split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) mapping = head[1] || '[anon]';
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) by.set(mapping, (by.get(mapping) ?? 0) + Number(rss[1]));
  }
  return by;
}

async function profileStart(url: string, dir: string, args: string[]): Promise<Start> {
  const out = await mkdtemp(join(dir, 'start-'));
  const memoryFile = join(out, 'memory.json');
  // Preloaded into the child: memory on SIGUSR2, and an exit on SIGTERM before anything else runs (--cpu-prof writes the profile at exit).
  const hook = join(out, 'hook.cjs');
  await writeFile(hook, `process.on('SIGUSR2', () => require('fs').writeFileSync(${JSON.stringify(memoryFile)}, JSON.stringify(process.memoryUsage())));\nprocess.on('SIGTERM', () => process.exit(0));\n`);
  const watcher = await mqtt.connectAsync(url, { protocolVersion: 4 });
  await watcher.subscribeAsync('halld/v1/bench/+/status', { qos: 1 });
  let born: ((us: number) => void) | undefined;
  watcher.on('message', (_topic, payload, packet) => {
    if (!packet.retain && payload.toString().includes('"online":true')) born?.(Number(process.hrtime.bigint() / 1000n));
  });
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, '-r', hook, ...args], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const bornUs = await new Promise<number>((resolve) => (born = resolve));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const smaps = await smapsByMapping(child.pid as number);
  child.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const memory = JSON.parse(await readFile(memoryFile, 'utf8')) as NodeJS.MemoryUsage;
  child.kill('SIGTERM');
  await exited;
  await watcher.endAsync();
  const file = (await readdir(out)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written for ${args.join(' ')}`);
  return { profile: JSON.parse(await readFile(join(out, file), 'utf8')) as CpuProfile, bornUs, smaps, memory };
}

const sourceMaps = new Map<string, SourceMap | undefined>();

async function sourceMapOf(url: string): Promise<SourceMap | undefined> {
  if (!sourceMaps.has(url)) {
    let map: SourceMap | undefined;
    try {
      if (url.startsWith('file://')) map = new SourceMap(JSON.parse(await readFile(`${fileURLToPath(url)}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      // no map (a package loaded from node_modules): the url itself names the module
    }
    sourceMaps.set(url, map);
  }
  return sourceMaps.get(url);
}

/** The module a frame's code came from: its original source through the bundle's map, shortened. */
async function moduleOf(frame: CallFrame): Promise<string> {
  let module = frame.url || `(${frame.functionName})`;
  const map = frame.url ? await sourceMapOf(frame.url) : undefined;
  const entry = map && frame.lineNumber >= 0 ? map.findEntry(frame.lineNumber, frame.columnNumber) : undefined;
  // findEntry answers {} where the map has nothing for that position.
  const source = (entry as { originalSource?: unknown } | undefined)?.originalSource;
  if (typeof source === 'string' && source !== '') module = source;
  module = module.replace(/^.*node_modules\//, 'npm:').replace(/^.*\/dist\//, '').replace(/^(\.\.\/)+/, '');
  return module.startsWith('node:') ? `node:${module.slice(5).split('/')[0]}` : module;
}

interface Shares {
  sampledMs: number;
  selfByFunction: Map<string, number>;
  selfByModule: Map<string, number>;
  inclusive: Map<string, number>;
}

async function shares(start: Start): Promise<Shares> {
  const { profile, bornUs } = start;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = profile.startTime;
  let sampledMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t > bornUs) break;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + ms);
    sampledMs += ms;
  }
  const label = new Map<number, { fn: string; module: string }>();
  for (const n of profile.nodes) label.set(n.id, { fn: n.callFrame.functionName || '(anonymous)', module: await moduleOf(n.callFrame) });
  const out: Shares = { sampledMs, selfByFunction: new Map(), selfByModule: new Map(), inclusive: new Map() };
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [id, ms] of self) {
    const own = label.get(id) as { fn: string; module: string };
    add(out.selfByFunction, `${own.fn} ${own.module}:${(byId.get(id)?.callFrame.lineNumber ?? -1) + 1}`, ms);
    add(out.selfByModule, own.module, ms);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const l = label.get(x) as { fn: string; module: string };
      const key = `${l.fn} ${l.module}`;
      if (l.module.startsWith('node:') || l.module.startsWith('(') || seen.has(key)) continue;
      seen.add(key);
      add(out.inclusive, key, ms);
    }
  }
  return out;
}

function meanOf(all: Shares[], pick: (s: Shares) => Map<string, number>): [string, number][] {
  const sum = new Map<string, number>();
  for (const s of all) for (const [k, v] of pick(s)) sum.set(k, (sum.get(k) ?? 0) + v / all.length);
  return [...sum].sort((a, b) => b[1] - a[1]);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

function print(name: string, starts: Start[], all: Shares[]): void {
  const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w(`\n=== ${name}: ${starts.length} starts; sampled until birth ${median(all.map((s) => s.sampledMs)).toFixed(0)} ms (median)`);
  w(`memory 1.5 s after birth (median): rss ${mb(median(starts.map((s) => s.memory.rss)))} MB, heap used ${mb(median(starts.map((s) => s.memory.heapUsed)))}, heap total ${mb(median(starts.map((s) => s.memory.heapTotal)))}, external ${mb(median(starts.map((s) => s.memory.external)))}`);
  const smaps = new Map<string, number>();
  for (const s of starts) for (const [k, v] of s.smaps) smaps.set(k, (smaps.get(k) ?? 0) + v / starts.length / 1024);
  w(`resident by mapping (MB, mean): ${[...smaps].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k.replace(/^.*node_modules\//, 'npm:')} ${v.toFixed(1)}`).join('; ')}`);
  w('-- self time by function (ms, mean):');
  for (const [k, v] of meanOf(all, (s) => s.selfByFunction).slice(0, 25)) w(`${v.toFixed(1).padStart(7)}  ${k}`);
  w('-- self time by module (ms, mean):');
  for (const [k, v] of meanOf(all, (s) => s.selfByModule).slice(0, 20)) w(`${v.toFixed(1).padStart(7)}  ${k}`);
  w('-- inclusive time of frames not Node\'s own (ms, mean):');
  for (const [k, v] of meanOf(all, (s) => s.inclusive).slice(0, 40)) w(`${v.toFixed(1).padStart(7)}  ${k}`);
}

const broker = await benchBroker();
const dir = await mkdtemp(join(tmpdir(), 'halld-start-profile-'));
try {
  const bare: Start[] = [];
  const device: Start[] = [];
  for (let r = 0; r < STARTS; r++) {
    bare.push(await profileStart(broker.url, dir, ['-e', bareBirthScript(join(process.cwd(), 'node_modules')), broker.url]));
    const config = join(dir, `dev${r}.json`);
    await writeFile(config, JSON.stringify({ hall: 'bench', device: `profile-${r}`, board: 'sim', dataDir: join(dir, `data${r}`), broker: { url: broker.url }, log: { level: 'warn' } }));
    device.push(await profileStart(broker.url, dir, [CLI, 'run', '--config', config]));
  }
  print('bare node + mqtt.js birth', bare, await Promise.all(bare.map(shares)));
  print('halld run, sys role', device, await Promise.all(device.map(shares)));
} finally {
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
}
