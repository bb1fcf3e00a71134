// What a technician reads: `halld run --log pretty` against a broker. Each command in gives
// one readable line out (its id, the answer's code, the time it took; refusals at WARN), no
// line is written twice, a board part that cannot be opened is a WARN line and sits in the
// retained state/sys, and sys/identify names only the parts it really used.
import t from 'tap';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import type { StateMessage } from '../../protocol/messages.js';
import { CLI } from '../../testkit/device-process.js';
import { testServer } from '../../testkit/hall-server.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';

t.test('a command in, one readable line out; hardware problems at warn and in state/sys; identify tells the truth', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const server = await testServer(t, { url: broker.url });
  const states: StateMessage[] = [];
  server.client.onState((device, role, state) => void (device === 'dev-log' && role === 'sys' && states.push(state)));
  // rpi-4b on a machine without its GPIO chip: the input cannot be opened.
  const config = {
    hall: 'test-hall',
    device: 'dev-log',
    board: 'rpi-4b',
    dataDir: './data',
    broker: { url: broker.url, reconnectMinMs: 100 },
    io: { inputs: { 'cat-a': { pin: 'GPIO17', pull: 'up', activeLow: true } } },
  };
  const file = join(dir, 'dev-log.json');
  await writeFile(file, JSON.stringify(config));
  const child = spawn(process.execPath, [CLI, 'run', '--config', file, '--log', 'pretty', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HALLD_LOG: '' } });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await server.waitOnline('dev-log');

  const identify = await server.client.command('dev-log', 'sys/identify', { durationMs: 500 }, { id: 'ident-1' });
  t.match(identify, { ok: true, data: { via: [] } }, 'no speaker and no LED configured: identify used nothing');
  const unknown = await server.client.commandUnchecked('dev-log', 'sys/nope', {}, { id: 'bad-1' });
  t.match(unknown, { ok: false, error: { code: 'UNKNOWN_COMMAND' } });
  // Barrier: the last command's line is written after the earlier ones (one process, in order).
  await server.client.command('dev-log', 'sys/ping', { n: 1 }, { id: 'last-1' });
  await waitFor('the last line', () => out.includes('last-1'), 60_000);
  const hardware = await waitFor('state/sys with the hardware report', () => states.find((s) => s.data['hardware'] !== undefined), 60_000);

  const lines = out.trim().split('\n');
  const about = (id: string) => lines.filter((l) => l.includes(id));
  t.equal(about('ident-1').length, 1, 'identify: one line');
  t.match(about('ident-1')[0], /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: sys\/identify ident-1 -> ok in \d+ ms/);
  t.equal(about('bad-1').length, 1, 'a refusal: one line');
  t.match(about('bad-1')[0], /WARN: sys\/nope bad-1 -> UNKNOWN_COMMAND in \d+ ms/);
  t.match(out, /WARN: hardware: input:cat-a: /, 'the part that could not be opened is a warning');
  t.match(hardware.data, { hardware: { ok: false, faults: [{ part: 'input:cat-a' }] } }, 'and it is in the retained state');
  const withoutTime = lines.map((l) => l.replace(/^\[[^\]]+\] /, ''));
  t.same(
    withoutTime.filter((l, i) => withoutTime.indexOf(l) !== i),
    [],
    'no line is written twice',
  );
  t.notMatch(out, /^\{"level"/m, 'pretty, not JSON');
  child.kill('SIGTERM');
});
