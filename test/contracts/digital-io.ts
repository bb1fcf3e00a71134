// The DigitalInput and DigitalOutput contracts (drivers/hal/types.ts), run on every GPIO
// backend over its fake (sim, chardev over the gpiod tools, sysfs over onoff, Firmata over
// mock-firmata). Time is sinon's: the debounce runs on fake timers, so "nothing happened"
// is checked at an exact moment, never after a sleep.
import type { Test } from 'tap';
import { HalError, type DigitalInput, type DigitalOutput } from './hal-imports.js';
import { useFakeTime, settle } from '../drivers/fake-time.js';

export type Level = 0 | 1;

export const DEBOUNCE_MS = 30;

export interface LineOptions {
  /** The input reads active on a low line (a button to ground with a pull-up). */
  inputActiveLow: boolean;
  outputActiveLow: boolean;
  outputInitial: boolean;
}

export interface OpenLines {
  /** Debounced DEBOUNCE_MS; its line rests at the inactive level when opened. */
  input: DigitalInput;
  output: DigitalOutput;
  /** Puts a raw electrical level on the input line, the way the wire would. */
  setRaw(level: Level): void;
  /** The electrical level the output line is driven to now. */
  driven(): Level | undefined;
  close(): Promise<void>;
}

export interface DigitalIoSubject {
  open(options: LineOptions): Promise<OpenLines>;
}

interface Change {
  active: boolean;
  atMs: number;
}

export function digitalIoContract(t: Test, subject: DigitalIoSubject): void {
  const rig = async (t: Test, options: Partial<LineOptions> = {}) => {
    const clock = useFakeTime(t, 1_000_000);
    const lines = await subject.open({ inputActiveLow: true, outputActiveLow: false, outputInitial: false, ...options });
    t.teardown(() => lines.close());
    const changes: Change[] = [];
    lines.input.onChange((active, atMs) => changes.push({ active, atMs }));
    const activeRaw: Level = (options.inputActiveLow ?? true) ? 0 : 1;
    const idleRaw: Level = activeRaw === 1 ? 0 : 1;
    /** Sets the line and lets the backend deliver it (a child process's output, a Firmata report). */
    const raw = async (level: Level) => {
      lines.setRaw(level);
      await settle();
    };
    const tick = async (ms: number) => {
      clock.tick(ms);
      await settle();
    };
    return { lines, changes, clock, raw, tick, activeRaw, idleRaw, now: () => performance.now() };
  };

  t.test('input: a clean press and release give one change each, DEBOUNCE_MS after the edge, stamped with the edge time', async (t) => {
    const r = await rig(t);
    t.equal(r.lines.input.isActive(), false, 'inactive at open, no change reported for it');
    const pressedAt = r.now();
    await r.raw(r.activeRaw);
    await r.tick(DEBOUNCE_MS - 1);
    t.same(r.changes, [], 'not yet: the debounce time has not passed');
    t.equal(r.lines.input.isActive(), false);
    await r.tick(1);
    t.same(r.changes, [{ active: true, atMs: pressedAt }]);
    t.equal(r.lines.input.isActive(), true);
    await r.tick(100);
    const releasedAt = r.now();
    await r.raw(r.idleRaw);
    await r.tick(DEBOUNCE_MS);
    t.same(r.changes, [{ active: true, atMs: pressedAt }, { active: false, atMs: releasedAt }]);
    t.equal(r.lines.input.isActive(), false);
  });

  t.test('input: a bouncing contact gives one change, for the level it settles at', async (t) => {
    const r = await rig(t);
    for (const level of [r.activeRaw, r.idleRaw, r.activeRaw, r.idleRaw, r.activeRaw]) await r.raw(level);
    await r.tick(DEBOUNCE_MS);
    t.same(r.changes.map((c) => c.active), [true]);
  });

  t.test('input: a glitch that settles back where it was is no change', async (t) => {
    const r = await rig(t);
    await r.raw(r.activeRaw);
    await r.raw(r.idleRaw);
    await r.tick(DEBOUNCE_MS * 3);
    t.same(r.changes, []);
    t.equal(r.lines.input.isActive(), false);
  });

  t.test('input: never twice for the same level in a row', async (t) => {
    const r = await rig(t);
    await r.raw(r.activeRaw);
    await r.tick(DEBOUNCE_MS);
    await r.raw(r.idleRaw); // released for less than the debounce time
    await r.tick(DEBOUNCE_MS - 1);
    await r.raw(r.activeRaw);
    await r.tick(DEBOUNCE_MS * 3);
    t.same(r.changes.map((c) => c.active), [true], 'the short release is filtered; the press is not reported again');
  });

  t.test('input: active-high wiring: a high line is active', async (t) => {
    const r = await rig(t, { inputActiveLow: false });
    await r.raw(1);
    await r.tick(DEBOUNCE_MS);
    t.same(r.changes.map((c) => c.active), [true]);
    t.equal(r.lines.input.isActive(), true);
  });

  t.test('input: a removed listener hears nothing; a listener that throws does not stop the others', async (t) => {
    const r = await rig(t);
    const removed: boolean[] = [];
    const off = r.lines.input.onChange((a) => removed.push(a));
    r.lines.input.onChange(() => {
      throw new Error('a role bug');
    });
    const after: boolean[] = [];
    r.lines.input.onChange((a) => after.push(a));
    off();
    await r.raw(r.activeRaw);
    await r.tick(DEBOUNCE_MS);
    t.same(removed, []);
    t.same(after, [true], 'delivered past the throwing listener');
    t.same(r.changes.map((c) => c.active), [true]);
  });

  t.test('input: after close no change is reported; closing twice is fine', async (t) => {
    const r = await rig(t);
    await r.lines.input.close();
    await r.lines.input.close();
    await r.raw(r.activeRaw);
    await r.tick(DEBOUNCE_MS * 3);
    t.same(r.changes, []);
  });

  t.test('output: the initial level is driven at open; write drives the line; isActive is the level written', async (t) => {
    const r = await rig(t, { outputInitial: true, outputActiveLow: true });
    t.equal(r.lines.output.isActive(), true);
    t.equal(r.lines.driven(), 0, 'active-low: on = low');
    await r.lines.output.write(false);
    await settle();
    t.equal(r.lines.output.isActive(), false);
    t.equal(r.lines.driven(), 1);
    await r.lines.output.write(true);
    await settle();
    t.equal(r.lines.driven(), 0);
    const plain = await subject.open({ inputActiveLow: true, outputActiveLow: false, outputInitial: false });
    t.teardown(() => plain.close());
    t.equal(plain.driven(), 0, 'active-high, initially off = low');
    await plain.output.write(true);
    await settle();
    t.equal(plain.driven(), 1);
  });

  t.test('output: writes in a row are applied in order', async (t) => {
    const r = await rig(t);
    await Promise.all([r.lines.output.write(true), r.lines.output.write(false), r.lines.output.write(true)]);
    await settle();
    t.equal(r.lines.output.isActive(), true);
    t.equal(r.lines.driven(), 1);
  });

  t.test('output: a write after close rejects with HalError CLOSED', async (t) => {
    const r = await rig(t);
    await r.lines.output.close();
    const err = await r.lines.output.write(true).catch((e: unknown) => e);
    t.ok(err instanceof HalError, 'a HalError');
    t.equal((err as HalError).code, 'CLOSED');
    await r.lines.output.close();
  });
}
