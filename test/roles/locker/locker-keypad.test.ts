// The cabinet's physical keypad: one debounced input per key (sim GPIO here). Digits go through
// the same code check as the touch page (lockout, tries, code.rejected, item.picked-up); the
// page shows the typed digits masked and the result, the retained state only their count.
import t from 'tap';
import { isSimHal } from '../../../simulators/hal/sim-hal.js';
import { lockerSectionProblems } from '../../../firmware/roles/locker/section-problems.js';
import type { LockerConfig } from '../../../firmware/roles/locker/config.js';
import { IO, KEYPAD, KEYPAD_IO as KEY_IO, lockerFixture, type LockerFixture } from './locker-fixture.js';

t.setTimeout(180_000);


interface KeypadView {
  keypad: { typed: string; last: Record<string, unknown> | null } | null;
}

async function keypadLocker(t: Parameters<typeof lockerFixture>[0]): Promise<LockerFixture> {
  return lockerFixture(t, { io: KEY_IO, role: { keypad: KEYPAD } });
}

/** Presses and releases one key, with device time past the debounce. */
function key(e: LockerFixture, name: string): void {
  const hal = e.runtime.hal;
  if (!isSimHal(hal)) throw new Error('expected the sim board');
  hal.sim.press(name);
  e.time.tick(50);
  hal.sim.release(name);
  e.time.tick(50);
}

function type(e: LockerFixture, keys: string): void {
  for (const k of keys) key(e, `key-${k}`);
}

function lockerState(e: LockerFixture): Record<string, unknown> | undefined {
  return e.runtime.link.roleStates().get('locker')?.data;
}

function typedCount(e: LockerFixture): unknown {
  return (lockerState(e)?.['keypad'] as { typed?: number } | null | undefined)?.typed;
}

/** Barrier: drop-off attempts queue behind code attempts, so once one is answered every earlier key attempt is done. */
async function settled(e: LockerFixture): Promise<void> {
  await e.page('drop-off', { size: 'XL' });
}

async function view(e: LockerFixture): Promise<KeypadView> {
  return e.run(fetch(new URL('api/view', e.url)).then((r) => r.json() as Promise<KeypadView>));
}

t.test('the right code typed on the keys opens its door and reports item.picked-up', async (t) => {
  const e = await keypadLocker(t);
  await e.deposit(3, 'dep-k', '428193');
  type(e, '428');
  t.equal(typedCount(e), 3, 'the state counts the digits');
  t.notOk(JSON.stringify(lockerState(e)).includes('428'), 'and never holds them');
  t.match((await view(e)).keypad, { typed: '•••' }, 'the page shows them masked');
  type(e, '193');
  key(e, 'key-enter');
  const picked = await e.until('item.picked-up', () => e.events('item.picked-up')[0]);
  t.match(picked.message.data, { door: 3, depositId: 'dep-k', by: 'keypad' }, 'the server can tell a keypad pickup from one on the page');
  t.ok(e.board.isOpen(3), 'door 3 opened');
  t.equal(e.bus.unlocksHeard(1, 3).length, 1);
  t.equal(typedCount(e), 0, 'entry is empty again');
  await settled(e);
  t.match((await view(e)).keypad, { typed: '', last: { ok: true, door: 3 } });
});

t.test('a wrong code is code.rejected; maxCodeTries of them lock out and keys then do nothing', async (t) => {
  const e = await keypadLocker(t);
  await e.deposit(1, 'dep-w', '111222');
  type(e, '000001');
  key(e, 'key-enter');
  const rejected = await e.until('code.rejected', () => e.events('code.rejected')[0]);
  t.match(rejected.message.data, { via: 'keypad', tries: 1, remaining: 2 });
  await settled(e);
  t.match((await view(e)).keypad, { typed: '', last: { ok: false, reason: 'wrong-code', remaining: 2 } });
  type(e, '000002');
  key(e, 'key-enter');
  await e.until('two code.rejected', () => e.events('code.rejected').length === 2);
  type(e, '000003');
  key(e, 'key-enter');
  const lockout = await e.until('code.lockout', () => e.events('code.lockout')[0]);
  t.match(lockout.message.data, { tries: 3, lockoutMs: 300_000 });

  type(e, '111222');
  t.equal(typedCount(e), 0, 'digits during the lockout are not taken');
  key(e, 'key-enter');
  await settled(e);
  t.match(await view(e), { lockedOutUntil: Number, keypad: { typed: '', last: { ok: false, reason: 'locked-out' } } }, 'the page shows the lockout');
  // Barrier: a page attempt after the keys is answered after anything the keys could have started.
  t.match(await e.page('code', { code: '111222' }), { ok: false, reason: 'locked-out' });
  t.equal(e.events('code.rejected').length, 3, 'no more tries counted');
  t.equal(e.bus.unlocksHeard().length, 0, 'nothing opened');

  e.time.tick(300_000);
  type(e, '111222');
  key(e, 'key-enter');
  const picked = await e.until('item.picked-up after the lockout', () => e.events('item.picked-up')[0]);
  t.match(picked.message.data, { door: 1, depositId: 'dep-w' });
});

t.test('clear empties the entry, and an idle timeout clears a half-typed code', async (t) => {
  const e = await keypadLocker(t);
  await e.deposit(2, 'dep-c', '555666');
  type(e, '99');
  key(e, 'key-clear');
  t.equal(typedCount(e), 0, 'clear empties');
  type(e, '555666');
  key(e, 'key-enter');
  const picked = await e.until('item.picked-up', () => e.events('item.picked-up')[0]);
  t.match(picked.message.data, { door: 2, depositId: 'dep-c' }, 'the digits before clear did not count');

  await e.deposit(4, 'dep-i', '777888');
  type(e, '123');
  t.equal(typedCount(e), 3);
  e.time.tick(19_000);
  t.equal(typedCount(e), 3, 'still there before idleMs');
  e.time.tick(2_000);
  t.equal(typedCount(e), 0, 'gone after idleMs without a key');
  type(e, '777888');
  key(e, 'key-enter');
  const second = await e.until('second item.picked-up', () => e.events('item.picked-up').find((x) => x.message.data['depositId'] === 'dep-i'));
  t.match(second.message.data, { door: 4 });
  t.equal(e.events('code.rejected').length, 0, 'no wrong code was ever submitted');
});

/** A key on a polled expander: waits (in device time) for the debounced press and release. */
async function pressPolled(e: LockerFixture, name: string): Promise<void> {
  const hal = e.runtime.hal;
  if (!isSimHal(hal)) throw new Error('expected the sim board');
  const line = hal.input(name);
  hal.sim.press(name);
  await e.until(`${name} pressed`, () => line.isActive());
  hal.sim.release(name);
  await e.until(`${name} released`, () => !line.isActive());
}

t.test('keys on MCP23017 expander pins work the same', async (t) => {
  const pins = ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'B0', 'B1', 'B2', 'B3'];
  const io = {
    ...IO,
    expanders: { exp1: { address: 0x20 } },
    inputs: Object.fromEntries([...KEYPAD.digits, 'key-clear', 'key-enter'].map((k, i) => [k, { pin: `exp1:${pins[i] ?? '?'}`, pull: 'up', activeLow: true, debounceMs: 20 }])),
  };
  const e = await lockerFixture(t, { io, role: { keypad: KEYPAD } });
  await e.deposit(2, 'dep-x', '300113');
  for (const d of '300113') await pressPolled(e, `key-${d}`);
  t.equal(typedCount(e), 6, 'a repeated digit counts each press');
  await pressPolled(e, 'key-enter');
  const picked = await e.until('item.picked-up', () => e.events('item.picked-up')[0]);
  t.match(picked.message.data, { door: 2, depositId: 'dep-x', by: 'keypad' });
});

t.test('typing stops at maxDigits', async (t) => {
  const e = await lockerFixture(t, { io: KEY_IO, role: { keypad: { ...KEYPAD, maxDigits: 6 } } });
  type(e, '12345678');
  t.equal(typedCount(e), 6);
});

t.test('config check: every key names an io.inputs line, none twice', async (t) => {
  const base = { doors: [{ door: 1, board: 'cab-a', lock: 1, size: 'S' }] } as unknown as LockerConfig;
  const parts = { inputs: ['key-0', 'key-1', 'key-2', 'key-3', 'key-4', 'key-5', 'key-6', 'key-7', 'key-8', 'key-enter'], lockBoards: ['cab-a'], scanners: [] } as unknown as Parameters<typeof lockerSectionProblems>[1];
  const problems = lockerSectionProblems({ ...base, keypad: { ...KEYPAD, clear: 'key-8', maxDigits: 8, idleMs: 30_000 } }, parts);
  t.ok(problems.some((p) => p.startsWith('/keypad/digits/9: no input "key-9"')), 'a missing input is named');
  t.ok(problems.some((p) => p.startsWith('/keypad/clear: input "key-8" is already /keypad/digits/8')), 'a key used twice is named');
  t.same(lockerSectionProblems({ ...base, keypad: { ...KEYPAD, maxDigits: 8, idleMs: 30_000 } }, { ...parts, inputs: [...KEYPAD.digits, 'key-clear', 'key-enter'] } as typeof parts), []);
});
