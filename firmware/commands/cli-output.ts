// Shared by the technician commands: how they print and how they end. A command returns an
// exit status instead of exiting, so only cli.ts exits the process.
import type { DiagRow } from '../control/host-checks.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** A plain-text table: columns padded to the widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function diagTable(rows: readonly DiagRow[]): string {
  return table(
    ['CHECK', 'RESULT', 'DETAIL'],
    rows.map((r) => [r.name, r.status === 'pass' ? 'pass' : r.status === 'fail' ? 'FAIL' : 'skipped', r.detail]),
  );
}

/** How long ago / how long: the same wording as the diag rows. */
export { spanText as age } from '../control/span-text.js';
