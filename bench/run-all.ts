// `npm run bench -- [names…] [--runs=N] [--json[=file]] [--check[=file]] [--write-baseline[=file]]`
//
// Runs the named benchmarks (all without names) N times each (default 1). Each run prints its
// figures as it goes (figure, a floor measured in the same run, the ratio); then, per figure,
// the summary over the runs: median figure and floor, and min/median/max of the ratio.
// --json writes those summaries (and every run's figures) as JSON (default bench-results.json).
// --check compares each figure's median ratio with bench/baseline.json and exits 1 when one
// is more than `tolerance` (20 %) worse; only ratios are compared, never absolute times, since
// the floor is measured on the same machine under the same load in the same run.
// --write-baseline stores this run's median ratios as the new baseline.
import { readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchPing } from './ping-rtt.js';
import { benchOutbox } from './outbox-rate.js';
import { benchStartup } from './startup.js';
import { benchTicketPress } from './ticket-press.js';
import { benchMatrixRender } from './matrix-render.js';
import { benchEvaluatorTap } from './evaluator-tap.js';
import { benchCallerCall } from './caller-call.js';
import { benchOledFrame } from './oled-frame.js';
import { benchLockerOpen } from './locker-open.js';
import { benchRelease } from './release-startup.js';
import { benchUpdate } from './update-downtime.js';
import { results } from './stats.js';
import { summarize, checkAgainst, type Baseline, type FigureSummary } from './summary.js';

const all: [string, () => Promise<void>][] = [
  ['ping', benchPing],
  ['outbox', benchOutbox],
  ['startup', benchStartup],
  ['ticket', benchTicketPress],
  ['matrix', benchMatrixRender],
  ['evaluator', benchEvaluatorTap],
  ['caller', benchCallerCall],
  ['oled', benchOledFrame],
  ['locker', benchLockerOpen],
  ['release', benchRelease],
  ['update', benchUpdate],
];

/** The committed baseline, next to this file's source (dist/bench/run-all.js → bench/baseline.json). */
const BASELINE = fileURLToPath(new URL('../../bench/baseline.json', import.meta.url));

function option(args: string[], name: string, fallback: string): string | undefined {
  const arg = args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (arg === undefined) return undefined;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : fallback;
}

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !all.some(([name]) => name === n));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; known: ${all.map(([n]) => n).join(', ')}\n`);
  process.exit(2);
}
const runs = Number(option(args, 'runs', '3') ?? 1);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('--runs must be a whole number of at least 1\n');
  process.exit(2);
}
const jsonFile = option(args, 'json', 'bench-results.json');
const checkFile = option(args, 'check', BASELINE);
const baselineOut = option(args, 'write-baseline', BASELINE);

const load = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const loadBefore = load();
process.stdout.write(`machine: ${loadBefore}\n`);
for (let run = 1; run <= runs; run++) {
  if (runs > 1) process.stdout.write(`-- run ${run} of ${runs}\n`);
  for (const [name, fn] of all) {
    if (names.length > 0 && !names.includes(name)) continue;
    await fn();
  }
}
const loadAfter = load();
const figures: FigureSummary[] = summarize(results());
process.stdout.write(`\nsummary over ${runs} run${runs === 1 ? '' : 's'} (ratio min / median / max):\n`);
for (const f of figures) process.stdout.write(`${f.line}\n`);
process.stdout.write(`machine: ${loadAfter}\n`);

if (jsonFile !== undefined) {
  const out = { when: new Date().toISOString(), runs, load: { before: loadBefore, after: loadAfter }, figures: figures.map(({ line: _line, ...f }) => f), raw: results() };
  await writeFile(jsonFile, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`results written to ${jsonFile}\n`);
}
if (baselineOut !== undefined) {
  const baseline: Baseline = { tolerance: 0.2, note: `median ratios of ${runs} runs; ${loadAfter}`, ratios: Object.fromEntries(figures.map((f) => [f.name, { ratio: round(f.ratio.median), unit: f.unit }])) };
  await writeFile(baselineOut, `${JSON.stringify(baseline, null, 2)}\n`);
  process.stdout.write(`baseline written to ${baselineOut}\n`);
}
if (checkFile !== undefined) {
  const baseline = JSON.parse(await readFile(checkFile, 'utf8')) as Baseline;
  const verdicts = checkAgainst(figures, baseline);
  for (const v of verdicts) process.stdout.write(`${v.ok ? 'ok  ' : 'FAIL'} ${v.message}\n`);
  if (verdicts.some((v) => !v.ok)) {
    process.stdout.write(`bench check failed: a ratio regressed more than ${Math.round(baseline.tolerance * 100)} % against ${checkFile}\n`);
    process.exitCode = 1;
  } else process.stdout.write(`bench check passed (${verdicts.length} ratios against ${checkFile})\n`);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
