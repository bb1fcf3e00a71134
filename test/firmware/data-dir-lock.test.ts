// One device, one process: a second `halld run` on the same config exits at once with one
// line naming the pid that holds the data dir; a lock left by a dead process is taken over.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI, runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';

/** Only a safety kill for a hung child: on a loaded shared machine one Node start can take many seconds. */
const CLI_KILL_MS = 90_000;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(t: { teardown(fn: () => unknown): void }, file: string): Running {
  const child = spawn(process.execPath, [CLI, 'run', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HALLD_LOG: 'info' } });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  t.teardown(() => void child.kill('SIGKILL'));
  return { child, output: () => out, exited };
}

t.test('a second halld on the same data dir exits naming the pid that holds it', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'device.json');
  // No broker listens on port 1: the device runs and keeps retrying, which is all this needs.
  await writeFile(file, JSON.stringify({ hall: 'hall-1', device: 'dev-1', dataDir: './data', broker: { url: 'mqtt://127.0.0.1:1' } }));
  const lockFile = join(dir, 'data', 'halld.pid');

  const first = start(t, file);
  await waitFor('first device started', () => first.output().includes('"msg":"device started"'), 60_000);
  t.equal((await readFile(lockFile, 'utf8')).trim(), String(first.child.pid), 'halld.pid names the first process');

  const second = await runCli(['run', '--config', file], CLI_KILL_MS);
  t.equal(second.code, 4, 'exit 4: locked');
  t.equal(second.stderr.trim().split('\n').length, 1, 'one line');
  t.match(second.stderr, new RegExp(`^halld: ${file}: data dir ${join(dir, 'data')} is in use by halld pid ${first.child.pid}; `));
  t.ok(first.child.exitCode === null, 'the first one is still running');

  first.child.kill('SIGTERM');
  t.equal(await first.exited, 0);
  t.notOk(existsSync(lockFile), 'a clean stop releases the lock');
});

t.test('a lock left by a process that died is taken over', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'device.json');
  await writeFile(file, JSON.stringify({ hall: 'hall-1', device: 'dev-2', dataDir: './data', broker: { url: 'mqtt://127.0.0.1:1' } }));
  const gone = spawn(process.execPath, ['-e', '']);
  const deadPid = await new Promise<number>((resolve) => gone.on('exit', () => resolve(gone.pid ?? 0)));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data', 'halld.pid'), `${deadPid}\n`);
  const device = start(t, file);
  await waitFor('device started over a stale lock', () => device.output().includes('"msg":"device started"'), 60_000);
  t.equal((await readFile(join(dir, 'data', 'halld.pid'), 'utf8')).trim(), String(device.child.pid));
  device.child.kill('SIGTERM');
  t.equal(await device.exited, 0);
});
