// What the control socket answers, from the running runtime. The server outlives an
// in-process restart (`sys/restart`), so it asks for the current runtime on each request.
import type { Timers } from '../../drivers/clock/timers.js';
import type { SelfTestResult } from '../../drivers/hal/types.js';
import type { Runtime } from '../runtime.js';
import { ControlError, DEFAULT_TEST_TIMEOUT_MS, type ControlRequest } from './control-protocol.js';
import type { ControlHandler, ControlSession } from './control-server.js';
import { InteractiveDiag, selectManualTests } from './interactive-diag.js';
import { hostChecks, type DiagRow, type HostCheckOptions } from './host-checks.js';

async function oldestUnackedAgeMs(rt: Runtime): Promise<number | null> {
  const row = await rt.store.get<{ ts: number }>('SELECT ts FROM outbox ORDER BY seq LIMIT 1');
  return row ? Math.max(0, rt.clock.bestGuess() - row.ts) : null;
}

export async function statusOf(rt: Runtime): Promise<Record<string, unknown>> {
  // Found now, by every part's and role's self-test; the store's write probe runs with them, so `storage` below is current too.
  const hardware = await rt.currentFaults();
  const d = rt.describe();
  const stats = rt.link.stats();
  const states = rt.link.roleStates();
  return {
    hall: d['hall'],
    device: d['device'],
    board: d['board'],
    fw: d['fw'],
    boot: d['boot'],
    uptimeMs: d['uptimeMs'],
    configRev: d['configRev'],
    /** The device's time when it answered (the times below are on the same clock). */
    now: rt.clock.bestGuess(),
    broker: { url: rt.config.broker.url, connected: stats['connected'], conn: stats['conn'], lastError: rt.link.lastConnectionError ?? null },
    clock: stats['clock'],
    outbox: { ...rt.store.outboxStats(), oldestUnackedAgeMs: await oldestUnackedAgeMs(rt) },
    storage: rt.store.health(),
    roles: (d['roles'] as string[]).map((role) => ({ role, state: states.get(role as never)?.data ?? null })),
    hardware,
  };
}

function rowOf(r: SelfTestResult): DiagRow {
  return { name: r.name, status: r.skipped ? 'skipped' : r.ok ? 'pass' : 'fail', detail: r.detail ?? '', ...(r.data ? { data: r.data } : {}) };
}

/** The self-tests (plus the manual ones in `include`, run unattended) and the host checks. */
export async function diagOf(rt: Runtime, include: readonly string[], host: HostCheckOptions, manualFirst: readonly SelfTestResult[] = []): Promise<{ ok: boolean; rows: DiagRow[] }> {
  selectManualTests(rt, include);
  const report = await rt.diagnose(include);
  const rows: DiagRow[] = [...manualFirst, ...report.results].map(rowOf);
  rows.push(...(await hostChecks(rt, host)));
  return { ok: rows.every((r) => r.status !== 'fail'), rows };
}

export interface ControlHandlerOptions {
  host?: HostCheckOptions;
  /** For the manual tests' deadlines. */
  timers: Timers;
}

export function controlHandler(current: () => Runtime | undefined, o: ControlHandlerOptions): ControlHandler {
  const host = o.host ?? {};
  const interactive = new InteractiveDiag();
  return async (request: ControlRequest, session: ControlSession) => {
    const rt = current();
    if (!rt) throw new ControlError('NOT_READY', 'halld is starting or restarting; try again in a few seconds');
    switch (request.op) {
      case 'status':
        return statusOf(rt);
      case 'diag': {
        if (!request.interactive) return diagOf(rt, request.include ?? [], host);
        // The technician's tests first, while they stand at the box; then the unattended ones.
        const manual = await interactive.run(rt, session, { include: request.include ?? [], testTimeoutMs: request.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS, timers: o.timers });
        return diagOf(rt, [], host, manual);
      }
      case 'identify':
        return rt.identify(request.ms ?? 5000);
      case 'action': {
        const result = await rt.runManualTest(request.role, request.name);
        if (!result) throw new ControlError('NOT_FOUND', `this device has no action ${request.role}/${request.name} (it has: ${rt.manualTests().join(', ') || 'none'})`);
        return { ...result };
      }
    }
  };
}
