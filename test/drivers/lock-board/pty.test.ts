// The real driver opens a real device path through serialport's OS binding: a socat
// pseudo-terminal pair with the simulated RS485 line on the other end. Real time (no fake
// timers: the I/O is the kernel's); no assertion depends on how long anything took.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { openSerialLink } from '../../../drivers/serial/serial-link.js';
import { lockBoardsOnLink } from '../../../drivers/lock-board/open-lock-boards.js';
import { resolveLockBoardSettings, type LockBoardConfig } from '../../../drivers/lock-board/config.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';
import { VirtualLockBus } from '../../../simulators/lock-board/virtual-lock-bus.js';
import { sim8a80 } from '../../../simulators/lock-board/sim-8a80.js';
import { simKerongCu } from '../../../simulators/lock-board/sim-kerong-cu.js';
import { startPtyLockBus } from '../../../simulators/lock-board/pty-lock-bus.js';
import { tempDir } from '../../../testkit/temp.js';

const socat = spawnSync('socat', ['-V'], { encoding: 'utf8' });
const skip = socat.status === 0 ? false : 'socat is not installed (apt-get install socat): no pseudo-terminal to put the board on';

async function ptyRig(t: Test, line: VirtualLockBus, baudRate: number, boards: Record<string, LockBoardConfig>) {
  const dir = await tempDir(t, 'halld-lock-pty-');
  const pty = await startPtyLockBus(line, dir, baudRate);
  t.teardown(() => pty.close());
  const link = await openSerialLink({ name: 'rs485', path: pty.hostPath, baudRate });
  const settings = Object.fromEntries(Object.entries(boards).map(([name, config]) => [name, resolveLockBoardSettings(name, config)]));
  const opened = lockBoardsOnLink({ link, boards: settings, clock: systemClock });
  t.teardown(async () => {
    for (const board of opened.values()) await board.close();
  });
  return { pty, link, boards: opened };
}

void t.test('8a80 on a pty: status, one unlock frame, a forced door, a dead board as a fault', { skip }, async (t) => {
  const line = new VirtualLockBus(sim8a80());
  const sim = line.addBoard({ address: 1, locks: 24 });
  const dead = line.addBoard({ address: 2, locks: 8 });
  dead.faults.silent = true;
  const r = await ptyRig(t, line, 9600, {
    'cab-a': { serial: 'rs485', protocol: '8a80', address: 1, locks: 24 },
    'cab-b': { serial: 'rs485', protocol: '8a80', address: 2, locks: 8, retries: 1, replyTimeoutMs: 100 },
  });
  t.ok(r.pty.hostPath.endsWith('lock-bus-host'), `the driver opened ${r.link.path}`);
  const a = r.boards.get('cab-a')!;
  const before = await a.statusAll();
  t.same(before.ok && before.value.filter((s) => s.open), []);
  const opened = await a.open(1);
  t.ok(opened.ok, 'unlock acknowledged over the pty');
  t.same(line.unlocksHeard().map((u) => u.bytes.toString('hex')), ['8a0101119b'], 'exactly one unlock frame, the documented one');
  const after = await a.status(1);
  t.same(after.ok && after.value, { lock: 1, open: true });
  sim.forceOpen(20);
  const forced = await a.statusAll();
  t.same(forced.ok && forced.value.filter((s) => s.open).map((s) => s.lock), [1, 20]);
  t.equal(line.unlocksHeard().length, 1, 'no unlock for the forced door');
  const b = r.boards.get('cab-b')!;
  const none = await b.statusAll();
  t.same(none.ok ? 'ok' : [none.code, none.attempts], ['TIMEOUT', 2]);
  t.same([a.health().state, b.health().state], ['ok', 'fault']);
});

void t.test('kerong-cu on a pty at 19200: split, garbage-prefixed and corrupted replies', { skip }, async (t) => {
  const line = new VirtualLockBus(simKerongCu());
  const sim = line.addBoard({ address: 0, locks: 16, infrared: true });
  const r = await ptyRig(t, line, 19200, { 'cab-k': { serial: 'rs485', protocol: 'kerong-cu', address: 0, locks: 16 } });
  const k = r.boards.get('cab-k')!;
  sim.setItem(2, true);
  sim.faults.garbagePrefix = Buffer.from([0xff, 0x02, 0x00]);
  sim.faults.split = { chunks: [1, 3, 2], gapMs: 5 };
  const all = await k.statusAll();
  t.same(all.ok && all.value.filter((s) => s.itemPresent).map((s) => s.lock), [2]);
  sim.faults.corruptReplies = 1;
  const retried = await k.status(2);
  t.same(retried.ok && [retried.value, retried.attempts], [{ lock: 2, open: false, itemPresent: true }, 2]);
  sim.jam(3);
  const jammed = await k.open(3);
  t.ok(jammed.ok, 'acknowledged');
  const still = await k.status(3);
  t.same(still.ok && still.value.open, false, 'jammed: the door stays shut');
  t.same(line.unlocksHeard().map((u) => u.bytes.toString('hex')), ['0202310338']);
});
