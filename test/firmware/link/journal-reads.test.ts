// What a command costs the journal: a new id is not read from it (the journal's ids are known
// in memory), an id from an earlier boot still is and is answered from it, and read-only
// commands' rows are written behind their answers in batches rather than one commit each.
import t from 'tap';
import { Type } from '@sinclair/typebox';
import sinon from 'sinon';
import { tempDir } from '../../../testkit/temp.js';
import { command } from '../../../firmware/link/command-types.js';
import { dispatcherRig, NOW } from './dispatcher-rig.js';

const clock = { now: () => NOW, monotonicMs: () => 0 };

t.test('a new id costs no journal read once the earlier boots\' ids are loaded', async (t) => {
  const rig = await dispatcherRig(await tempDir(t));
  t.teardown(() => rig.store.close());
  await rig.dispatcher.journalIdsLoaded();
  const reads = sinon.spy(rig.store, 'lookup');
  for (let i = 0; i < 20; i++) await rig.send('note', `n-${i}`, { n: i });
  t.equal(rig.acks.filter((a) => a.ok).length, 20);
  t.equal(reads.callCount, 0, 'no journal read for 20 new ids');
});

t.test('ids journaled in an earlier boot are still read and answered dup, never run again', async (t) => {
  const dir = await tempDir(t);
  const first = await dispatcherRig(dir);
  for (let i = 0; i < 300; i++) await first.send('note', `old-${i}`, { n: i });
  await first.dispatcher.stop();
  await first.store.close();
  t.equal(first.ran.length, 300);

  const rig = await dispatcherRig(dir);
  t.teardown(() => rig.store.close());
  // Before the ids are loaded and after: both answer from the journal.
  const early = rig.send('note', 'old-0', { n: 0 });
  await rig.dispatcher.journalIdsLoaded();
  await early;
  for (let i = 1; i < 300; i++) await rig.send('note', `old-${i}`, { n: i });
  t.equal(rig.ran.length, 0, 'none of them ran again');
  t.equal(rig.acks.length, 300);
  t.ok(rig.acks.every((a) => a.ok && (a as { dup?: boolean }).dup === true), 'every one answered dup:true');
});

t.test('read-only commands are journaled behind their answers, many rows in one commit', async (t) => {
  const dir = await tempDir(t);
  let commits = 0;
  const rig = await dispatcherRig(dir, {}, { clock, onCommit: () => void (commits += 1) });
  await rig.dispatcher.journalIdsLoaded();
  const before = commits;
  await Promise.all(Array.from({ length: 50 }, (_, i) => rig.send('ping', `p-${i}`, { i })));
  t.equal(rig.acks.length, 50, 'all answered');
  await rig.dispatcher.stop();
  await rig.store.close(); // every queued commit is written before it closes
  t.ok(commits - before >= 1 && commits - before <= 2, `50 pings cost ${commits - before} commits`);

  // After a restart their rows are there, and their repeats are answered from the journal.
  const again = await dispatcherRig(dir);
  t.teardown(() => again.store.close());
  const rows = await again.store.all('SELECT id FROM journal WHERE id LIKE ? AND state = ?', ['p-%', 'done']);
  t.equal(rows.length, 50, 'every ping has its row');
  await again.send('ping', 'p-7', { i: 7 });
  t.match(again.acksFor('p-7'), [{ ok: true, dup: true, data: { i: 7 } }]);
});

t.test('a row written behind while a repeat of its id arrives: answered once, dup', async (t) => {
  const rig = await dispatcherRig(await tempDir(t));
  t.teardown(() => rig.store.close());
  await rig.send('ping', 'p-1', { i: 1 });
  await rig.send('ping', 'p-1', { i: 1 });
  t.match(rig.acksFor('p-1'), [{ ok: true }, { ok: true, dup: true }]);
  await rig.dispatcher.stop();
});

t.test('a read-only command that hands over an event keeps it (committed with its row)', async (t) => {
  const dir = await tempDir(t);
  const rig = await dispatcherRig(dir);
  rig.dispatcher.register('sys', 'look', command({ schema: Type.Object({}), effect: 'none', run: async (_d, ctx) => ctx.emit('looked', {}) }));
  await rig.send('look', 'l-1', {});
  await rig.dispatcher.stop();
  t.match(rig.acksFor('l-1'), [{ ok: true }]);
  await rig.store.close();
  const reopened = await dispatcherRig(dir);
  t.teardown(() => reopened.store.close());
  t.match(await reopened.store.outboxAfter(0, 10), [{ name: 'looked' }], 'the event is in the outbox');
  t.match(await reopened.store.get('SELECT state FROM journal WHERE id = ?', ['l-1']), { state: 'done' });
});
