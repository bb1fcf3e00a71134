// Self-test results for the parts that answer in their own terms: a lock board is reachable when
// it answers a status-all query (which has no effect on the board), a matrix by its health.
import type { LedMatrix, LockBoard, SelfTestResult } from '../drivers/hal/types.js';
import type { GpioLockBoardSpec, LockBoardSpec, MatrixSpec } from '../drivers/hal/part-specs.js';

export async function lockBoardResult(name: string, spec: LockBoardSpec | GpioLockBoardSpec | undefined, open: () => Promise<LockBoard>): Promise<SelfTestResult> {
  const data: Record<string, unknown> = !spec
    ? {}
    : 'serial' in spec
      ? { serial: spec.serial, protocol: spec.protocol, address: spec.address, locks: spec.locks }
      : { protocol: 'gpio', locks: spec.locks.length, relays: spec.locks.map((l) => l.relay), sensors: spec.locks.map((l) => l.sensor) };
  const label = `lock-board:${name}`;
  try {
    const all = await (await open()).statusAll();
    if (!all.ok) return { name: label, ok: false, detail: `${all.code}: ${all.message}`, data };
    const openDoors = all.value.filter((s) => s.open).map((s) => s.lock);
    return { name: label, ok: true, detail: openDoors.length > 0 ? `answers; doors open: ${openDoors.join(', ')}` : 'answers; all doors closed', data: { ...data, open: openDoors } };
  } catch (err) {
    return { name: label, ok: false, detail: (err as Error).message, data };
  }
}

export async function matrixResult(spec: MatrixSpec, open: () => Promise<LedMatrix>): Promise<SelfTestResult> {
  const label = `matrix:${spec.name}`;
  const data: Record<string, unknown> = { width: spec.width, height: spec.height };
  try {
    const health = (await open()).health();
    const facts = { ...data, state: health.state, restarts: health.restarts, shown: health.shown, dropped: health.dropped };
    // A panel process still starting (first start, GPIO init as root) is not a fault yet.
    const ok = health.state === 'ok' || (health.state === 'starting' && health.restarts === 0);
    const detail = health.lastFault && !ok ? `${health.state}: ${health.lastFault.code}: ${health.lastFault.message}` : health.state;
    return { name: label, ok, detail, data: facts };
  } catch (err) {
    return { name: label, ok: false, detail: (err as Error).message, data };
  }
}
