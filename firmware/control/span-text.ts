// A span of time as a technician reads it at a glance ("850 ms", "41 s", "12 min", "48 h"):
// shared by the diag rows and the status text.
export function spanText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

/** Epoch ms as UTC to the second ("2026-05-01T10:03:04Z"): the device's own time, as logged. */
export function utcText(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
