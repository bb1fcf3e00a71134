// The locker's `open` on the real runtime and the byte-level 8a80 simulator: one unlock frame
// per command id however often it arrives, answered only after the door sensor reads open,
// refused without a valid signature, door.open-not-detected for a jammed lock, the per-door
// rate limit, and the watcher's door.forced / door.left-open / door.closed.
import t from 'tap';
import { DOORS, IO, lockerFixture } from './locker-fixture.js';
import { isSimHal } from '../../../simulators/hal/sim-hal.js';

t.setTimeout(180_000);

t.test('open: one unlock frame for a command delivered three times; ok only once the sensor reads open', async (t) => {
  const e = await lockerFixture(t);
  const id = 'open-once-1';
  const payload = e.signed('open', { door: 2, reason: 'staff deposit' }, { id });
  for (let copy = 0; copy < 3; copy++) await e.publish('open', payload);
  const acks = await e.until('three acks', () => e.acks(id).length === 3 && e.acks(id));
  t.equal(e.bus.unlocksHeard(1, 2).length, 1, 'exactly one unlock frame on the wire');
  t.ok(e.board.isOpen(2), 'the door is open');
  for (const ack of acks) t.match(ack, { ok: true, data: { opened: true, door: 2 } });
  t.equal(acks.filter((a) => (a as { dup?: boolean }).dup === true).length, 2, 'two of them are duplicates');
  // Once more, later: still the stored answer, still one frame.
  t.match(await e.command('open', { door: 2, reason: 'staff deposit' }, { id }), { ok: true, dup: true });
  t.equal(e.bus.unlocksHeard(1, 2).length, 1);
  const opened = await e.until('door.opened', () => e.events('door.opened')[0]);
  t.match(opened.message.data, { door: 2, by: 'command', commandId: id, reason: 'staff deposit' });
  // The door closes: door.closed, and no door.forced for our own open.
  e.board.closeDoor(2);
  const closed = await e.until('door.closed', () => e.events('door.closed')[0]);
  t.match(closed.message.data, { door: 2 });
  t.equal(e.events('door.forced').length, 0, 'our own open is not a tamper');
  const audit = await e.run(e.runtime.store.all<{ what: string; command_id: string | null }>("SELECT what, command_id FROM lk_audit WHERE door = 2 ORDER BY seq"));
  t.same(audit.map((a) => a.what), ['opened', 'closed'], 'audit: the open and the close');
  t.equal(audit[0]?.command_id, id);
});

t.test('unsigned, expired, re-targeted and foreign-key opens are refused with no frame on the wire', async (t) => {
  const e = await lockerFixture(t);
  t.match(await e.command('open', { door: 1, reason: 'x' }, { sign: false }), { ok: false, error: { code: 'UNAUTHORIZED' } }, 'unsigned');
  const now = e.time.clock.now();
  t.match(await e.command('open', { door: 1, reason: 'x' }, { ts: now - 120_000, expiresInMs: 60_000 }), { ok: false, error: { code: 'EXPIRED' } }, 'expired');
  t.match(await e.command('open', { door: 99, reason: 'x' }), { ok: false, error: { code: 'NOT_FOUND' } }, 'no such door');
  // Signed for another cabinet, for another command, for the hall-wide topic: worthless here.
  const retargeted = [
    ['other-cabinet', e.topic('open', 'cab-2')],
    ['other-command', e.topic('enable')],
    ['hall-wide', `halld/v1/test-hall/all/cmd/locker/open`],
  ] as const;
  for (const [id, to] of retargeted) {
    await e.publish('open', e.signed('open', { door: 1, reason: 'x' }, { id, to }));
    const [ack] = await e.until(`ack of ${id}`, () => e.acks(id).length > 0 && e.acks(id));
    t.match(ack, { ok: false, error: { code: 'UNAUTHORIZED' } }, `signed for ${id}`);
  }
  // A signature over other data (door 2 signed, door 1 sent) does not verify either.
  const tampered = JSON.parse(e.signed('open', { door: 2, reason: 'x' }, { id: 'tampered' })) as { data: { door: number } };
  tampered.data.door = 1;
  await e.publish('open', JSON.stringify(tampered));
  t.match((await e.until('ack of tampered', () => e.acks('tampered')[0])), { ok: false, error: { code: 'UNAUTHORIZED' } }, 'tampered data');
  // Correctly signed for the hall-wide topic and sent there: it would open that door in every cabinet of the hall.
  await e.run(e.server.client.hallCommand('locker/open', { door: 1, reason: 'x' }, { id: 'hall-wide-open', ts: e.time.clock.now(), expiresInMs: 600_000 }));
  t.match(await e.until('ack of hall-wide-open', () => e.acks('hall-wide-open')[0]), { ok: false, error: { code: 'BAD_REQUEST' } }, 'a hall-wide open is refused');
  t.equal(e.bus.unlocksHeard().length, 0, 'no unlock frame');
});

t.test('a jammed lock: HARDWARE with door.open-not-detected after openConfirmMs; never resent', async (t) => {
  const e = await lockerFixture(t);
  e.board.jam(3);
  const ack = await e.command('open', { door: 3, reason: 'pickup by face' });
  t.match(ack, { ok: false, error: { code: 'HARDWARE' } });
  t.equal(e.bus.unlocksHeard(1, 3).length, 1, 'one unlock frame, not retried');
  const ev = await e.until('door.open-not-detected', () => e.events('door.open-not-detected')[0]);
  t.match(ev.message.data, { door: 3, by: 'command', boardAck: true });
  t.ok((ev.message.data['waitedMs'] as number) >= 5000, 'waited the whole confirmation time');
  t.equal(e.events('door.opened').length, 0);
});

t.test('per-door rate limit: the fourth open within the window is BUSY and sends nothing', async (t) => {
  const e = await lockerFixture(t, { role: { openRateLimit: { maxOpens: 3, windowMs: 60_000 } } });
  for (let i = 0; i < 3; i++) {
    t.match(await e.command('open', { door: 1, reason: `r${i}` }), { ok: true });
    e.board.closeDoor(1);
  }
  t.match(await e.command('open', { door: 1, reason: 'r4' }), { ok: false, error: { code: 'BUSY' } });
  t.equal(e.bus.unlocksHeard(1, 1).length, 3);
  t.match(await e.command('open', { door: 2, reason: 'other door' }), { ok: true }, 'another door is not limited');
  e.time.tick(60_000);
  t.match(await e.command('open', { door: 1, reason: 'after the window' }), { ok: true });
});

t.test('forced door → door.forced; left open → door.left-open once; closed → door.closed', async (t) => {
  const e = await lockerFixture(t);
  e.board.forceOpen(4);
  const forced = await e.until('door.forced', () => e.events('door.forced')[0]);
  t.same(forced.message.data, { door: 4 });
  e.time.tick(60_000);
  const left = await e.until('door.left-open', () => e.events('door.left-open')[0]);
  t.match(left.message.data, { door: 4 });
  t.ok((left.message.data['openMs'] as number) >= 60_000);
  e.board.closeDoor(4);
  await e.until('door.closed', () => e.events('door.closed')[0]);
  t.equal(e.events('door.left-open').length, 1, 'left-open is reported once per opening');
  t.equal(e.bus.unlocksHeard().length, 0, 'nothing was unlocked');
});

t.test('a board that stops answering → board.fault, its doors show the fault; answering again → board.ok', async (t) => {
  const e = await lockerFixture(t);
  e.board.faults.silent = true;
  const fault = await e.until('board.fault', () => e.events('board.fault')[0]);
  t.match(fault.message.data, { board: 'cab-a', code: 'TIMEOUT' });
  t.match(await e.command('open', { door: 1, reason: 'x' }), { ok: false, error: { code: 'HARDWARE' } });
  e.board.faults.silent = false;
  const ok = await e.until('board.ok', () => e.events('board.ok')[0]);
  t.same(ok.message.data, { board: 'cab-a' });
});

t.test('two boards on one bus: one stops answering, the other\'s doors keep working', async (t) => {
  const io = { ...IO, lockBoards: { ...IO.lockBoards, 'cab-b': { serial: 'rs485', protocol: '8a80', address: 2, locks: 8 } } };
  const e = await lockerFixture(t, { io, role: { doors: [...DOORS, { door: 11, board: 'cab-b', lock: 1, size: 'S' }] } });
  const hal = e.runtime.hal;
  if (!isSimHal(hal)) throw new Error('expected the sim board');
  const b = hal.sim.lockBoard('cab-b');
  b.faults.silent = true;
  t.match((await e.until('board.fault', () => e.events('board.fault')[0])).message.data, { board: 'cab-b' });
  t.match(await e.command('open', { door: 11, reason: 'x' }), { ok: false, error: { code: 'HARDWARE' } }, 'a door of the silent board');
  t.match(await e.command('open', { door: 1, reason: 'x' }), { ok: true, data: { opened: true } }, 'a door of the board that answers');
  t.equal(e.bus.unlocksHeard(2).length, 0, 'nothing was sent to the silent board');
  t.equal(e.events('board.fault').length, 1, 'one fault event for one fault');
});
