// The commit queue's one-trip transaction writes parameters into the statement's text. What
// SQLite stores from that text must be what it stores from the same values bound: same type
// (typeof) and same value, in columns of every affinity; and whatever cannot be written exactly
// must be left to binding (undefined), never approximated.
import t from 'tap';
import { join } from 'node:path';
import { Sqlite, type SqlValue } from '../../../firmware/store/sqlite.js';
import { inlineParams, sqlLiteral } from '../../../firmware/store/sql-literal.js';
import { tempDir } from '../../../testkit/temp.js';

const VALUES: SqlValue[] = [
  'plain',
  "it's ''quoted'' ; -- not a comment /* nor this */ ? :x $y @z",
  '中文 评价 🙂',
  'a\0b',
  'lone \uD800 surrogate',
  '',
  null,
  0,
  -0,
  1,
  -1,
  2147483647,
  -2147483648,
  2147483648,
  1733600000123,
  -9007199254740991,
  Buffer.from([0, 1, 0xfe, 0xff]),
  Buffer.alloc(0),
];

t.test('a value written in stores the same type and value as the value bound, in every affinity', async (t) => {
  const db = await Sqlite.open(join(await tempDir(t), 'l.db'));
  t.teardown(() => db.close());
  await db.exec('CREATE TABLE v (k TEXT PRIMARY KEY, i INTEGER, r REAL, x TEXT, n NUMERIC, b BLOB, none)');
  const insert = 'INSERT INTO v (k, i, r, x, n, b, none) VALUES (?, ?, ?, ?, ?, ?, ?)';
  for (const [index, value] of VALUES.entries()) {
    const params = [value, value, value, value, value, value];
    await db.run(insert, [`bound${index}`, ...params]);
    const inlined = inlineParams(insert, [`inline${index}`, ...params]);
    if (inlined === undefined) {
      t.fail(`value ${index} has an exact literal`);
      continue;
    }
    await db.exec(inlined);
    const read = (k: string) => db.all('SELECT typeof(i) ti, i, typeof(r) tr, r, typeof(x) tx, x, typeof(n) tn, n, typeof(b) tb, b, typeof(none) tnone, none FROM v WHERE k = ?', [k]);
    t.same(await read(`inline${index}`), await read(`bound${index}`), `value ${index} (${JSON.stringify(value)}) stored alike`);
  }
});

t.test('what has no exact literal is left to binding', async (t) => {
  t.equal(sqlLiteral(0.1), undefined, 'a fraction');
  t.equal(sqlLiteral(2 ** 53), undefined, 'an integer beyond 2^53');
  t.equal(sqlLiteral(Number.NaN), undefined);
  t.equal(sqlLiteral(Number.POSITIVE_INFINITY), undefined);
  t.equal(sqlLiteral(10n), undefined, 'a bigint');
  t.equal(inlineParams('SELECT ?', []), undefined, 'fewer parameters than placeholders');
  t.equal(inlineParams('SELECT ?', [1, 2]), undefined, 'more parameters than placeholders');
  t.equal(inlineParams('SELECT ?1', [1]), undefined, 'a numbered parameter');
  t.equal(inlineParams('SELECT :a', []), undefined, 'a named parameter');
  t.equal(inlineParams('SELECT 1; SELECT 2', []), undefined, 'two statements');
  t.equal(inlineParams("SELECT 'open", []), undefined, 'an unterminated literal');
});

t.test('placeholders inside literals, identifiers and comments are text, not parameters', async (t) => {
  t.equal(
    inlineParams(`SELECT '?', "a?", [b?], \`c?\`, ? -- ?\n, ? /* ? */`, [1, 'x']),
    `SELECT '?', "a?", [b?], \`c?\`, 1 -- ?\n, 'x' /* ? */`,
  );
  t.equal(inlineParams("UPDATE t SET s = 'it''s' WHERE k = ?", ['k']), "UPDATE t SET s = 'it''s' WHERE k = 'k'");
});
