// io.lockBoards: the schema fragment, its defaults and the checks it cannot express; and the
// settings the sources disagree on (polarity, status byte order, status byte count), end to
// end through the driver and the simulator.
import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { LockBoardConfigSchema, LockBoardsConfigSchema, resolveLockBoardSettings } from '../../../drivers/lock-board/config.js';
import { lockBoardsOnLink } from '../../../drivers/lock-board/open-lock-boards.js';
import { createMemoryLinkPair } from '../../../simulators/escpos-printer/sim-serial-cable.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';
import { lockRig } from './rig.js';

void t.test('schema: the issue example is valid, mistakes are not', async (t) => {
  t.ok(Value.Check(LockBoardsConfigSchema, { 'cab-a': { serial: 'rs485', protocol: '8a80', address: 1, locks: 24 } }), 'the example from issue 11');
  t.ok(Value.Check(LockBoardConfigSchema, { serial: 'rs485', protocol: 'kerong-cu', address: 2, locks: 16, statusPolarity: 'set-is-open', retries: 0, replyTimeoutMs: 300 }));
  for (const [what, entry] of [
    ['unknown protocol', { serial: 'rs485', protocol: 'modbus', address: 1, locks: 8 }],
    ['no locks', { serial: 'rs485', protocol: '8a80', address: 1, locks: 0 }],
    ['a typo in a key', { serial: 'rs485', protocol: '8a80', address: 1, locks: 8, retry: 3 }],
    ['a polarity that is not one of the two', { serial: 'rs485', protocol: '8a80', address: 1, locks: 8, statusPolarity: 'inverted' }],
  ] as const) {
    t.notOk(Value.Check(LockBoardConfigSchema, entry), what);
  }
});

void t.test('resolve: defaults per protocol, and the kerong limits', async (t) => {
  const a = resolveLockBoardSettings('cab-a', { serial: 'rs485', protocol: '8a80', address: 1, locks: 24 });
  t.same(a, { serial: 'rs485', protocol: '8a80', address: 1, locks: 24, statusPolarity: 'set-is-open', statusByteOrder: 'ch1-last', retries: 2, replyTimeoutMs: 1000, frameGapMs: 30 });
  const k = resolveLockBoardSettings('cab-k', { serial: 'rs485', protocol: 'kerong-cu', address: 0, locks: 16, retries: 0 });
  t.same([k.statusPolarity, k.retries], ['set-is-closed', 0]);
  t.throws(() => resolveLockBoardSettings('cab-k', { serial: 'rs485', protocol: 'kerong-cu', address: 16, locks: 16 }), /io\.lockBoards\.cab-k\.address: a kerong-cu board id is 0-15, not 16/);
  t.throws(() => resolveLockBoardSettings('cab-k', { serial: 'rs485', protocol: 'kerong-cu', address: 0, locks: 24 }), /at most 16 locks/);
});

void t.test('two boards with one address on one line are refused', async (t) => {
  const { host } = createMemoryLinkPair();
  const s = resolveLockBoardSettings('x', { serial: 'rs485', protocol: '8a80', address: 3, locks: 8 });
  t.throws(() => lockBoardsOnLink({ link: host, boards: { 'cab-a': s, 'cab-b': s }, clock: systemClock }), /io\.lockBoards\.cab-b: cab-a already has 8a80 address 3/);
});

void t.test('polarity: the setting must match the board; a mismatch reads every door inverted', async (t) => {
  for (const polarity of ['set-is-open', 'set-is-closed'] as const) {
    void t.test(`${polarity} on both sides`, async (t) => {
      const r = await lockRig(t, { family: '8a80', sim: { polarity }, boards: [{ name: 'cab-a', address: 1, locks: 24, settings: { statusPolarity: polarity } }] });
      r.sim.forceOpen(4);
      const all = await r.run(r.board.statusAll());
      t.same(all.ok && all.value.filter((s) => s.open).map((s) => s.lock), [4]);
      const one = await r.run(r.board.status(4));
      t.same(one.ok && one.value.open, true);
    });
  }
  void t.test('mismatch', async (t) => {
    const wrong = await lockRig(t, { family: 'kerong-cu', sim: { polarity: 'set-is-closed' }, boards: [{ name: 'cab-a', address: 0, locks: 4, settings: { statusPolarity: 'set-is-open' } }] });
    const all = await wrong.run(wrong.board.statusAll());
    t.same(all.ok && all.value.map((s) => s.open), [true, true, true, true], 'closed doors read open: why commissioning checks one door by hand');
  });
});

void t.test('8a80 status byte order and count follow the settings, not the channel count', async (t) => {
  void t.test('ch1-first', async (t) => {
    const first = await lockRig(t, { family: '8a80', sim: { statusByteOrder: 'ch1-first' }, boards: [{ name: 'cab-a', address: 1, locks: 24, settings: { statusByteOrder: 'ch1-first' } }] });
    first.sim.forceOpen(2);
    first.sim.forceOpen(17);
    const a = await first.run(first.board.statusAll());
    t.same(a.ok && a.value.filter((s) => s.open).map((s) => s.lock), [2, 17]);
  });
  void t.test('one status byte', async (t) => {
    const one = await lockRig(t, { family: '8a80', sim: { statusBytes: 1 }, boards: [{ name: 'cab-a', address: 1, locks: 8 }] });
    one.sim.forceOpen(8);
    const b = await one.run(one.board.statusAll());
    t.same(b.ok && b.value.filter((s) => s.open).map((s) => s.lock), [8], 'a one-byte reply for an 8-lock board');
  });
  void t.test('too few status bytes', async (t) => {
    const short = await lockRig(t, { family: '8a80', sim: { statusBytes: 1 }, boards: [{ name: 'cab-a', address: 1, locks: 12 }] });
    const c = await short.run(short.board.statusAll());
    t.match(c, { ok: false, code: 'BAD_REPLY', message: /1 status bytes \(8 channels\), the board is configured with 12 locks/ }, 'a reply that cannot cover the configured locks');
  });
});
