// Column widths for the simulator's renderers. Paper: in Chinese mode every non-ASCII
// character prints full-width (2 columns), ASCII half-width (SP91/HPRT manuals). Terminal:
// Unicode East Asian Width W/F ranges (UAX #11) are 2 columns, the rest 1.

export function paperColumns(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x20) return 0;
  return cp < 0x80 ? 1 : 2;
}

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

export function terminalColumns(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x20) return 0;
  return WIDE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
}

export function width(text: string, columnsOf: (char: string) => number): number {
  let total = 0;
  for (const char of text) total += columnsOf(char);
  return total;
}

/** Character-level wrap at `max` columns (what a printer does with a line longer than the paper). */
export function hardWrap(text: string, max: number, columnsOf: (char: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const char of text) {
    const w = columnsOf(char);
    if (used + w > max && used > 0) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += char;
    used += w;
  }
  lines.push(line);
  return lines;
}
