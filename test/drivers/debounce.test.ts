// Time and debounce: the system clock and timers follow fake time; the shared debounce turns
// bouncing raw edges into one transition.
import t from 'tap';
import { DebouncedInput } from '../../drivers/gpio/debounced-input.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import type { GpioContext } from '../../drivers/gpio/gpio-backend.js';
import type { InputSpec } from '../../assembly/resolve-io.js';
import { useFakeTime, type Teardown } from './fake-time.js';
import { ManualClock } from '../../simulators/clock/manual-clock.js';

function setup(t: Teardown, spec: Partial<InputSpec> = {}) {
  const clock = useFakeTime(t);
  const listenerErrors: Array<[string, unknown]> = [];
  const ctx: GpioContext = { clock: systemClock, timers: globalTimers, onListenerError: (part, err) => listenerErrors.push([part, err]) };
  const input = new DebouncedInput({ name: 'cat-1', pin: 17, line: 17, activeLow: true, debounceMs: 30, ...spec }, ctx);
  const changes: Array<[boolean, number]> = [];
  input.onChange((active, atMs) => changes.push([active, atMs]));
  return { clock, input, changes, listenerErrors };
}

t.test('ten bounces inside the window are one press, stamped at the first edge', async (t) => {
  const { clock, input, changes } = setup(t);
  clock.tick(1000);
  t.notOk(input.isActive(), 'at rest: active-low line high');
  for (let i = 0; i < 10; i++) {
    input.edge(i % 2 === 0 ? 0 : 1); // 0 = pressed on an active-low button
    clock.tick(2);
  }
  input.edge(0);
  t.same(changes, [], 'nothing while it bounces');
  clock.tick(29);
  t.same(changes, [], 'not before the level held debounceMs');
  clock.tick(1);
  t.same(changes, [[true, 1000]], 'one transition, at the time of the first edge');
  t.ok(input.isActive());
});

t.test('a button held down yields one transition, even if the line keeps reporting', async (t) => {
  const { clock, input, changes } = setup(t);
  input.edge(0);
  clock.tick(30);
  for (let i = 0; i < 5; i++) {
    input.edge(0); // Firmata and sysfs repeat the level
    clock.tick(500);
  }
  t.same(changes.map(([a]) => a), [true]);
  input.edge(1);
  clock.tick(30);
  t.same(changes.map(([a]) => a), [true, false], 'release is the second and last');
});

t.test('a glitch that returns to the resting level is no transition', async (t) => {
  const { clock, input, changes } = setup(t);
  input.edge(0);
  clock.tick(5);
  input.edge(1);
  clock.tick(100);
  t.same(changes, []);
  t.notOk(input.isActive());
});

t.test('debounceMs 0 reports at once; active-high inputs are not inverted', async (t) => {
  const { input, changes } = setup(t, { debounceMs: 0, activeLow: false });
  input.edge(1);
  t.same(changes, [[true, 0]]);
  input.edge(1);
  t.same(changes.length, 1, 'the same level twice is not a second transition');
});

t.test('establish sets the level read at open without a transition', async (t) => {
  const { clock, input, changes } = setup(t);
  input.establish(0);
  t.ok(input.isActive(), 'pressed at boot');
  clock.tick(100);
  t.same(changes, []);
});

t.test('a throwing listener is reported and the others still hear the change', async (t) => {
  const { clock, input, listenerErrors } = setup(t);
  const heard: boolean[] = [];
  input.onChange(() => {
    throw new Error('role bug');
  });
  const off = input.onChange((a) => heard.push(a));
  input.edge(0);
  clock.tick(30);
  t.same(heard, [true]);
  t.equal(listenerErrors[0]?.[0], 'input:cat-1');
  t.match(listenerErrors[0]?.[1], { message: 'role bug' });
  off();
  input.edge(1);
  clock.tick(30);
  t.same(heard, [true], 'removed listeners hear nothing');
});

t.test('close cancels a pending transition and ignores later edges', async (t) => {
  const { clock, input, changes } = setup(t);
  input.edge(0);
  await input.close();
  clock.tick(100);
  input.edge(1);
  clock.tick(100);
  t.same(changes, []);
  t.same(input.health().ok, false);
  t.equal(clock.countTimers(), 0, 'no timer left behind');
});

t.test('systemClock and globalTimers follow fake timers installed after import', async (t) => {
  const clock = useFakeTime(t, Date.UTC(2026, 4, 1));
  const wall = systemClock.now();
  const mono = systemClock.monotonicMs();
  let fired = false;
  globalTimers.setTimeout(() => (fired = true), 100);
  clock.tick(100);
  t.equal(systemClock.now() - wall, 100);
  t.equal(systemClock.monotonicMs() - mono, 100);
  t.ok(fired);
  t.equal(wall, Date.UTC(2026, 4, 1));
});

t.test('ManualClock moves only when told; the wall clock can jump, monotonic cannot', async (t) => {
  const c = new ManualClock(1_000_000, 5);
  c.advance(20);
  t.same([c.now(), c.monotonicMs()], [1_000_020, 25]);
  c.setWall(0);
  t.same([c.now(), c.monotonicMs()], [0, 25]);
  t.throws(() => c.advance(-1), RangeError);
});
