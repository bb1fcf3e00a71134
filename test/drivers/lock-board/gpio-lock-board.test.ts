// The "gpio" LockBoard (relays and door switches on digital lines) on the sim board: pulse
// length and count, serialised pulses, relay and switch faults on an expander that stops
// answering, a relay that will not release, close() during a pulse, and the config checks.
import t, { type Test } from 'tap';
import { createSimHal } from '../../../assembly/create-hal.js';
import { loadBoard } from '../../../boards/index.js';
import { IoConfigError, parseIoConfig, resolveIo } from '../../../assembly/resolve-io.js';
import { runOnFakeTime } from './rig.js';
import { settle, useFakeTime } from '../fake-time.js';

const PULSE_MS = 300;

async function cabinet(t: Test, onExpander = false) {
  const clock = useFakeTime(t, 1_000_000);
  const hal = await createSimHal({
    board: 'sim',
    io: {
      ...(onExpander ? { expanders: { exp1: { address: 0x20 } } } : {}),
      outputs: { r1: { pin: onExpander ? 'exp1:A0' : 5 }, r2: { pin: onExpander ? 'exp1:A1' : 6 } },
      inputs: { d1: { pin: onExpander ? 'exp1:B0' : 20, pull: 'up', activeLow: true }, d2: { pin: onExpander ? 'exp1:B1' : 21, pull: 'up', activeLow: true } },
      lockBoards: {
        cab: {
          protocol: 'gpio',
          locks: [
            { relay: 'r1', sensor: 'd1' },
            { relay: 'r2', sensor: 'd2' },
          ],
          pulseMs: PULSE_MS,
        },
      },
    },
  });
  t.teardown(() => hal.close());
  const board = await hal.lockBoard('cab');
  const run = runOnFakeTime(clock);
  const wait = async (ms: number) => {
    for (let i = 0; i < ms; i++) {
      await settle(3);
      await clock.tickAsync(1);
    }
  };
  return { hal, board, run, wait, clock, sim: hal.sim.relayCabinet('cab') };
}

t.test('open() energises the relay once for pulseMs and resolves once it is released', async (t) => {
  const c = await cabinet(t);
  const result = await c.run(c.board.open(2));
  t.ok(result.ok);
  const history = c.hal.sim.outputHistory('r2');
  t.same(history.map((h) => h.active), [false, true, false], 'one pulse');
  t.equal(history[2]!.atMs - history[1]!.atMs, PULSE_MS, 'energised for pulseMs');
  t.same(result.ok && result.value, { lock: 2, atMs: history[1]!.atMs }, 'stamped when energised');
  t.same(c.hal.sim.outputHistory('r1').map((h) => h.active), [false], 'the other relay never moved');
  t.same(c.sim.pulses, [2]);
  t.same(c.board.health().state, 'ok');
});

t.test('opens in a row pulse one after another, each once, in call order', async (t) => {
  const c = await cabinet(t);
  const [a, b, again] = await c.run(Promise.all([c.board.open(1), c.board.open(2), c.board.open(1)]));
  t.ok(a.ok && b.ok && again.ok);
  const events = [...c.hal.sim.outputHistory('r1').slice(1).map((h) => ({ ...h, r: 1 })), ...c.hal.sim.outputHistory('r2').slice(1).map((h) => ({ ...h, r: 2 }))].sort((x, y) => x.atMs - y.atMs || Number(x.active) - Number(y.active));
  t.same(events.map((e) => `${e.r}${e.active ? '+' : '-'}`), ['1+', '1-', '2+', '2-', '1+', '1-'], 'never two solenoids at once');
  t.same(c.sim.pulses, [1, 2, 1]);
});

t.test('a jammed door: pulse given, switch never changes; a forced door: switch changes, no pulse', async (t) => {
  const c = await cabinet(t);
  c.sim.jam(1);
  const jammed = await c.run(c.board.open(1));
  t.ok(jammed.ok, 'the relay was pulsed');
  await c.wait(50);
  const s1 = await c.board.status(1);
  t.same(s1.ok && s1.value, { lock: 1, open: false }, 'the door stayed shut');
  c.sim.forceOpen(2);
  await c.wait(50);
  const all = await c.board.statusAll();
  t.same(all.ok && all.value, [
    { lock: 1, open: false },
    { lock: 2, open: true },
  ]);
  t.same(c.hal.sim.outputHistory('r2').map((h) => h.active), [false], 'no pulse for the forced door');
});

t.test('on an expander that stops answering: the relay fails IO (maybe sent), switches fail IO, the board is a fault, then ok again', async (t) => {
  const c = await cabinet(t, true);
  const changes: string[] = [];
  c.board.onHealth((h) => changes.push(`${h.state}${h.code ? `:${h.code}` : ''}`));
  c.hal.sim.i2cBus(1).nack(0x20);
  const opened = await c.run(c.board.open(1));
  t.same(opened.ok ? 'ok' : [opened.code, opened.sent, opened.attempts], ['IO', true, 1]);
  t.same(c.sim.pulses, [], 'no pulse reached the chip');
  await c.wait(30);
  const status = await c.board.status(1);
  t.same(status.ok ? 'ok' : [status.code, status.sent], ['IO', false]);
  t.match(status.ok ? '' : status.message, /door switch d1: expander exp1 .* does not answer/);
  c.hal.sim.i2cBus(1).nack(0x20, 0);
  await c.wait(30);
  const back = await c.board.statusAll();
  t.ok(back.ok);
  t.same(changes, ['fault:IO', 'ok']);
  t.ok((await c.run(c.board.open(1))).ok, 'and it opens again');
  t.same(c.sim.pulses, [1]);
});

t.test('a relay that will not release is retried and reported; the call still says it pulsed', async (t) => {
  const c = await cabinet(t, true);
  const opening = c.board.open(1);
  await c.wait(PULSE_MS - 5);
  c.hal.sim.i2cBus(1).nack(0x20, 2); // the first two release writes are lost
  const result = await c.run(opening);
  t.ok(result.ok, 'pulsed');
  t.equal(c.hal.sim.expander('exp1').output('A0'), 0, 'released by the third try');
  t.same(c.sim.pulses, [1], 'retried releases are no second pulse');
  c.hal.sim.i2cBus(1).nack(0x20);
  const stuck = c.board.open(2);
  await c.wait(PULSE_MS + 200);
  const after = await c.run(stuck);
  t.same(after.ok ? 'ok' : after.code, 'IO', 'energising failed on a dead chip');
  t.match(c.board.health(), { state: 'fault', code: 'IO' });
});

t.test('close() during a pulse lets it finish and release; an open still queued is never pulsed', async (t) => {
  const c = await cabinet(t);
  const first = c.board.open(1);
  const queued = c.board.open(2);
  await c.wait(10);
  const closing = c.board.close();
  const [a, b] = await c.run(Promise.all([first, queued]));
  await closing;
  t.ok(a.ok, 'the pulse under way finished');
  t.same(b.ok ? 'ok' : [b.code, b.sent], ['CLOSED', false]);
  t.same(c.hal.sim.outputHistory('r1').map((h) => h.active), [false, true, false], 'released');
  t.same(c.hal.sim.outputHistory('r2').map((h) => h.active), [false], 'never energised');
});

t.test('config checks: unknown lines, a line used twice, a relay on an input, a switch on an output, bad fields', async (t) => {
  const board = await loadBoard('sim');
  const issues = (io: unknown): readonly string[] => {
    try {
      resolveIo(board, parseIoConfig(io));
      return [];
    } catch (err) {
      if (err instanceof IoConfigError) return err.issues;
      throw err;
    }
  };
  const lines = { outputs: { r1: { pin: 5 }, r2: { pin: 6 } }, inputs: { d1: { pin: 20 }, d2: { pin: 21 } } };
  const gpio = (locks: unknown, extra: object = {}) => ({ ...lines, lockBoards: { cab: { protocol: 'gpio', locks, ...extra } } });
  t.same(issues(gpio([{ relay: 'r1', sensor: 'd1' }, { relay: 'r2', sensor: 'd2' }])), []);
  t.same(issues(gpio([{ relay: 'r9', sensor: 'd1' }])), ['lockBoards.cab.locks[0] (lock 1): relay "r9" is not an io.outputs line (io.outputs: r1, r2)']);
  t.same(issues(gpio([{ relay: 'r1', sensor: 'nope' }])), ['lockBoards.cab.locks[0] (lock 1): sensor "nope" is not an io.inputs line (io.inputs: d1, d2)']);
  t.same(issues(gpio([{ relay: 'd1', sensor: 'd2' }])), ['lockBoards.cab.locks[0] (lock 1): relay "d1" is an io.inputs line; a relay must be an io.outputs line']);
  t.same(issues(gpio([{ relay: 'r1', sensor: 'r2' }])), ['lockBoards.cab.locks[0] (lock 1): sensor "r2" is an io.outputs line; a door switch must be an io.inputs line']);
  t.same(issues(gpio([{ relay: 'r1', sensor: 'd1' }, { relay: 'r1', sensor: 'd2' }])), ['line "r1" is used twice: lockBoards.cab.locks[0] (lock 1) relay and lockBoards.cab.locks[1] (lock 2) relay']);
  t.same(
    issues({ ...lines, lockBoards: { a: { protocol: 'gpio', locks: [{ relay: 'r1', sensor: 'd1' }] }, b: { protocol: 'gpio', locks: [{ relay: 'r2', sensor: 'd1' }] } } }),
    ['line "d1" is used twice: lockBoards.a.locks[0] (lock 1) sensor and lockBoards.b.locks[0] (lock 1) sensor'],
  );
  t.same(
    issues({ ...lines, outputs: { ...lines.outputs, r1: { pin: 5, initial: true } }, lockBoards: { cab: { protocol: 'gpio', locks: [{ relay: 'r1', sensor: 'd1' }] } } }),
    ['lockBoards.cab.locks[0] (lock 1): relay "r1" would start energised (io.outputs.r1.initial is true): a lock relay must start off, or its door opens at every start'],
  );
  t.match(issues(gpio([{ relay: 'r1', sensor: 'd1' }], { pulseMs: 5 })), [/^io\.lockBoards\.cab\.pulseMs: /]);
  t.match(issues(gpio([])), [/^io\.lockBoards\.cab\.locks: /]);
  t.match(issues(gpio([{ relay: 'r1' }])), ['io.lockBoards.cab.locks.0.sensor: Expected required property']);
  t.match(issues({ lockBoards: { cab: { protocol: '8a80', serial: 'x', address: 1 } } }), ['io.lockBoards.cab.locks: Expected required property'], 'a serial board is still checked against its own schema');
});

t.test('every relay is driven off from the start, active-low relay boards included; nothing pulses until an open', async (t) => {
  const clock = useFakeTime(t, 1_000_000);
  const hal = await createSimHal({
    board: 'sim',
    io: {
      // Active-low inputs, as most opto-isolated relay modules have: off is the high level.
      outputs: { r1: { pin: 5, activeLow: true }, r2: { pin: 6 } },
      inputs: { d1: { pin: 20, pull: 'up', activeLow: true }, d2: { pin: 21, pull: 'up', activeLow: true } },
      lockBoards: { cab: { protocol: 'gpio', locks: [{ relay: 'r1', sensor: 'd1' }, { relay: 'r2', sensor: 'd2' }], pulseMs: PULSE_MS } },
    },
  });
  t.teardown(() => hal.close());
  const board = await hal.lockBoard('cab');
  t.same(hal.sim.outputHistory('r1').map((h) => [h.active, h.level]), [[false, 1]], 'the active-low relay sits at its high (off) level');
  t.same(hal.sim.outputHistory('r2').map((h) => [h.active, h.level]), [[false, 0]]);
  t.same(hal.sim.relayCabinet('cab').pulses, [], 'no door was released at start');
  const opened = await runOnFakeTime(clock)(board.open(1));
  t.ok(opened.ok);
  t.same(hal.sim.outputHistory('r1').map((h) => h.level), [1, 0, 1], 'one pulse: low, then back to high');
});
