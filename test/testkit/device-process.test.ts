// A test file that dies mid-test (tap's timeout signals it) must not leave its `halld` behind,
// nor the device's data folder — also after the device was restarted.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../testkit/wait.js';

const helper = fileURLToPath(new URL('../../testkit/device-process.js', import.meta.url));
const configHelper = fileURLToPath(new URL('../e2e/suites/device-config.js', import.meta.url));

/** Pids of processes whose command line names `needle` (the device's config file). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** A test file that starts a device (its broker is unreachable, so it keeps running), restarts it, and then hangs. */
const SCRIPT = `
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceProcess } from ${JSON.stringify(helper)};
import { deviceConfig } from ${JSON.stringify(configHelper)};
const dir = await mkdtemp(join(tmpdir(), 'halld-orphan-'));
const device = await deviceProcess({ teardown: () => undefined }, join(dir, 'dev'), deviceConfig('mqtt://127.0.0.1:9', 'orphan-check'));
device.start();
await device.kill('SIGKILL');
device.start();
console.log(JSON.stringify({ config: device.configFile, dir: join(dir, 'dev') }));
setInterval(() => undefined, 1000);
`;

for (const signal of ['SIGALRM', 'SIGTERM'] as const) {
  t.test(`a test process ended by ${signal}: the restarted halld and its folder are gone`, async (t) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const { config, dir } = await waitFor('the device started', () => (out.includes('\n') ? (JSON.parse(out) as { config: string; dir: string }) : undefined), 15_000);
    t.teardown(() => {
      for (const pid of processesWith(config)) process.kill(pid, 'SIGKILL'); // whatever this test finds left, it does not leave
      rmSync(dirname(dir), { recursive: true, force: true });
    });
    await waitFor('halld running', () => processesWith(config).length === 1, 15_000);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    await waitFor('no halld left for this config', () => processesWith(config).length === 0, 5_000).catch(() => undefined);
    t.same(processesWith(config), [], 'no orphaned halld');
    t.notOk(existsSync(dir), 'the device folder is removed');
  });
}
