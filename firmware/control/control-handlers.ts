// What the control socket answers, from the running runtime. The server outlives an
// in-process restart (`sys/restart`), so it asks for the current runtime on each request.
import type { Runtime } from '../runtime.js';
import { ControlError, type ControlRequest } from './control-protocol.js';
import type { ControlHandler } from './control-server.js';
import { hostChecks, type DiagRow, type HostCheckOptions } from './host-checks.js';

async function oldestUnackedAgeMs(rt: Runtime): Promise<number | null> {
  const row = await rt.store.get<{ ts: number }>('SELECT ts FROM outbox ORDER BY seq LIMIT 1');
  return row ? Math.max(0, rt.clock.bestGuess() - row.ts) : null;
}

export async function statusOf(rt: Runtime): Promise<Record<string, unknown>> {
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
    broker: { url: rt.config.broker.url, connected: stats['connected'], conn: stats['conn'] },
    clock: stats['clock'],
    outbox: { ...rt.store.outboxStats(), oldestUnackedAgeMs: await oldestUnackedAgeMs(rt) },
    storage: rt.store.health(),
    roles: (d['roles'] as string[]).map((role) => ({ role, state: states.get(role as never)?.data ?? null })),
    hardware: rt.hardware ?? null,
  };
}

export async function diagOf(rt: Runtime, include: readonly string[], host: HostCheckOptions): Promise<{ ok: boolean; rows: DiagRow[] }> {
  const unknown = include.filter((name) => !rt.manualTests().includes(name));
  if (unknown.length > 0) throw new ControlError('NOT_FOUND', `no interactive test ${unknown.join(', ')} on this device (it has: ${rt.manualTests().join(', ') || 'none'})`);
  const report = await rt.diagnose(include);
  const rows: DiagRow[] = report.results.map((r) => ({ name: r.name, status: r.ok ? 'pass' : 'fail', detail: r.detail ?? '', ...(r.data ? { data: r.data } : {}) }));
  rows.push(...(await hostChecks(rt, host)));
  return { ok: rows.every((r) => r.status !== 'fail'), rows };
}

export function controlHandler(current: () => Runtime | undefined, host: HostCheckOptions = {}): ControlHandler {
  return async (request: ControlRequest) => {
    const rt = current();
    if (!rt) throw new ControlError('NOT_READY', 'halld is starting or restarting; try again in a few seconds');
    switch (request.op) {
      case 'status':
        return statusOf(rt);
      case 'diag':
        return diagOf(rt, request.include ?? [], host);
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
