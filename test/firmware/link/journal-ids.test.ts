// The filter of journal ids never says "not there" for an id that is: not for ids added, not
// across a rebuild that races commits, and its false "maybe" stays rare at its capacity.
import t from 'tap';
import { IdFilter } from '../../../firmware/link/id-filter.js';
import { JournalIds } from '../../../firmware/link/journal-ids.js';

t.test('no id added is ever missed, and about 1 % of others are "maybe" at capacity', async (t) => {
  const filter = new IdFilter(100_000);
  for (let i = 0; i < 100_000; i++) filter.add(`m${i.toString(36)}-0-${(i * 2654435761 >>> 0).toString(16)}`);
  let missed = 0;
  for (let i = 0; i < 100_000; i++) if (!filter.mayHave(`m${i.toString(36)}-0-${(i * 2654435761 >>> 0).toString(16)}`)) missed += 1;
  t.equal(missed, 0);
  let maybe = 0;
  for (let i = 0; i < 100_000; i++) if (filter.mayHave(`other-${i}`)) maybe += 1;
  t.ok(maybe < 3_000, `${maybe} of 100000 unknown ids answered "maybe"`);
});

t.test('before the table is read every id may be there; after, only those read or queued', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const ids = new JournalIds(async (after) => (await gate, after === '' ? ['a', 'b'] : []), 1_000);
  t.ok(ids.mayHave('zzz'), 'not loaded yet: maybe');
  const loading = ids.rebuild();
  ids.queued('c', Promise.resolve());
  release();
  await loading;
  t.ok(ids.loaded);
  t.ok(ids.mayHave('a') && ids.mayHave('b') && ids.mayHave('c'), 'read and queued ids');
  t.notOk(ids.mayHave('zzz'));
});

t.test('a rebuild keeps ids whose commit had not settled when the table was read', async (t) => {
  const table: string[] = [];
  const ids = new JournalIds(async (after, limit) => table.filter((id) => id > after).sort().slice(0, limit), 1_000);
  await ids.rebuild();
  let commit!: () => void;
  const pending = new Promise<void>((r) => (commit = r));
  ids.queued('in-flight', pending); // queued before the rebuild, committed after the table was read
  for (let i = 0; i < 5_000; i++) {
    table.push(`x${i}`);
    ids.queued(`x${i}`, Promise.resolve());
  }
  await ids.rebuild();
  table.push('in-flight');
  commit();
  t.ok(ids.mayHave('in-flight'), 'the unsettled id survived the rebuild');
  t.ok(table.every((id) => ids.mayHave(id)));
});
