import t from 'tap';
import { Store } from '../../../firmware/store/store.js';
import { tempDir } from '../../../testkit/temp.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';

t.test('boot counter increases on every open and seq never restarts', async (t) => {
  const dir = await tempDir(t);
  const a = await Store.open(dir, { clock: systemClock });
  t.equal(a.boot, 1);
  const [e1] = await a.commit([], [{ role: 'sys', name: 'x', data: { n: 1 }, durable: true }]);
  t.equal(e1?.seq, 1);
  await a.acknowledgeUpTo(1);
  await a.close();
  const b = await Store.open(dir, { clock: systemClock });
  t.equal(b.boot, 2, 'new boot number');
  const [e2] = await b.commit([], [{ role: 'sys', name: 'x', data: { n: 2 }, durable: true }]);
  t.equal(e2?.seq, 2, 'seq continues after every event was acknowledged and deleted');
  t.equal(e2?.boot, 2);
  await b.close();
});

t.test('concurrent units share a transaction and get seqs in commit order', async (t) => {
  const dir = await tempDir(t);
  const s = await Store.open(dir, { clock: systemClock });
  t.teardown(() => s.close());
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => s.commit([], [{ role: 'sys', name: 'n', data: { i }, durable: true }])),
  );
  const seqs = results.map((r) => r[0]?.seq);
  t.same(seqs, Array.from({ length: 200 }, (_, i) => i + 1), 'seq follows the order units were queued');
  const rows = await s.outboxAfter(0, 1000);
  t.equal(rows.length, 200);
  t.same(JSON.parse(rows[199]?.data ?? '{}'), { i: 199 });
});

t.test('a failing unit is rolled back alone; its neighbours commit', async (t) => {
  const dir = await tempDir(t);
  const s = await Store.open(dir, { clock: systemClock });
  t.teardown(() => s.close());
  await s.migrate('probe', ['CREATE TABLE probe (k TEXT PRIMARY KEY)']);
  const good1 = s.commit([{ sql: 'INSERT INTO probe VALUES (?)', params: ['a'] }], [{ role: 'sys', name: 'ok', data: {}, durable: true }]);
  const bad = s.commit(
    [
      { sql: 'INSERT INTO probe VALUES (?)', params: ['b'] },
      { sql: 'INSERT INTO probe VALUES (?)', params: ['a'] },
    ],
    [{ role: 'sys', name: 'bad', data: {}, durable: true }],
  );
  const good2 = s.commit([{ sql: 'INSERT INTO probe VALUES (?)', params: ['c'] }], [{ role: 'sys', name: 'ok', data: {}, durable: true }]);
  const [r1, r2, r3] = await Promise.allSettled([good1, bad, good2]);
  t.equal(r1.status, 'fulfilled');
  t.equal(r2.status, 'rejected');
  t.match(String((r2 as PromiseRejectedResult).reason), /UNIQUE/);
  t.equal(r3.status, 'fulfilled');
  const keys = (await s.all<{ k: string }>('SELECT k FROM probe ORDER BY k')).map((r) => r.k);
  t.same(keys, ['a', 'c'], 'the failed unit left no row (b rolled back)');
  const seqs = (await s.outboxAfter(0, 10)).map((e) => [e.seq, e.name]);
  t.same(seqs, [
    [1, 'ok'],
    [2, 'ok'],
  ], 'no seq was burned by the failed unit');
});

t.test('outbox bound drops oldest telemetry only, never durable events', async (t) => {
  const dir = await tempDir(t);
  const s = await Store.open(dir, { maxOutbox: 100, clock: systemClock });
  t.teardown(() => s.close());
  for (let i = 0; i < 60; i++) await s.commit([], [{ role: 'sys', name: 'telemetry', data: { i }, durable: false }]);
  for (let i = 0; i < 80; i++) await s.commit([], [{ role: 'ticket-printer', name: 'ticket.issued', data: { i }, durable: true }]);
  const stats = s.outboxStats();
  t.equal(stats.pending, 100, 'held at the bound');
  t.equal(stats.dropped, 40, 'dropped the excess');
  const rows = await s.outboxAfter(0, 1000);
  t.equal(rows.filter((r) => r.durable).length, 80, 'every durable event kept');
  t.equal(rows.filter((r) => !r.durable)[0]?.seq, 41, 'the oldest telemetry went first');
  for (let i = 0; i < 50; i++) await s.commit([], [{ role: 'locker', name: 'door.opened', data: { i }, durable: true }]);
  t.equal(s.outboxStats().pending, 130, 'durable events exceed the bound rather than be dropped');
  t.equal((await s.outboxAfter(0, 1000)).filter((r) => !r.durable).length, 0);
});

t.test('migrations apply once and refuse a database from newer firmware', async (t) => {
  const dir = await tempDir(t);
  const a = await Store.open(dir, { clock: systemClock });
  await a.migrate('role-x', ['CREATE TABLE x (a INTEGER)', 'ALTER TABLE x ADD COLUMN b INTEGER']);
  await a.migrate('role-x', ['CREATE TABLE x (a INTEGER)', 'ALTER TABLE x ADD COLUMN b INTEGER']);
  await t.rejects(a.migrate('role-x', ['CREATE TABLE x (a INTEGER)']), /newer \(2\) than this firmware knows \(1\)/);
  await a.close();
});
