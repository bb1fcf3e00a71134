// The `page` self-test: the touch page answers a real request, not only "a server was started".
import type { Timers } from '../../../../drivers/clock/timers.js';

export const PAGE_CHECK_TIMEOUT_MS = 3000;

export async function pageReachable(url: string, timers: Timers): Promise<{ ok: boolean; detail: string }> {
  const abort = new AbortController();
  const timer = timers.setTimeout(() => abort.abort(), PAGE_CHECK_TIMEOUT_MS);
  try {
    const res = await fetch(new URL('api/view', url), { signal: abort.signal });
    await res.arrayBuffer();
    return res.ok ? { ok: true, detail: `${url} answers` } : { ok: false, detail: `${url} answered HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, detail: `${url} does not answer: ${abort.signal.aborted ? `no answer in ${PAGE_CHECK_TIMEOUT_MS} ms` : (err as Error).message}` };
  } finally {
    timers.clearTimeout(timer);
  }
}
