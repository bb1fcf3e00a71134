// What a command costs in durable commits (fsyncs), counted by the store itself: a command whose
// effect is its own records is ONE commit (journal row, records, events and ack together); a
// command whose effect leaves the transaction is journaled first, so two. And the one-commit
// path is still exactly-once when the power goes before or after that commit.
import t from 'tap';
import { Type } from '@sinclair/typebox';
import { tempDir } from '../../../testkit/temp.js';
import { command, type CommandEffect } from '../../../firmware/link/command-types.js';
import { dispatcherRig, NOW, type Rig } from './dispatcher-rig.js';

const clock = { now: () => NOW, monotonicMs: () => 0 };

/** A rig whose store counts its commits, with `set` declared with the given effect. */
async function counting(dir: string, effect: CommandEffect): Promise<{ rig: Rig; commits: () => number; runs: () => number }> {
  let commits = 0;
  let runs = 0;
  const rig = await dispatcherRig(dir, {}, { clock, onCommit: () => void (commits += 1) });
  rig.dispatcher.register(
    'sys',
    'set',
    command({
      schema: Type.Object({ mode: Type.String() }),
      effect,
      run: async (data, ctx) => {
        runs += 1;
        ctx.record(rig.store.setMetaStatement('mode', data.mode));
        ctx.emit('mode.changed', { mode: data.mode });
        return { mode: data.mode };
      },
    }),
  );
  return { rig, commits: () => commits, runs: () => runs };
}

t.test('a records command is one durable commit: journal row, its record, its event and the ack', async (t) => {
  const { rig, commits } = await counting(await tempDir(t), 'records');
  t.teardown(() => rig.store.close());
  const before = commits();
  await rig.send('set', 'm-1', { mode: 'silent' });
  t.match(rig.acksFor('m-1'), [{ ok: true, data: { mode: 'silent' } }]);
  t.equal(commits() - before, 1, 'one commit');
  t.equal(await rig.store.getMeta('mode'), 'silent', 'the record is in');
  t.match(await rig.store.outboxAfter(0, 10), [{ name: 'mode.changed' }], 'the event is in');
  t.match(await rig.store.get('SELECT state FROM journal WHERE id = ?', ['m-1']), { state: 'done' }, 'the journal row is in');
  await rig.send('set', 'm-1', { mode: 'voice' });
  t.equal(commits() - before, 1, 'a repeat of the id commits nothing');
});

t.test('a refused or failing records command is one commit too (its answer is journaled)', async (t) => {
  const { rig, commits } = await counting(await tempDir(t), 'records');
  t.teardown(() => rig.store.close());
  const before = commits();
  await rig.send('set', 'm-bad', { mode: 7 });
  t.equal(commits() - before, 0, 'bad data runs nothing and stores nothing');
  rig.dispatcher.register('sys', 'fail', command({ schema: Type.Object({}), effect: 'records', run: async () => Promise.reject(new Error('no')) }));
  await rig.send('fail', 'f-1', {});
  t.match(rig.acksFor('f-1'), [{ ok: false, error: { code: 'INTERNAL' } }]);
  t.equal(commits() - before, 1);
});

t.test('state and hardware commands are journaled before they run: two commits', async (t) => {
  for (const effect of ['state', 'hardware'] as const) {
    const { rig, commits } = await counting(await tempDir(t), effect);
    const before = commits();
    await rig.send('set', `s-${effect}`, { mode: 'silent' });
    t.equal(commits() - before, 2, effect);
    await rig.store.close();
  }
});

t.test('power cut: before the commit nothing happened and a retry runs once; after it a retry answers dup', async (t) => {
  const dir = await tempDir(t);
  const first = await counting(dir, 'records');
  // The power goes while the handler runs: the store is closed before its commit could start.
  let cut!: () => void;
  const cutting = new Promise<void>((resolve) => (cut = resolve));
  first.rig.dispatcher.register(
    'sys',
    'slow',
    command({
      schema: Type.Object({}),
      effect: 'records',
      run: async (_data, ctx) => {
        ctx.record(first.rig.store.setMetaStatement('mode', 'lost'));
        cut();
        await new Promise((r) => setTimeout(r, 50));
        return {};
      },
    }),
  );
  const sent = first.rig.send('slow', 'cut-1', {});
  await cutting;
  await first.rig.store.close();
  await sent;
  t.match(first.rig.acksFor('cut-1'), [{ ok: false, error: { code: 'INTERNAL' } }], 'the answer says its result was not stored');

  const second = await counting(dir, 'records');
  t.teardown(() => second.rig.store.close());
  t.equal(await second.rig.store.getMeta('mode'), undefined, 'nothing of it survived');
  t.same(await second.rig.store.all("SELECT id FROM journal WHERE state != 'done'"), [], 'and it left no unfinished row');
  await second.rig.send('set', 'cut-1', { mode: 'voice' });
  await second.rig.send('set', 'cut-1', { mode: 'voice' });
  t.equal(second.runs(), 1, 'the retried id runs once');
  t.match(second.rig.acksFor('cut-1'), [{ ok: true }, { ok: true, dup: true }]);
  await second.rig.store.close();

  const third = await counting(dir, 'records');
  t.teardown(() => third.rig.store.close());
  await third.rig.send('set', 'cut-1', { mode: 'silent' });
  t.equal(third.runs(), 0, 'after a restart the committed id never runs again');
  t.match(third.rig.acksFor('cut-1'), [{ ok: true, dup: true, data: { mode: 'voice' } }]);
  t.equal(await third.rig.store.getMeta('mode'), 'voice');
});
