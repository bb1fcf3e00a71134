// Medians and percentiles for the benchmarks, and the one-line report format: figure, floor
// measured in the same run, ratio. Every report is also kept (results()), so run-all.ts can
// repeat a bench, print each figure's spread over the runs, write JSON and check the ratios.
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summary(samples: number[]): { p50: number; p99: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), n: s.length };
}

export function median(values: number[]): number {
  return summary(values).p50;
}

/** min / median / max of a list. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  // The true median: the mean of the middle two for an even count.
  const middle = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { min: s[0] ?? NaN, median: s.length === 0 ? NaN : middle, max: s[s.length - 1] ?? NaN };
}

/** One figure from one run of a bench. */
export interface BenchResult {
  name: string;
  figure: number;
  unit: string;
  floorName: string;
  floor: number;
  /** figure / floor; for a rate (higher is better) the floor is the slower side, see report(). */
  ratio: number;
  extra: string;
}

const kept: BenchResult[] = [];

/** Every figure reported so far in this process, in order. */
export function results(): readonly BenchResult[] {
  return kept;
}

export function report(name: string, figure: number, unit: string, floorName: string, floor: number, extra = ''): void {
  const ratio = figure / floor;
  kept.push({ name, figure, unit, floorName, floor, ratio, extra });
  process.stdout.write(
    `${name.padEnd(34)} ${fmt(figure)} ${unit}   floor (${floorName}) ${fmt(floor)} ${unit}   ratio ${ratio.toFixed(2)}x${extra ? `   ${extra}` : ''}\n`,
  );
}

export function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3);
}
