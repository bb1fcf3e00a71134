// Ids keep their form and stay unique when many are made at once (random bytes come from a pool).
import t from 'tap';
import { newId } from '../../protocol/ids.js';

t.test('100,000 ids made in one burst are distinct, sortable by time and of the documented form', async (t) => {
  const ids = Array.from({ length: 100_000 }, () => newId('c'));
  t.equal(new Set(ids).size, ids.length, 'no repeats');
  t.ok(ids.every((id) => /^c[0-9a-z]+-[0-9a-z]+-[0-9a-f]{10}$/.test(id)), 'c<ms36>-<counter36>-<10 hex>');
  const randoms = new Set(ids.map((id) => id.slice(-10)));
  t.ok(randoms.size > 99_990, `${randoms.size} distinct random parts`);
});
