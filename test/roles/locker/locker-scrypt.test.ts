// A deposit's scrypt parameters are judged by running scrypt once when it arrives: parameters
// node:crypto (OpenSSL) refuses, or a check slower than roles.locker.scryptBudgetMs on this
// board, refuse the deposit. A stored deposit that still cannot be checked (kept from an older
// firmware) is skipped at pickup, reported once as deposit.unusable, and hides no other code.
import t from 'tap';
import { hashPickupCode } from '../../../protocol/locker-code.js';
import { lockerFixture } from './locker-fixture.js';

t.setTimeout(180_000);

const HASH = '00'.repeat(32);
const SALT = '11'.repeat(16);

t.test('N=2^16 with r=1 (OpenSSL needs N < 2^(16r)) is refused at deposit; a good code still opens its door', async (t) => {
  const e = await lockerFixture(t);
  const now = e.time.clock.now();
  const bad = await e.command('deposit', { door: 1, depositId: 'dep-n16', codeHash: HASH, salt: SALT, scrypt: { N: 65_536, r: 1, p: 1, keylen: 32 }, expiresAt: now + 86_400_000, overdueAt: now + 86_400_000, kind: 'certificate' });
  t.match(bad, { ok: false, error: { code: 'BAD_REQUEST', message: /scrypt parameters N=65536 r=1 p=1 cannot be checked on this board/ } });
  t.match(await e.deposit(2, 'dep-good', '222222'), { ok: true });
  t.match(await e.page('code', { code: '999999' }), { ok: false, reason: 'wrong-code' }, 'a wrong code is a wrong code, not an error');
  t.match(await e.page('code', { code: '222222' }), { ok: true, door: 2 });
  t.equal(e.bus.unlocksHeard().length, 1, 'one unlock frame, for door 2');
});

t.test('a stored deposit that cannot be checked is skipped, reported once, and hides no other code', async (t) => {
  const e = await lockerFixture(t);
  // As an older firmware stored it: parameters OpenSSL refuses, in door 1, before the good one.
  await e.run(
    e.runtime.store.commit([
      {
        sql: `INSERT INTO lk_deposit (deposit_id, door, kind, code_hash, salt, scrypt, expires_at, overdue_at, state, receipt_code, created_at, command_id)
              VALUES ('dep-old', 1, 'certificate', ?, ?, ?, ?, ?, 'active', NULL, 0, 'old-cmd')`,
        params: [HASH, SALT, JSON.stringify({ N: 65_536, r: 1, p: 1, keylen: 32 }), e.time.clock.now() + 86_400_000, e.time.clock.now() + 86_400_000],
      },
    ]),
  );
  await e.restart();
  t.match(await e.deposit(3, 'dep-new', '333333'), { ok: true });
  t.match(await e.page('code', { code: '000000' }), { ok: false, reason: 'wrong-code' });
  t.match(await e.page('code', { code: '333333' }), { ok: true, door: 3 }, 'the good deposit opens');
  const unusable = await e.until('deposit.unusable', () => e.events('deposit.unusable')[0]);
  t.match(unusable.message.data, { door: 1, depositId: 'dep-old', reason: /N=65536 r=1 p=1/ });
  await e.restart();
  t.match(await e.page('code', { code: '000001' }), { ok: false, reason: 'wrong-code' });
  // Barrier: a forced door's event comes after anything the tries could have reported.
  e.board.forceOpen(4);
  await e.until('door.forced', () => e.events('door.forced')[0]);
  t.equal(e.events('deposit.unusable').length, 1, 'reported once, across a restart');
});

t.test('a deposit whose check takes longer than scryptBudgetMs is refused with the time it took', async (t) => {
  const e = await lockerFixture(t, { role: { scryptBudgetMs: 10 } });
  // 32 MiB and two lanes: hundreds of milliseconds on any board, far over 10 ms.
  const slow = { N: 32_768, r: 8, p: 2, keylen: 32 };
  const hashed = await hashPickupCode('444444', slow);
  const now = e.time.clock.now();
  const ack = await e.command('deposit', { door: 4, depositId: 'dep-slow', ...hashed, expiresAt: now + 86_400_000, overdueAt: now + 86_400_000, kind: 'certificate' });
  t.match(ack, { ok: false, error: { code: 'BAD_REQUEST', message: /one check of scrypt N=32768 r=8 p=2 takes [\d,]+ ms on this board, over roles\.locker\.scryptBudgetMs \(10 ms\)/ } });
  t.match(await e.page('code', { code: '444444' }), { ok: false, reason: 'wrong-code' });
});
