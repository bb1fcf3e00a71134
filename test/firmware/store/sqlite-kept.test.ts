// The kept (prepared once) statements of the SQLite layer answer like fresh ones: the same
// rows and changes on every call, errors every time (a text that cannot be prepared is never
// kept, so it cannot hang a caller), and a connection that used them still closes.
import t from 'tap';
import { join } from 'node:path';
import { Sqlite } from '../../../firmware/store/sqlite.js';
import { tempDir } from '../../../testkit/temp.js';

t.test('repeated texts give the same answers as the first call; bad texts fail every time; close works', async (t) => {
  const db = await Sqlite.open(join(await tempDir(t), 'k.db'));
  await db.exec('CREATE TABLE k (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  for (let i = 0; i < 5; i++) {
    const r = await db.run('INSERT INTO k (id, n) VALUES (?, ?)', [`a${i}`, i]);
    t.equal(r.changes, 1, `insert ${i} changed one row`);
    t.same(await db.all('SELECT n FROM k WHERE id = ?', [`a${i}`]), [{ n: i }], `read ${i} sees its own row, not an earlier binding`);
  }
  for (let i = 0; i < 3; i++) {
    await t.rejects(db.run('INSERT INTO k (id, n) VALUES (?, ?)', ['a0', 9]), { code: 'SQLITE_CONSTRAINT' }, `a constraint error every time (${i})`);
    await t.rejects(db.all('SELECT * FROM nowhere WHERE id = ?', ['x']), { code: 'SQLITE_ERROR' }, `an unpreparable text fails every time (${i})`);
  }
  t.same(await db.all('SELECT count(*) AS c FROM k', []), [{ c: 5 }]);
  await db.close();
});
