// Pickup by ID card at the cabinet: a certificate deposit bound to a citizen carries the salted
// hash of their ID number (made here with an independent scrypt, not the device's code); their
// card laid on the cabinet's reader (the sim board's GA 467 module behind the real driver) opens
// the door, online and with the hall network down; other cards count as wrong tries and share
// the codes' lockout; the hash goes with the deposit.
import t from 'tap';
import { DEFAULT_SIM_CARD } from '../../../simulators/id-card-reader/sim-card.js';
import { boundTo, ID_READER_IO, layCard as lay, lockerFixture, TEST_SCRYPT, type LockerFixture } from './locker-fixture.js';

t.setTimeout(180_000);

const OTHER = '110101199003070038'; // a well-formed number (GB 11643 check character 8) of someone else

async function cabinet(t: Parameters<typeof lockerFixture>[0]): Promise<LockerFixture> {
  return lockerFixture(t, { io: ID_READER_IO, role: { idCardReader: 'desk' } });
}

t.test('online: the citizen\'s card opens the door of the deposit bound to them', async (t) => {
  const e = await cabinet(t);
  t.match(await e.deposit(2, 'dep-id', '739104', await boundTo(DEFAULT_SIM_CARD.number)), { ok: true });
  lay(e, DEFAULT_SIM_CARD.number);
  const picked = await e.until('item.picked-up', () => e.events('item.picked-up')[0]);
  t.match(picked.message.data, { door: 2, depositId: 'dep-id', by: 'id-card', offline: false });
  t.ok(e.board.isOpen(2), 'door 2 opened');
  t.equal(e.bus.unlocksHeard(1, 2).length, 1, 'one unlock frame');
  t.match(await e.page('code', { code: '739104' }), { ok: false, reason: 'wrong-code' }, 'the deposit is gone: its code opens nothing either');
  const rows = await e.runtime.store.all('SELECT * FROM lk_deposit_identity');
  t.same(rows, [], 'the hash went with the deposit');
});

t.test('offline: the card is checked on the cabinet; item.picked-up arrives once the link is back', async (t) => {
  const e = await cabinet(t);
  await e.deposit(3, 'dep-off', '204861', await boundTo(DEFAULT_SIM_CARD.number));
  await e.brokerDown();
  lay(e, DEFAULT_SIM_CARD.number);
  await e.until('door 3 open', () => e.board.isOpen(3));
  t.equal(e.events('item.picked-up').length, 0, 'nothing reached the server yet');
  await e.brokerUp();
  const picked = await e.until('item.picked-up', () => e.events('item.picked-up')[0], 600_000);
  t.match(picked.message.data, { door: 3, depositId: 'dep-off', by: 'id-card', offline: true });
});

t.test('another citizen\'s card: a wrong try, and the codes\' lockout', async (t) => {
  const e = await cabinet(t);
  await e.deposit(1, 'dep-a', '551177', await boundTo(DEFAULT_SIM_CARD.number));
  lay(e, OTHER);
  const rejected = await e.until('code.rejected', () => e.events('code.rejected')[0]);
  t.match(rejected.message.data, { via: 'id-card', tries: 1, remaining: 2 });
  t.notOk(JSON.stringify(rejected.message.data).includes(OTHER), 'never the number');
  t.match(await e.page('code', { code: '000001' }), { ok: false, reason: 'wrong-code', remaining: 1 }, 'a card and a code count together');
  t.match(await e.page('code', { code: '000002' }), { ok: false, reason: 'locked-out' });
  lay(e, DEFAULT_SIM_CARD.number);
  // The reader polls every 100 ms: three seconds of device time is thirty chances to open the door.
  const from = e.time.clock.monotonicMs();
  await e.until('3 s of device time', () => e.time.clock.monotonicMs() >= from + 3000);
  t.equal(e.bus.unlocksHeard().length, 0, 'even the right card waits out the lockout');
  t.equal(e.events('item.picked-up').length, 0);
});

t.test('a deposit without identity is not opened by a card; an expired one neither', async (t) => {
  const e = await cabinet(t);
  await e.deposit(1, 'dep-plain', '880011');
  const now = e.time.clock.now();
  await e.deposit(2, 'dep-old', '880022', { ...(await boundTo(DEFAULT_SIM_CARD.number)), expiresAt: now + 1000 });
  e.time.tick(2000);
  lay(e, DEFAULT_SIM_CARD.number);
  const rejected = await e.until('code.rejected', () => e.events('code.rejected')[0]);
  t.match(rejected.message.data, { via: 'id-card' });
  t.equal(e.bus.unlocksHeard().length, 0, 'nothing opened');
});

t.test('a bad identity in a deposit is refused with a reason', async (t) => {
  const e = await cabinet(t);
  const bound = await boundTo(DEFAULT_SIM_CARD.number);
  t.match(await e.deposit(1, 'dep-b1', '123456', { identity: { ...bound.identity, hash: bound.identity.hash.slice(0, 40) } }), { ok: false, error: { code: 'BAD_REQUEST', message: /identity\.hash has 20 bytes/ } });
  t.match(await e.deposit(1, 'dep-b2', '123456', { identity: { ...bound.identity, scrypt: { ...TEST_SCRYPT, N: 3000 } } }), { ok: false, error: { code: 'BAD_REQUEST', message: /power of two/ } });
  t.match(await e.deposit(1, 'dep-b3', '123456', { ...bound, kind: 'drop-off' }), { ok: false, error: { code: 'BAD_REQUEST', message: /only a certificate/ } });
});
