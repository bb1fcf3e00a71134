// systemd's notify protocol, tested against a fake NOTIFY_SOCKET: a python3 datagram socket
// that prints each message it reads (and closes the fd systemd-notify passes with BARRIER=1,
// as systemd does, so the sender returns). The real systemd-notify binary sends.
import t, { type Test } from 'tap';
import sinon from 'sinon';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceNotifier, serviceNotifierFromEnv } from '../../firmware/systemd/service-notifier.js';
import { systemdNotifyBinary, type Notifier } from '../../firmware/systemd/sd-notify.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { CLI } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { writeFile } from 'node:fs/promises';

const RECEIVER = `
import socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
while True:
    msg, fds, flags, addr = socket.recv_fds(s, 4096, 8)
    for fd in fds: os.close(fd)
    text = msg.decode().replace("\\n", " ")
    if text != "BARRIER=1": print(text, flush=True)
`;

function missing(tool: string): string | false {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return false;
  } catch {
    return `${tool} is not installed`;
  }
}
const skip = missing('systemd-notify') || missing('python3');

interface Receiver {
  path: string;
  messages: string[];
}

async function fakeNotifySocket(t: Test, dir: string): Promise<Receiver> {
  const path = join(dir, 'notify.sock');
  const py = spawn('python3', ['-c', RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => void py.kill('SIGKILL'));
  const messages: string[] = [];
  const lines = createInterface({ input: py.stdout });
  let listening = false;
  lines.on('line', (l) => (l === 'listening' ? (listening = true) : messages.push(l)));
  await waitFor('fake notify socket', () => listening, 10_000);
  return { path, messages };
}

t.test('ServiceNotifier: pings every WatchdogSec/2 on the injected timers, through a real systemd-notify', { skip }, async (t) => {
  const dir = await tempDir(t);
  const rx = await fakeNotifySocket(t, dir);
  const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  t.teardown(() => clock.restore());
  const env = { ...process.env, NOTIFY_SOCKET: rx.path, WATCHDOG_USEC: '2000000', WATCHDOG_PID: String(process.pid) };
  const n = serviceNotifierFromEnv(env, process.pid, (e) => systemdNotifyBinary(process.pid, e), globalTimers, (err) => t.fail(err.message));
  if (!n) throw new Error('no notifier');
  t.equal(n.pingEveryMs, 1000, 'half of WATCHDOG_USEC');
  n.startWatchdog();
  n.ready('up');
  await waitFor('READY', () => rx.messages.length >= 1);
  t.match(rx.messages[0], new RegExp(`^MAINPID=${process.pid} READY=1 STATUS=up$`));
  t.equal(n.pings, 0, 'no ping before the interval');
  clock.tick(1000);
  await waitFor('first WATCHDOG', () => rx.messages.length >= 2);
  // A tick while the first is still being delivered is skipped by design (no pile-up of pings
  // behind a slow systemd-notify): on a loaded machine, wait for it to be done.
  await waitFor('first WATCHDOG delivered', () => !n.pingInFlight, 20_000);
  clock.tick(1000);
  await waitFor('second WATCHDOG', () => rx.messages.length >= 3);
  t.same(rx.messages.slice(1), [`MAINPID=${process.pid} WATCHDOG=1`, `MAINPID=${process.pid} WATCHDOG=1`]);
  n.stopping();
  await waitFor('STOPPING', () => rx.messages.length >= 4);
  t.equal(rx.messages[3], `MAINPID=${process.pid} STOPPING=1`);
  clock.tick(5000);
  await n.status('after stop'); // a later message as the barrier: no ping came before it
  await waitFor('barrier', () => rx.messages.length >= 5);
  t.equal(rx.messages[4], `MAINPID=${process.pid} STATUS=after stop`, 'no WATCHDOG after STOPPING');
});

t.test('no watchdog when WATCHDOG_PID names another process; nothing at all without NOTIFY_SOCKET', async (t) => {
  const calls: string[][] = [];
  const fake: Notifier = { notify: async (...a) => void calls.push(a) };
  t.equal(serviceNotifierFromEnv({}, 42, () => fake, globalTimers, () => undefined), undefined);
  const other = serviceNotifierFromEnv({ NOTIFY_SOCKET: '/x', WATCHDOG_USEC: '1000000', WATCHDOG_PID: '7' }, 42, () => fake, globalTimers, () => undefined);
  t.equal(other?.pingEveryMs, undefined);
  const n = new ServiceNotifier({ notifier: fake, timers: globalTimers });
  n.ready('a');
  n.ready('b');
  await n.status('c');
  t.same(calls, [['READY=1', 'STATUS=a'], ['STATUS=c']], 'READY once per process, messages in order');
});

t.test('a hung event loop stops the WATCHDOG pings; they resume when it runs again', { skip }, async (t) => {
  const dir = await tempDir(t);
  const rx = await fakeNotifySocket(t, dir);
  const fixture = fileURLToPath(new URL('./fixtures/watchdog-loop.js', import.meta.url));
  // Pings every 100 ms; the loop is blocked for 1 s, ten ping periods.
  const child: ChildProcess = spawn(process.execPath, [fixture], { stdio: ['pipe', 'inherit', 'inherit'], env: { ...process.env, NOTIFY_SOCKET: rx.path, WATCHDOG_USEC: '200000', HANG_MS: '1000' } });
  t.teardown(() => void child.kill('SIGKILL'));
  const pid = child.pid ?? 0;
  await waitFor('READY and two pings', () => rx.messages.filter((m) => m.endsWith('WATCHDOG=1')).length >= 2);
  t.equal(rx.messages[0], `MAINPID=${pid} READY=1 STATUS=fixture up`);
  child.stdin?.write('hang\n');
  const marker = await waitFor('the hang marker', () => rx.messages.find((m) => m.includes('STATUS=hang ')), 20_000);
  const [, before, after] = /before=(\d+) after=(\d+)/.exec(marker) ?? [];
  t.ok(Number(before) >= 2, 'pings before the hang');
  t.equal(after, before, 'no ping was made while the loop was blocked (ten ping periods)');
  // Messages leave in order: exactly the pings made before the block precede the marker.
  t.equal(rx.messages.slice(0, rx.messages.indexOf(marker)).filter((m) => m.endsWith('WATCHDOG=1')).length, Number(before), 'and no other WATCHDOG=1 reached the socket before the marker');
  await waitFor('pings again after the hang', () => rx.messages.slice(rx.messages.indexOf(marker)).some((m) => m.endsWith('WATCHDOG=1')), 20_000);
  t.pass('pings resume when the loop runs again');
  child.stdin?.write('quit\n');
});

t.test('halld run: READY=1 after its birth on the broker, then WATCHDOG=1', { skip }, async (t) => {
  const dir = await tempDir(t);
  const rx = await fakeNotifySocket(t, dir);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const config = join(dir, 'dev.json');
  await writeFile(config, JSON.stringify({ hall: 'test-hall', device: 'wd-1', board: 'sim', dataDir: join(dir, 'data'), broker: { url: broker.url } }));
  let online = false;
  broker.aedes.on('publish', (packet) => {
    if (packet.topic === 'halld/v1/test-hall/wd-1/status' && packet.payload.toString().includes('"online":true')) online = true;
  });
  const child = spawn(process.execPath, [CLI, 'run', '--config', config], { stdio: 'ignore', env: { ...process.env, NOTIFY_SOCKET: rx.path, WATCHDOG_USEC: '400000', HALLD_LOG: 'warn' } });
  t.teardown(() => void child.kill('SIGKILL'));
  await waitFor('READY', () => rx.messages.find((m) => m.includes('READY=1')), 20_000);
  t.ok(online, 'the birth was on the broker before READY=1');
  t.match(rx.messages.find((m) => m.includes('READY=1')), new RegExp(`^MAINPID=${child.pid} READY=1 STATUS=test-hall/wd-1 boot 1: online$`));
  await waitFor('WATCHDOG after READY', () => rx.messages.slice(rx.messages.findIndex((m) => m.includes('READY=1'))).some((m) => m.endsWith('WATCHDOG=1')), 20_000);
  child.kill('SIGTERM');
  await waitFor('STOPPING', () => rx.messages.some((m) => m.endsWith('STOPPING=1')), 20_000);
  t.pass('STOPPING=1 on a clean stop');
});
