// scryptProblem on its own: what node:crypto refuses is found by running it, the budget is
// compared with the measured time, and p lanes are judged by one lane first.
import t from 'tap';
import { scryptProblem } from '../../../firmware/roles/locker/scrypt-check.js';

t.test('parameters node:crypto refuses are named with its reason', async (t) => {
  t.match(await scryptProblem({ N: 65_536, r: 1, p: 1, keylen: 32 }, 250), /^scrypt parameters N=65536 r=1 p=1 cannot be checked on this board: .*N < 2\^\(16·r\)/);
  t.match(await scryptProblem({ N: 1000, r: 8, p: 1, keylen: 32 }, 250), /power of two, not 1000/);
  t.match(await scryptProblem({ N: 1_048_576, r: 8, p: 1, keylen: 32 }, 250), /over the board's 67108864/);
});

t.test('within the budget: undefined; far over it: refused with the time, after one lane of many', async (t) => {
  t.equal(await scryptProblem({ N: 1024, r: 1, p: 1, keylen: 16 }, 10_000), undefined, 'a cheap check under a generous budget');
  const started = performance.now();
  const refused = await scryptProblem({ N: 16_384, r: 8, p: 16, keylen: 32 }, 10);
  const took = performance.now() - started;
  t.match(refused, /^one check of scrypt N=16384 r=8 p=16 takes [\d,]+ ms on this board, over roles\.locker\.scryptBudgetMs \(10 ms\) \(one of its 16 lanes took [\d,]+ ms\)/);
  t.comment(`refused after ${took.toFixed(0)} ms (one lane measured up to three times, not all 16)`);
});
