// "secuirty" -> "security": the nearest allowed name within a small edit distance, so a
// misspelt key is named as what it was meant to be rather than only refused.

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push(Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      row[j] = d;
    }
  }
  return at(a.length, b.length);
}

/** The allowed name closest to `typed`, if it is close enough to be a slip of the fingers. */
export function didYouMean(typed: string, allowed: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const sameLetters = allowed.find((a) => a.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  const limit = typed.length <= 4 ? 1 : typed.length <= 8 ? 2 : 3;
  let best: { name: string; d: number } | undefined;
  for (const name of allowed) {
    const d = editDistance(lower, name.toLowerCase());
    if (d <= limit && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}
