// The command journal's rows in a real Store: what a power cut leaves unfinished is still
// there after a reopen, and what it turns those rows into at start.
import t from 'tap';
import { Store } from '../../../firmware/store/store.js';
import { CommandJournal } from '../../../firmware/link/command-journal.js';
import { tempDir } from '../../../testkit/temp.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';

t.test('unfinished rows survive a reopen', async (t) => {
  const dir = await tempDir(t);
  const a = await Store.open(dir, { clock: systemClock });
  const before = new CommandJournal(a);
  await before.begin('c1', 'locker', 'open', 'actuating');
  await before.begin('c2', 'sys', 'restart', 'received');
  await a.commit([before.finishStatement('c3', 'sys', 'ping', '{"v":1,"id":"c3","ok":true}')]);
  await a.close();
  const b = await Store.open(dir, { clock: systemClock });
  t.teardown(() => b.close());
  const after = new CommandJournal(b);
  const unfinished = (await after.unfinished()).map((r) => [r.id, r.state]).sort();
  t.same(unfinished, [
    ['c1', 'actuating'],
    ['c2', 'received'],
  ]);
  t.equal((await after.get('c3'))?.ack, '{"v":1,"id":"c3","ok":true}');
});

t.test('unfinished rows become final answers in one commit: actuating INDETERMINATE, received INTERNAL', async (t) => {
  const dir = await tempDir(t);
  const store = await Store.open(dir, { clock: systemClock });
  t.teardown(() => store.close());
  const journal = new CommandJournal(store);
  await journal.begin('open-1', 'locker', 'open', 'actuating');
  await journal.begin('upd-1', 'sys', 'update', 'received');
  const acks = (await journal.finishUnfinished()).map((a) => JSON.parse(a) as { id: string; error: { code: string } });
  t.same(acks.map((a) => [a.id, a.error.code]).sort(), [
    ['open-1', 'INDETERMINATE'],
    ['upd-1', 'INTERNAL'],
  ]);
  t.same(await journal.unfinished(), [], 'nothing is left unfinished');
  t.match(await journal.get('open-1'), { state: 'done', ack: /INDETERMINATE/ });
});
