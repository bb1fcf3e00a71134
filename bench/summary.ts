// Figures over several runs of a bench, and the regression check against the committed
// baseline. Ratios only: a figure over a floor measured in the same run on the same machine
// travels between machines and loads far better than an absolute time does.
import { fmt, spread, type BenchResult, type Spread } from './stats.js';

export interface FigureSummary {
  name: string;
  unit: string;
  floorName: string;
  runs: number;
  figure: Spread;
  floor: Spread;
  ratio: Spread;
  /** A rate (unit ending in `/s`): a higher ratio is better, so a regression is a drop. */
  higherIsBetter: boolean;
  line: string;
}

export interface Baseline {
  /** How much worse than the baseline a median ratio may get before the check fails (0.2: 20 %). */
  tolerance: number;
  note?: string;
  ratios: Record<string, { ratio: number; unit: string }>;
}

export interface Verdict {
  name: string;
  ok: boolean;
  message: string;
}

export function summarize(results: readonly BenchResult[]): FigureSummary[] {
  const byName = new Map<string, BenchResult[]>();
  for (const r of results) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  return [...byName.values()].map((rs) => {
    const first = rs[0] as BenchResult;
    const figure = spread(rs.map((r) => r.figure));
    const floor = spread(rs.map((r) => r.floor));
    const ratio = spread(rs.map((r) => r.ratio));
    const line =
      `${first.name.padEnd(34)} ${fmt(figure.median)} ${first.unit} (${fmt(figure.min)}–${fmt(figure.max)})   ` +
      `floor (${first.floorName}) ${fmt(floor.median)} ${first.unit}   ` +
      `ratio ${ratio.min.toFixed(2)} / ${ratio.median.toFixed(2)} / ${ratio.max.toFixed(2)}x   runs ${rs.length}`;
    return { name: first.name, unit: first.unit, floorName: first.floorName, runs: rs.length, figure, floor, ratio, higherIsBetter: first.unit.endsWith('/s'), line };
  });
}

/** One verdict per measured figure that has a baseline; a figure without one is reported, not failed. */
export function checkAgainst(figures: FigureSummary[], baseline: Baseline): Verdict[] {
  return figures.map((f) => {
    const base = baseline.ratios[f.name];
    if (!base) return { name: f.name, ok: true, message: `${f.name}: no baseline ratio (median ${f.ratio.median.toFixed(2)}x), not checked` };
    const got = f.ratio.median;
    const limit = f.higherIsBetter ? base.ratio / (1 + baseline.tolerance) : base.ratio * (1 + baseline.tolerance);
    const ok = f.higherIsBetter ? got >= limit : got <= limit;
    return {
      name: f.name,
      ok,
      message: `${f.name}: median ratio ${got.toFixed(2)}x over ${f.runs} runs, baseline ${base.ratio.toFixed(2)}x, ${f.higherIsBetter ? 'at least' : 'at most'} ${limit.toFixed(2)}x allowed`,
    };
  });
}
