// A staged rollout from the server side: one release to a list (or a share) of a hall's
// devices, one canary first, then waves, each device's outcome watched (committed, rolled
// back, failed, refused, or nothing within the deadline), and no further wave once the
// failures pass the threshold. The server's part of each device's health check is here too:
// when a device comes online with the new version it is pinged.
import { createHash } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { DeviceEvent, HallClient } from './hall-client.js';
import type { UpdateCommand } from './sys.js';

export type UpdateOffer = Static<typeof UpdateCommand>;

export type DeviceOutcomeKind = 'committed' | 'rolled-back' | 'failed' | 'refused' | 'timeout' | 'skipped';

export interface DeviceOutcome {
  readonly device: string;
  readonly outcome: DeviceOutcomeKind;
  /** 0 for the canary, then 1, 2, …; undefined when skipped. */
  readonly wave?: number;
  readonly reason?: string;
  readonly ms?: number;
}

export interface RolloutPlan {
  readonly devices: readonly string[];
  /** Take this share (1–100) of `devices`: always the same ones for one release (ordered by a hash of device and version). */
  readonly percent?: number;
  readonly update: UpdateOffer;
  /** Devices after the canary in the first wave; each next wave is twice the last (default 2). */
  readonly firstWave?: number;
  /** Stop once more than this many devices did not commit (default 0: the first failure stops the rollout). */
  readonly maxFailures?: number;
  /** How long one device may take from the command to its outcome (default 15 min). */
  readonly deviceTimeoutMs?: number;
  /** The signed command's lifetime (default 5 min; the device refuses longer than its maxSecureLifetimeMs). */
  readonly commandLifetimeMs?: number;
  readonly onOutcome?: (o: DeviceOutcome) => void;
}

export interface RolloutReport {
  readonly version: string;
  readonly outcomes: DeviceOutcome[];
  readonly committed: number;
  readonly failed: number;
  /** Why it stopped early, when it did. */
  readonly stopped?: string;
}

/** The devices a percentage takes: the same for a given release, spread evenly over the list. */
export function selectDevices(devices: readonly string[], percent: number | undefined, version: string): string[] {
  const unique = [...new Set(devices)];
  if (percent === undefined || percent >= 100) return unique;
  const rank = (d: string) => createHash('sha256').update(`${version}\0${d}`).digest('hex');
  const count = Math.max(1, Math.ceil((unique.length * percent) / 100));
  return unique.sort((a, b) => (rank(a) < rank(b) ? -1 : 1)).slice(0, count);
}

/** Canary alone, then waves of firstWave, 2×, 4×, … */
export function waves(devices: readonly string[], firstWave = 2): string[][] {
  const out: string[][] = [];
  if (devices.length === 0) return out;
  out.push([devices[0] as string]);
  let size = Math.max(1, firstWave);
  for (let i = 1; i < devices.length; i += size, size *= 2) out.push(devices.slice(i, i + size));
  return out;
}

const FINAL: Record<string, DeviceOutcomeKind> = { 'update.committed': 'committed', 'update.rolled-back': 'rolled-back', 'update.failed': 'failed' };

/** Updates one device and waits for how it ends. */
async function updateOne(client: HallClient, device: string, plan: RolloutPlan, wave: number): Promise<DeviceOutcome> {
  const started = Date.now();
  const version = plan.update.version;
  const timeoutMs = plan.deviceTimeoutMs ?? 15 * 60_000;
  let settle: (o: DeviceOutcome) => void = () => undefined;
  const ended = new Promise<DeviceOutcome>((resolve) => (settle = resolve));
  let pinged = -1;
  const offEvent = client.onEvent((e: DeviceEvent) => {
    if (e.device !== device) return;
    const outcome = FINAL[e.name];
    if (!outcome) return;
    const data = e.message.data as { to?: string; from?: string; version?: string; reason?: string };
    const about = e.name === 'update.failed' ? data.version : e.name === 'update.rolled-back' ? data.from : data.to;
    if (about !== version) return;
    settle({ device, outcome, wave, ms: Date.now() - started, ...(data.reason !== undefined ? { reason: data.reason } : {}) });
  });
  const offStatus = client.onStatus((s) => {
    if (s.device !== device || !s.status.online || s.status.fw !== version || s.status.boot === pinged) return;
    pinged = s.status.boot;
    // The server's answer to the new birth: one of the three signs the device waits for.
    void client.command(device, 'sys/ping', { rollout: version }, { timeoutMs: 10_000 }).catch(() => undefined);
  });
  const timer = setTimeout(() => settle({ device, outcome: 'timeout', wave, ms: Date.now() - started, reason: `no outcome within ${timeoutMs} ms` }), timeoutMs);
  try {
    const lifetime = plan.commandLifetimeMs ?? 5 * 60_000;
    const ack = await client.command(device, 'sys/update', plan.update, { timeoutMs: Math.min(60_000, lifetime), expiresInMs: lifetime, sign: true }).catch((err: unknown) => err as Error);
    if (ack instanceof Error) return { device, outcome: 'timeout', wave, ms: Date.now() - started, reason: ack.message };
    if (!ack.ok) return { device, outcome: 'refused', wave, ms: Date.now() - started, reason: `${ack.error.code}: ${ack.error.message}` };
    return await ended;
  } finally {
    clearTimeout(timer);
    offEvent();
    offStatus();
  }
}

export async function rollOut(client: HallClient, plan: RolloutPlan): Promise<RolloutReport> {
  const chosen = selectDevices(plan.devices, plan.percent, plan.update.version);
  const plannedWaves = waves(chosen, plan.firstWave);
  const maxFailures = plan.maxFailures ?? 0;
  const outcomes: DeviceOutcome[] = [];
  let failed = 0;
  let stopped: string | undefined;
  for (const [i, wave] of plannedWaves.entries()) {
    if (stopped !== undefined) {
      for (const device of wave) outcomes.push({ device, outcome: 'skipped', reason: stopped });
      continue;
    }
    const results = await Promise.all(wave.map((device) => updateOne(client, device, plan, i)));
    for (const r of results) {
      outcomes.push(r);
      plan.onOutcome?.(r);
      if (r.outcome !== 'committed') failed += 1;
    }
    if (i === 0 && failed > 0) stopped = `the canary ${wave[0] ?? ''} did not commit (${results[0]?.outcome ?? '?'})`;
    else if (failed > maxFailures) stopped = `${failed} device${failed === 1 ? '' : 's'} did not commit, more than the ${maxFailures} allowed`;
  }
  for (const o of outcomes) if (o.outcome === 'skipped') plan.onOutcome?.(o);
  return { version: plan.update.version, outcomes, committed: outcomes.filter((o) => o.outcome === 'committed').length, failed, ...(stopped !== undefined ? { stopped } : {}) };
}
