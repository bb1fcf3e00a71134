// Whether a deposit's scrypt parameters can be used on this board: judged by running scrypt once
// with them when the deposit arrives, because only node:crypto (OpenSSL) knows exactly what it
// accepts (it also needs N < 2^(16·r), which a {N: 65536, r: 1} deposit broke at every later
// pickup), and only this board knows how long a check takes. Every code typed at the cabinet is
// checked against every deposit, so one slow deposit slows every pickup.
import type { ScryptParams } from '../../../protocol/locker.js';
import { scryptCheckMs } from '../../../protocol/locker-code.js';

/** Largest memory an scrypt check may take on the board (N * r * 128 bytes). */
export const MAX_SCRYPT_BYTES = 64 * 1024 * 1024;

/** One probe at a time: two at once would measure each other (and add up their memory). */
let probes: Promise<unknown> = Promise.resolve();

function probe(params: ScryptParams): Promise<number> {
  const run = probes.then(() => scryptCheckMs(params));
  probes = run.catch(() => undefined);
  return run;
}

/**
 * The time of one check; when that is over the budget, the fastest of three, so a moment the
 * board was busy with something else is not taken for the parameters' own cost.
 */
async function fastest(params: ScryptParams, over: (ms: number) => boolean): Promise<number> {
  let best = await probe(params);
  for (let again = 0; again < 2 && over(best); again++) best = Math.min(best, await probe(params));
  return best;
}

const ms = (n: number) => Math.round(n).toLocaleString('en');

/** Why a deposit with these parameters is refused here, or undefined when it can be checked within `budgetMs`. */
export async function scryptProblem(params: ScryptParams, budgetMs: number): Promise<string | undefined> {
  const { N, r, p } = params;
  const name = `scrypt N=${N} r=${r} p=${p}`;
  if ((N & (N - 1)) !== 0) return `scrypt N must be a power of two, not ${N}`;
  if (128 * N * r > MAX_SCRYPT_BYTES) return `scrypt N * r * 128 = ${128 * N * r} bytes is over the board's ${MAX_SCRYPT_BYTES}`;
  const over = (took: number, note = '') => `one check of ${name} takes ${ms(took)} ms on this board, over roles.locker.scryptBudgetMs (${budgetMs} ms)${note}; use cheaper parameters (the reference server uses N=16384 r=8 p=1)`;
  try {
    // One lane first: p lanes cost p times one, so parameters far over the budget are refused after one lane's time, not all of theirs.
    const lane = await fastest({ ...params, p: 1 }, (took) => took * p > budgetMs);
    if (lane * p > budgetMs) return over(lane * p, p > 1 ? ` (one of its ${p} lanes took ${ms(lane)} ms)` : '');
    if (p === 1) return undefined;
    const whole = await fastest(params, (took) => took > budgetMs);
    return whole > budgetMs ? over(whole) : undefined;
  } catch (err) {
    return `scrypt parameters N=${N} r=${r} p=${p} cannot be checked on this board: ${(err as Error).message} (node:crypto needs N < 2^(16·r) and memory within ${MAX_SCRYPT_BYTES} bytes)`;
  }
}
