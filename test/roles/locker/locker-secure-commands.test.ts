// Every locker command that changes who may open a door (deposit, revoke, disable, enable, open)
// is secure by role: with a server key it must be signed for its exact topic and not be expired,
// whatever security.secureCommands says. The attack it stops: any client on the broker reads the
// active depositId from the retained state/locker, revokes it, deposits into the same door with
// a code hash of its own, types that code on the cabinet page, and the door opens.
import t from 'tap';
import { hashPickupCode } from '../../../protocol/locker-code.js';
import type { StateMessage } from '../../../protocol/messages.js';
import { lockerFixture, TEST_SCRYPT } from './locker-fixture.js';

t.setTimeout(180_000);

t.test('the unsigned chain (revoke, deposit with its own code, type it) opens nothing', async (t) => {
  const e = await lockerFixture(t);
  let state: StateMessage | undefined;
  e.server.client.onState((device, role, s) => {
    if (device === 'cab-1' && role === 'locker') state = s;
  });
  t.match(await e.deposit(2, 'dep-citizen', '428193'), { ok: true }, 'the hall server deposits (its client signs)');
  const doors = await e.until('state/locker shows the deposit', () => {
    const list = state?.data['doors'] as Array<{ door: number; depositId: string | null }> | undefined;
    return list?.find((d) => d.depositId === 'dep-citizen');
  });
  t.equal(doors.door, 2, 'anyone on the broker can read the active depositId');

  t.match(await e.command('revoke', { depositId: 'dep-citizen' }, { sign: false, id: 'evil-revoke' }), { ok: false, error: { code: 'UNAUTHORIZED' } }, 'an unsigned revoke');
  const now = e.time.clock.now();
  const own = await hashPickupCode('999999', TEST_SCRYPT);
  const evilDeposit = { door: 2, depositId: 'evil', ...own, expiresAt: now + 86_400_000, overdueAt: now + 86_400_000, kind: 'certificate' };
  t.match(await e.command('deposit', evilDeposit, { sign: false, id: 'evil-deposit' }), { ok: false, error: { code: 'UNAUTHORIZED' } }, 'an unsigned deposit');
  t.match(await e.command('deposit', { ...evilDeposit, door: 3 }, { sign: false, id: 'evil-deposit-3' }), { ok: false, error: { code: 'UNAUTHORIZED' } }, 'an unsigned deposit into a free door');
  t.match(await e.command('revoke', { depositId: 'dep-citizen' }, { ts: now - 120_000, expiresInMs: 60_000 }), { ok: false, error: { code: 'EXPIRED' } }, 'a signed but expired revoke');
  t.match(await e.page('code', { code: '999999' }), { ok: false, reason: 'wrong-code' }, "the intruder's code opens nothing");
  t.equal(e.bus.unlocksHeard().length, 0, 'no unlock frame');
  t.match(await e.page('code', { code: '428193' }), { ok: true, door: 2 }, "the citizen's code still opens the citizen's door");
});

t.test('disable and enable are signed and topic-bound, and refuse the hall-wide topic', async (t) => {
  const e = await lockerFixture(t);
  t.match(await e.command('disable', { door: 1 }, { sign: false }), { ok: false, error: { code: 'UNAUTHORIZED' } }, 'unsigned disable');
  t.match(await e.command('enable', { door: 1 }, { sign: false }), { ok: false, error: { code: 'UNAUTHORIZED' } }, 'unsigned enable');
  // A signed disable re-sent as enable, a signed deposit re-sent as revoke: worth nothing.
  await e.publish('enable', e.signed('disable', { door: 1 }, { id: 'disable-as-enable' }));
  t.match(await e.until('ack of disable-as-enable', () => e.acks('disable-as-enable')[0]), { ok: false, error: { code: 'UNAUTHORIZED', message: /signed for .*cmd\/locker\/disable/ } });
  await e.publish('revoke', e.signed('deposit', { depositId: 'x' }, { id: 'deposit-as-revoke' }));
  t.match(await e.until('ack of deposit-as-revoke', () => e.acks('deposit-as-revoke')[0]), { ok: false, error: { code: 'UNAUTHORIZED' } });
  for (const name of ['disable', 'enable'] as const) {
    const id = `hall-wide-${name}`;
    await e.run(e.server.client.hallCommand(`locker/${name}`, { door: 1 }, { id, ts: e.time.clock.now(), expiresInMs: 600_000 }));
    t.match(await e.until(`ack of ${id}`, () => e.acks(id)[0]), { ok: false, error: { code: 'BAD_REQUEST', message: /one cabinet, not hall-wide/ } }, `a hall-wide ${name} is refused`);
  }
  t.match(await e.command('disable', { door: 1 }), { ok: true, data: { door: 1, enabled: false } }, 'signed for its own topic: runs');
  t.match(await e.page('drop-off', { size: 'S' }), { ok: false, reason: 'no-free-door' });
});

t.test('a cabinet without the server key takes no deposit, revoke, disable or enable', async (t) => {
  const e = await lockerFixture(t, { security: {} });
  t.match(await e.deposit(1, 'dep-nokey', '123456'), { ok: false, error: { code: 'UNAUTHORIZED', message: /no server public key/ } });
  for (const [name, data] of [['revoke', { depositId: 'dep-nokey' }], ['disable', { door: 1 }], ['enable', { door: 1 }]] as const) {
    t.match(await e.command(name, data, { sign: false }), { ok: false, error: { code: 'UNAUTHORIZED' } }, name);
  }
  t.match(await e.page('code', { code: '123456' }), { ok: false, reason: 'wrong-code' });
});
