// docs/protocol.md "Limits" at the dispatcher: deep and oversized commands get one clear answer,
// the journal keeps answers, not echoes, and is pruned by age and count.
import t from 'tap';
import { tempDir } from '../../../testkit/temp.js';
import { dispatcherRig, NOW } from './dispatcher-rig.js';
import { CommandJournal } from '../../../firmware/link/command-journal.js';

function nested(depth: number): unknown {
  let v: unknown = {};
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

t.test('a 20,000-deep ping gets exactly one BAD_REQUEST ack', async (t) => {
  const rig = await dispatcherRig(await tempDir(t));
  t.teardown(() => rig.store.close());
  const payload = `{"v":1,"id":"deep-ping","ts":${NOW},"exp":${NOW + 60_000},"data":${'{"a":'.repeat(20_000)}{}${'}'.repeat(20_000)}}`;
  await rig.sendRaw('ping', payload);
  t.match(rig.acksFor('deep-ping'), [{ ok: false, error: { code: 'BAD_REQUEST', message: /deeper than 64 levels/ } }]);
  await rig.send('ping', 'after-deep', { still: 'alive' });
  t.match(rig.acksFor('after-deep'), [{ ok: true, data: { still: 'alive' } }], 'the device goes on answering');
});

t.test('a deep payload without a readable id is a protocol.error, not an ack', async (t) => {
  const rig = await dispatcherRig(await tempDir(t));
  t.teardown(() => rig.store.close());
  await rig.sendRaw('ping', JSON.stringify({ v: 1, id: 42, data: nested(100) }));
  t.equal(rig.acks.length, 0);
  t.match(rig.errors, [{ topic: 'cmd/sys/ping', reason: /deeper than 64/ }]);
});

t.test('a ping over limits.maxPayloadBytes is refused before parsing', async (t) => {
  const rig = await dispatcherRig(await tempDir(t), { limits: { maxPayloadBytes: 10_000, maxJsonDepth: 64 } });
  t.teardown(() => rig.store.close());
  await rig.send('ping', 'big-ping', { s: 'x'.repeat(20_000) });
  t.equal(rig.acks.length, 0, 'no id can be read without parsing');
  t.match(rig.errors, [{ topic: 'cmd/sys/ping', reason: /over the limit of 10000 bytes/ }]);
  await rig.send('ping', 'small-ping', { s: 'x'.repeat(100) });
  t.equal(rig.acksFor('small-ping').length, 1);
});

t.test('the journal keeps answers, not large echoes: database and memory stay small', async (t) => {
  const rig = await dispatcherRig(await tempDir(t));
  t.teardown(() => rig.store.close());
  const before = rig.dbBytes();
  const big = 'y'.repeat(200 * 1024);
  for (let i = 0; i < 60; i++) await rig.send('ping', `echo-${i}`, { big, i });
  await rig.store.commit([]); // barrier: every journal write queued before this one is on disk
  t.equal(rig.acks.length, 60);
  t.equal((rig.acksFor('echo-0')[0] as { data?: { big?: string } }).data?.big?.length, big.length, 'the first answer carries the echo');
  const grown = rig.dbBytes() - before;
  // 60 echoes of 200 KiB are 12 MiB; the answers without them are a few hundred bytes each.
  t.ok(grown < 1024 * 1024, `database grew ${grown} bytes (bound 1 MiB)`);
  const recent = rig.dispatcher.stats().recentBytes;
  t.ok(recent <= 256 * 1024, `recent acks hold ${recent} bytes (bound 256 KiB)`);
  await rig.send('ping', 'echo-3', { big, i: 3 });
  t.match(rig.acksFor('echo-3')[1], { ok: true, dup: true, dataOmitted: true });
  t.equal((rig.acksFor('echo-3')[1] as { data?: unknown }).data, undefined, 'a repeated id answers without the big data');
  await rig.send('ping', 'small-echo', { hi: 1 });
  await rig.send('ping', 'small-echo', { hi: 1 });
  t.match(rig.acksFor('small-echo')[1], { ok: true, dup: true, data: { hi: 1 } }, 'a small echo is kept and answered again');
});

t.test('the journal is pruned by count as commands come in', async (t) => {
  const rig = await dispatcherRig(await tempDir(t), { journal: { ackMaxBytes: 4096, maxRows: 50, maxAgeMs: 86_400_000 } });
  t.teardown(() => rig.store.close());
  for (let i = 0; i < 300; i++) await rig.send('note', `n-${i}`, { n: i });
  const rows = await rig.store.get<{ c: number }>('SELECT count(*) AS c FROM journal');
  t.ok((rows?.c ?? 0) <= 50 + 100, `journal holds ${rows?.c} rows (bound: maxRows 50 + one prune interval of 100)`);
  await rig.send('note', 'n-299', { n: 299 });
  t.match(rig.acksFor('n-299')[1], { dup: true }, 'a recent id still answers dup');
});

t.test('the journal is pruned by age at start; unfinished rows are kept', async (t) => {
  const dir = await tempDir(t);
  let now = NOW;
  const rig = await dispatcherRig(dir, {}, { clock: { now: () => now, monotonicMs: () => 0 } });
  for (let i = 0; i < 20; i++) await rig.send('note', `old-${i}`, { n: i });
  // A command that was moving hardware when the board lost power, as old as the finished rows.
  await new CommandJournal(rig.store).begin('cut-mid-open', 'sys', 'note', 'actuating');
  await rig.store.close();
  now = NOW + 2 * 86_400_000;
  const next = await dispatcherRig(dir, { journal: { ackMaxBytes: 4096, maxRows: 50_000, maxAgeMs: 86_400_000 } }, { clock: { now: () => now, monotonicMs: () => 0 } });
  t.teardown(() => next.store.close());
  const rows = await next.store.all<{ id: string }>('SELECT id FROM journal');
  t.same(rows.map((r) => r.id), ['cut-mid-open'], 'finished rows older than maxAgeMs are gone; the unfinished one is kept');
  t.match(await new CommandJournal(next.store).get('cut-mid-open'), { state: 'done', ack: /INDETERMINATE/ }, 'and answered INDETERMINATE at start');
  await next.send('note', 'cut-mid-open', { n: 1 });
  t.same(next.ran, [], 'a repeat of its id never runs it again');
  t.match(next.acksFor('cut-mid-open'), [{ ok: false, dup: true, error: { code: 'INDETERMINATE' } }]);
});

t.test('pruning by count keeps unfinished rows however many finished ones are newer', async (t) => {
  const dir = await tempDir(t);
  let now = NOW;
  const rig = await dispatcherRig(dir, {}, { clock: { now: () => now, monotonicMs: () => 0 } });
  await new CommandJournal(rig.store).begin('cut-mid-open', 'sys', 'note', 'actuating');
  for (let i = 0; i < 20; i++) {
    now += 1000;
    await rig.send('note', `later-${i}`, { n: i });
  }
  await rig.store.close();
  const next = await dispatcherRig(dir, { journal: { ackMaxBytes: 4096, maxRows: 5, maxAgeMs: 86_400_000 } }, { clock: { now: () => now, monotonicMs: () => 0 } });
  t.teardown(() => next.store.close());
  const rows = await next.store.all<{ id: string }>('SELECT id FROM journal ORDER BY received_at');
  t.same(rows.map((r) => r.id), ['cut-mid-open', 'later-15', 'later-16', 'later-17', 'later-18', 'later-19'], 'the five newest finished rows and the unfinished one');
  await next.send('note', 'cut-mid-open', { n: 1 });
  t.same(next.ran, [], 'a repeat of its id never runs it again');
});
