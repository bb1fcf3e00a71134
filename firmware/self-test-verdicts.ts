// One verdict per part: a role's self-test that judges a part for what the role needs of it
// (the kiosk's printer must be ready to print, not only answer) replaces the part's own row,
// so a technician never reads "printer:main pass" beside "ticket-printer/printer FAIL" for
// one roll of paper. A part no role judges keeps its own row.
import type { SelfTestResult } from '../drivers/hal/types.js';

export function oneVerdictPerPart(results: readonly SelfTestResult[]): SelfTestResult[] {
  const covered = new Set(results.flatMap((r) => r.covers ?? []));
  return results.filter((r) => r.covers !== undefined || !covered.has(r.name));
}

export interface PartFaults {
  ok: boolean;
  faults: { part: string; detail: string }[];
  checkedAt: number;
}

/** The failed results, one line each, for `halld status` (the store has its own line there). */
export function partFaults(results: readonly SelfTestResult[], checkedAt: number): PartFaults {
  const faults = oneVerdictPerPart(results)
    .filter((r) => !r.ok && !r.skipped && r.name !== 'store')
    .map((r) => ({ part: r.name, detail: r.detail ?? 'not ok' }));
  return { ok: faults.length === 0, faults, checkedAt };
}
