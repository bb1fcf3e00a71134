// What a commit costs in round trips to SQLite's thread, counted by the store's writing
// connection: a batch that fails nowhere is ONE trip (BEGIN, its statements, the outbox rows and
// COMMIT together), whatever its size; a batch in which a unit fails is rolled back and written
// again statement by statement, where only the failing unit is rolled back.
import t, { type Test } from 'tap';
import { Store } from '../../../firmware/store/store.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';
import { tempDir } from '../../../testkit/temp.js';

async function counted(t: Test): Promise<{ store: Store; trips: () => number; commits: () => number }> {
  let trips = 0;
  let commits = 0;
  const store = await Store.open(await tempDir(t), { clock: systemClock, onWriteTrip: () => void (trips += 1), onCommit: () => void (commits += 1) });
  t.teardown(() => store.close());
  await store.migrate('probe', ['CREATE TABLE probe (k TEXT PRIMARY KEY, n INTEGER, at INTEGER, note TEXT)']);
  return { store, trips: () => trips, commits: () => commits };
}

t.test('a rating-sized unit (two statements and an event) is one round trip and one commit', async (t) => {
  const { store, trips, commits } = await counted(t);
  const before = { trips: trips(), commits: commits() };
  const [event] = await store.commit(
    [
      { sql: 'INSERT INTO probe (k, n, at, note) VALUES (?, ?, ?, ?)', params: ['case-1', 5, 1_733_600_000_123, "it's 好"] },
      { sql: 'UPDATE probe SET note = ? WHERE k = ?', params: ['rated', 'case-1'] },
    ],
    [{ role: 'sys', name: 'rated', data: { caseId: 'case-1', note: "it's 好" }, durable: true }],
  );
  t.equal(trips() - before.trips, 1, 'one trip to the SQLite thread');
  t.equal(commits() - before.commits, 1, 'one commit');
  t.same(await store.get('SELECT k, n, at, note FROM probe'), { k: 'case-1', n: 5, at: 1_733_600_000_123, note: 'rated' });
  t.match(await store.outboxAfter(0, 10), [{ seq: event?.seq, name: 'rated', data: JSON.stringify({ caseId: 'case-1', note: "it's 好" }) }]);
});

t.test('units queued behind a commit in flight share the next trip', async (t) => {
  const { store, trips } = await counted(t);
  const before = trips();
  const together = await Promise.all([1, 2, 3].map((i) => store.commit([{ sql: 'INSERT INTO probe (k, n) VALUES (?, ?)', params: [`k${i}`, i] }], [{ role: 'sys', name: 'n', data: { i }, durable: true }])));
  // The first unit starts a batch alone (the queue was idle); the two queued behind it share the next.
  t.equal(trips() - before, 2, 'three units in two trips');
  t.same(together.map((e) => e[0]?.seq), [1, 2, 3]);
});

t.test('a failing unit costs its batch a second, careful pass that rolls back only it; the failed trip commits nothing', async (t) => {
  const { store, trips, commits } = await counted(t);
  const before = { trips: trips(), commits: commits() };
  // The queue is idle: `y` goes alone, `x` and the failing `y` again share the batch behind it.
  const [first, good, bad] = await Promise.allSettled([
    store.commit([{ sql: 'INSERT INTO probe (k) VALUES (?)', params: ['y'] }], [{ role: 'sys', name: 'first', data: {}, durable: true }]),
    store.commit([{ sql: 'INSERT INTO probe (k) VALUES (?)', params: ['x'] }], [{ role: 'sys', name: 'good', data: {}, durable: true }]),
    store.commit([{ sql: 'INSERT INTO probe (k) VALUES (?)', params: ['y'] }], [{ role: 'sys', name: 'bad', data: {}, durable: true }]),
  ]);
  t.same([first.status, good.status, bad.status], ['fulfilled', 'fulfilled', 'rejected']);
  t.match(String((bad as PromiseRejectedResult).reason), /UNIQUE/);
  t.ok(trips() - before.trips > 3, `the failing batch was written again statement by statement (${trips() - before.trips} trips)`);
  t.equal(commits() - before.commits, 2, 'two batches, one commit each: the failed trip rolled back');
  t.same((await store.all<{ k: string }>('SELECT k FROM probe ORDER BY k')).map((r) => r.k), ['x', 'y'], "the failing unit's neighbour committed");
  t.same((await store.outboxAfter(0, 10)).map((e) => [e.seq, e.name]), [[1, 'first'], [2, 'good']], 'no seq burned by the failed unit or the failed trip');
  t.equal(store.outboxStats().pending, 2, 'the outbox counts the two rows it holds, not the failed trip\'s');
});

// The outbox publisher reads on its own connection, which sees a commit as soon as SQLite has
// made it, possibly before the writing connection's callback has run: by then the count
// (status, diag, the bound) must already hold the commit's rows, as it did when they were
// counted inside the transaction.
t.test('the outbox count holds a commit\'s events from the moment its trip is sent', async (t) => {
  // The store's own open makes trips too, before there is a store to ask.
  const opened: { store?: Store } = {};
  const countAtTrip: number[] = [];
  const store = await Store.open(await tempDir(t), { clock: systemClock, onWriteTrip: () => void (opened.store && countAtTrip.push(opened.store.outboxStats().pending)) });
  opened.store = store;
  t.teardown(() => store.close());
  const before = store.outboxStats().pending;
  countAtTrip.length = 0;
  await store.commit([], [
    { role: 'sys', name: 'a', data: {}, durable: true },
    { role: 'sys', name: 'b', data: {}, durable: false },
  ]);
  t.same(countAtTrip, [before + 2], 'one trip, sent with both rows already counted');
  t.equal(store.outboxStats().pending, before + 2);
});

t.test('a statement that ends in a line comment still goes in the one trip, and alone', async (t) => {
  const { store, trips } = await counted(t);
  const before = trips();
  await store.commit([
    { sql: 'INSERT INTO probe (k) VALUES (?) -- the first', params: ['a'] },
    { sql: 'INSERT INTO probe (k) VALUES (?)', params: ['b'] },
  ]);
  t.equal(trips() - before, 1);
  t.same((await store.all<{ k: string }>('SELECT k FROM probe ORDER BY k')).map((r) => r.k), ['a', 'b']);
});

t.test('a value without an exact literal takes the bound path and is stored exactly', async (t) => {
  const { store, trips } = await counted(t);
  const before = trips();
  await store.commit([{ sql: 'INSERT INTO probe (k, n) VALUES (?, ?)', params: ['f', 0.1] }]);
  t.ok(trips() - before > 1, 'statement by statement');
  t.same(await store.get('SELECT n FROM probe WHERE k = ?', ['f']), { n: 0.1 });
});
