// Pickup by code at the cabinet (page and QR scanner): checked locally against the deposit's
// scrypt hash, works with the hall network down and is reported when it is back; wrong codes
// lock code entry out for lockoutMs, across a restart; drop-off with a receipt code; overdue
// deposits reported once, across a restart; revoke, disable, and a signed open for a deposit.
import t from 'tap';
import { lockerFixture } from './locker-fixture.js';

t.setTimeout(180_000);

t.test('a code opens its door offline; item.picked-up arrives once the link is back', async (t) => {
  const e = await lockerFixture(t);
  t.match(await e.deposit(3, 'dep-1', '428193'), { ok: true, data: { door: 3, depositId: 'dep-1' } });
  const deposited = await e.until('item.deposited', () => e.events('item.deposited')[0]);
  t.match(deposited.message.data, { door: 3, depositId: 'dep-1', kind: 'certificate' });
  t.notOk(JSON.stringify(deposited.message.data).includes('428193'), 'no code on the wire');

  await e.brokerDown();
  t.match(await e.page('code', { code: '428193' }), { ok: true, door: 3 });
  t.ok(e.board.isOpen(3), 'door 3 opened');
  t.equal(e.bus.unlocksHeard(1, 3).length, 1);
  t.match(await e.page('code', { code: '428193' }), { ok: false, reason: 'wrong-code' }, 'a picked-up deposit\'s code opens nothing again');
  t.equal(e.events('item.picked-up').length, 0, 'nothing reached the server yet');

  await e.brokerUp();
  const picked = await e.until('item.picked-up', () => e.events('item.picked-up')[0], 600_000);
  t.match(picked.message.data, { door: 3, depositId: 'dep-1', by: 'code', offline: true });
  const opened = e.events('door.opened')[0];
  t.match(opened?.message.data, { door: 3, by: 'code', depositId: 'dep-1' });
});

t.test('the QR scanner opens the door of its code', async (t) => {
  const e = await lockerFixture(t);
  await e.deposit(2, 'dep-qr', 'QR-77b2c1');
  await e.scan('QR-77b2c1');
  const picked = await e.until('item.picked-up', () => e.events('item.picked-up')[0]);
  t.match(picked.message.data, { door: 2, depositId: 'dep-qr', by: 'scan', offline: false });
  t.equal(e.bus.unlocksHeard(1, 2).length, 1);
});

t.test('wrong codes: code.rejected each, code.lockout at maxCodeTries, kept across a restart', async (t) => {
  const e = await lockerFixture(t);
  await e.deposit(1, 'dep-l', '111222');
  t.match(await e.page('code', { code: '000001' }), { ok: false, reason: 'wrong-code', remaining: 2 });
  t.match(await e.page('code', { code: '000002' }), { ok: false, reason: 'wrong-code', remaining: 1 });
  t.match(await e.page('code', { code: '000003' }), { ok: false, reason: 'locked-out' });
  const lockout = await e.until('code.lockout', () => e.events('code.lockout')[0]);
  t.match(lockout.message.data, { lockoutMs: 300_000, tries: 3 });
  await e.until('three code.rejected', () => e.events('code.rejected').length === 3);
  t.same(e.events('code.rejected').map((x) => x.message.data['remaining']), [2, 1, 0]);

  await e.restart();
  t.match(await e.page('code', { code: '111222' }), { ok: false, reason: 'locked-out' }, 'even the right code waits out the lockout after a restart');
  t.equal(e.bus.unlocksHeard().length, 0, 'nothing opened');
  e.time.tick(300_000);
  t.match(await e.page('code', { code: '111222' }), { ok: true, door: 1 });
});

t.test('drop-off: a free door of the size opens; closing it reports item.dropped-off with the receipt', async (t) => {
  const e = await lockerFixture(t);
  const view = await e.run(fetch(new URL('api/view', e.url)).then((r) => r.json() as Promise<{ free: Record<string, number> }>));
  t.same(view.free, { S: 1, M: 2, L: 1, XL: 0 });
  t.match(await e.page('drop-off', { size: 'XL' }), { ok: false, reason: 'no-free-door' });
  const r = await e.page<{ ok: boolean; door: number; receiptCode: string }>('drop-off', { size: 'L' });
  t.match(r, { ok: true, door: 4 });
  t.match(r.receiptCode, /^\d{8}$/);
  t.ok(e.board.isOpen(4));
  e.board.closeDoor(4);
  const dropped = await e.until('item.dropped-off', () => e.events('item.dropped-off')[0]);
  t.match(dropped.message.data, { door: 4, size: 'L', receiptCode: r.receiptCode });
  t.match(await e.page('drop-off', { size: 'L' }), { ok: false, reason: 'no-free-door' }, 'the door is occupied now');
  // Staff collect it with a signed open for that deposit.
  const depositId = dropped.message.data['depositId'] as string;
  t.match(await e.command('open', { door: 4, reason: 'staff collect', depositId }), { ok: true });
  const picked = await e.until('item.picked-up', () => e.events('item.picked-up')[0]);
  t.match(picked.message.data, { door: 4, depositId, by: 'command' });
});

t.test('overdue: item.overdue once at overdueAt, across a restart', async (t) => {
  const e = await lockerFixture(t);
  const now = e.time.clock.now();
  await e.deposit(2, 'dep-late', '999000', { overdueAt: now + 3_600_000 });
  await e.restart();
  e.time.tick(3_600_000);
  const overdue = await e.until('item.overdue', () => e.events('item.overdue')[0]);
  t.match(overdue.message.data, { door: 2, depositId: 'dep-late', overdueAt: now + 3_600_000 });
  await e.restart();
  e.time.tick(3_600_000);
  // Barrier: a forced door's event comes after anything the restart could have re-sent.
  e.board.forceOpen(1);
  await e.until('door.forced', () => e.events('door.forced')[0]);
  t.equal(e.events('item.overdue').length, 1, 'reported once');
});

t.test('revoke stops a code; disable hides a door from drop-off; a deposit in a full door is BUSY', async (t) => {
  const e = await lockerFixture(t);
  await e.deposit(1, 'dep-r', '123123');
  t.match(await e.deposit(1, 'dep-r2', '555555'), { ok: false, error: { code: 'BUSY' } });
  t.match(await e.deposit(2, 'dep-r', '555555'), { ok: false, error: { code: 'BAD_REQUEST' } }, 'a deposit id is used once');
  t.match(await e.command('revoke', { depositId: 'dep-r' }), { ok: true, data: { state: 'revoked' } });
  t.match(await e.page('code', { code: '123123' }), { ok: false, reason: 'wrong-code' });
  t.match(await e.command('disable', { door: 1 }), { ok: true });
  t.match(await e.page('drop-off', { size: 'S' }), { ok: false, reason: 'no-free-door' });
  await e.restart();
  t.match(await e.page('drop-off', { size: 'S' }), { ok: false, reason: 'no-free-door' }, 'still disabled after a restart');
  t.match(await e.command('enable', { door: 1 }), { ok: true });
  t.match(await e.page('drop-off', { size: 'S' }), { ok: true, door: 1 });
});

t.test('a wrong code that shares all but its last digit with the right one opens nothing', async (t) => {
  const e = await lockerFixture(t);
  await e.deposit(2, 'dep-prefix', '42819300');
  for (const wrong of ['42819301', '4281930', '428193000', '4281']) t.match(await e.page('code', { code: wrong }), { ok: false }, `${wrong} is not 42819300`);
  t.equal(e.bus.unlocksHeard().length, 0, 'nothing opened');
  e.time.tick(300_000);
  t.match(await e.page('code', { code: '42819300' }), { ok: true, door: 2 });
});

t.test('wrong tries count across restarts: one wrong try per boot still ends in the lockout', async (t) => {
  const e = await lockerFixture(t);
  await e.deposit(1, 'dep-t', '555666');
  t.match(await e.page('code', { code: '000001' }), { ok: false, reason: 'wrong-code', remaining: 2 });
  await e.restart();
  t.match(await e.page('code', { code: '000002' }), { ok: false, reason: 'wrong-code', remaining: 1 }, 'the first try is remembered');
  await e.restart();
  t.match(await e.page('code', { code: '000003' }), { ok: false, reason: 'locked-out' }, 'the third wrong try, in a third boot, locks out');
  t.match(await e.page('code', { code: '555666' }), { ok: false, reason: 'locked-out' });
  t.equal(e.bus.unlocksHeard().length, 0);
});
