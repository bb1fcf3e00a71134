// Medians and percentiles for the benchmarks, and the one-line report format:
// figure, floor measured in the same run, ratio.
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

export function report(name: string, figure: number, unit: string, floorName: string, floor: number, extra = ''): void {
  const ratio = figure / floor;
  process.stdout.write(
    `${name.padEnd(34)} ${fmt(figure)} ${unit}   floor (${floorName}) ${fmt(floor)} ${unit}   ratio ${ratio.toFixed(2)}x${extra ? `   ${extra}` : ''}\n`,
  );
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3);
}
