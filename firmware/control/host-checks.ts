// The checks `halld diag` adds to the runtime's self-tests: what a technician asks first of a
// box (can it reach the broker, is its clock right, is its card full or broken, is it too hot).
// A check that cannot run here (no thermal zone, no vcgencmd) is skipped with the reason,
// never passed.
import { execFile } from 'node:child_process';
import { readFile, statfs } from 'node:fs/promises';
import type { Runtime } from '../runtime.js';
import { spanText } from './span-text.js';

export type DiagStatus = 'pass' | 'fail' | 'skipped';

export interface DiagRow {
  name: string;
  status: DiagStatus;
  detail: string;
  data?: Record<string, unknown>;
}

export interface HostCheckOptions {
  /** Root of /sys (tests point it at a folder of their own). */
  sysRoot?: string;
  /** Runs `vcgencmd get_throttled`; resolves undefined when the tool is not installed. */
  vcgencmd?: () => Promise<string | undefined>;
  /** Free space below which the data dir fails (default 50 MiB). */
  minFreeBytes?: number;
  /** CPU temperature at or above which the check fails (default 80 °C, where a Pi throttles). */
  maxCpuTempC?: number;
  /** Outbox backlog at or above this share of the bound fails (default 0.8). */
  outboxFailShare?: number;
}

const MiB = 1024 * 1024;

function defaultVcgencmd(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('vcgencmd', ['get_throttled'], { timeout: 5000 }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

async function broker(rt: Runtime): Promise<DiagRow> {
  if (!rt.link.connected) {
    const last = rt.link.lastConnectionError;
    const why = last ? `${last.message} (${spanText(rt.clock.bestGuess() - last.at)} ago)` : 'no answer yet (still connecting)';
    return { name: 'broker', status: 'fail', detail: `not connected to ${rt.config.broker.url}: ${why}`, ...(last ? { data: { lastError: { ...last } } } : {}) };
  }
  const start = rt.hal.clock.monotonicMs();
  try {
    await rt.link.confirmBirth();
    const ms = Math.round(rt.hal.clock.monotonicMs() - start);
    return { name: 'broker', status: 'pass', detail: `${rt.config.broker.url} round trip ${ms} ms`, data: { roundTripMs: ms } };
  } catch (err) {
    return { name: 'broker', status: 'fail', detail: `${rt.config.broker.url}: ${(err as Error).message}` };
  }
}

/** "48 h behind the server's time beacon" / "5 min ahead of ...". */
function driftText(driftMs: number): string {
  return driftMs >= 0 ? `${spanText(driftMs)} behind the server's time beacon` : `${spanText(-driftMs)} ahead of the server's time beacon`;
}

/**
 * Is the time the device judges commands by right? With clock.source system the OS clock is
 * trusted and a beacon only measures it: off by more than a signed command's allowed skew
 * (security.maxClockSkewMs, 60 s by default) is a failure, as signed commands are then
 * refused and expiries misjudged.
 */
function clock(rt: Runtime): DiagRow {
  const c = rt.clock.describe();
  const drift = rt.clock.systemDriftMs();
  const limit = rt.config.security.maxClockSkewMs;
  const data = { ...c, ...(drift !== undefined ? { systemDriftMs: drift } : {}), maxDriftMs: limit };
  if (!c.trusted) return { name: 'clock', status: 'fail', detail: 'not synced: no time beacon from the server yet (tickets and events carry a guessed time)', data };
  if (c.source === 'beacon') {
    const os = drift !== undefined && Math.abs(drift) > limit ? `; the system clock is ${spanText(Math.abs(drift))} off, but the beacon's time is the one used` : '';
    return { name: 'clock', status: 'pass', detail: `synced by the server's beacon (${c.beacons} received, last ${spanText(c.beaconAgeMs)} ago; clock.source beacon)${os}`, data };
  }
  if (drift === undefined) return { name: 'clock', status: 'pass', detail: 'system clock trusted (clock.source system); no time beacon yet to compare it with', data };
  if (Math.abs(drift) <= limit) return { name: 'clock', status: 'pass', detail: `system clock trusted (clock.source system); ${driftText(drift)} (within ${spanText(limit)})`, data };
  return {
    name: 'clock',
    status: 'fail',
    detail: `system clock ${driftText(drift)} (over the ${spanText(limit)} allowed, security.maxClockSkewMs); the device trusts its system clock (clock.source system), so signed commands are refused and expiries misjudged: fix NTP or the RTC, or set clock.source beacon`,
    data,
  };
}

async function disk(rt: Runtime, minFree: number): Promise<DiagRow> {
  try {
    const s = await statfs(rt.config.dataDir);
    const free = s.bavail * s.bsize;
    const total = s.blocks * s.bsize;
    const detail = `${rt.config.dataDir}: ${(free / MiB).toFixed(0)} MiB free of ${(total / MiB).toFixed(0)} MiB`;
    return { name: 'disk', status: free >= minFree ? 'pass' : 'fail', detail: free >= minFree ? detail : `${detail} (below ${(minFree / MiB).toFixed(0)} MiB)`, data: { freeBytes: free, totalBytes: total } };
  } catch (err) {
    return { name: 'disk', status: 'fail', detail: `${rt.config.dataDir}: ${(err as Error).message}` };
  }
}

/** The full check (the runtime's `store` self-test runs the quick one and a write probe). */
async function sqliteIntegrity(rt: Runtime): Promise<DiagRow> {
  try {
    const rows = await rt.store.all<{ integrity_check: string }>('PRAGMA integrity_check');
    const lines = rows.map((r) => r.integrity_check);
    const ok = lines.length === 1 && lines[0] === 'ok';
    return { name: 'sqlite-integrity', status: ok ? 'pass' : 'fail', detail: ok ? 'integrity_check ok' : lines.slice(0, 3).join('; ') };
  } catch (err) {
    return { name: 'sqlite-integrity', status: 'fail', detail: (err as Error).message };
  }
}

async function cpuTemperature(sysRoot: string, maxC: number): Promise<DiagRow> {
  const file = `${sysRoot}/class/thermal/thermal_zone0/temp`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { name: 'cpu-temperature', status: 'skipped', detail: `no thermal sensor (${file} not readable)` };
  }
  const c = Number.parseInt(text.trim(), 10) / 1000;
  if (!Number.isFinite(c)) return { name: 'cpu-temperature', status: 'skipped', detail: `${file}: unreadable value "${text.trim()}"` };
  return { name: 'cpu-temperature', status: c < maxC ? 'pass' : 'fail', detail: `${c.toFixed(1)} °C${c < maxC ? '' : ` (at or above ${maxC} °C)`}`, data: { celsius: c } };
}

/** Bits of `vcgencmd get_throttled` (Raspberry Pi firmware). */
const THROTTLE_BITS: [number, string][] = [
  [0, 'under-voltage now'],
  [1, 'ARM frequency capped now'],
  [2, 'throttled now'],
  [3, 'soft temperature limit now'],
  [16, 'under-voltage has occurred'],
  [17, 'frequency capping has occurred'],
  [18, 'throttling has occurred'],
  [19, 'soft temperature limit has occurred'],
];

async function throttling(run: () => Promise<string | undefined>): Promise<DiagRow> {
  const out = await run();
  if (out === undefined) return { name: 'cpu-throttling', status: 'skipped', detail: 'vcgencmd not available (not a Raspberry Pi, or not in the video group)' };
  const m = /throttled=(0x[0-9a-f]+)/i.exec(out);
  if (!m?.[1]) return { name: 'cpu-throttling', status: 'skipped', detail: `vcgencmd answered "${out.trim()}"` };
  const value = Number.parseInt(m[1], 16);
  const flags = THROTTLE_BITS.filter(([bit]) => (value & (1 << bit)) !== 0).map(([, text]) => text);
  const now = (value & 0xf) !== 0;
  return { name: 'cpu-throttling', status: now ? 'fail' : 'pass', detail: flags.length === 0 ? 'never throttled' : `${m[1]}: ${flags.join(', ')}`, data: { throttled: m[1] } };
}

function outbox(rt: Runtime, failShare: number): DiagRow {
  const o = rt.store.outboxStats();
  const share = o.bound > 0 ? o.pending / o.bound : 0;
  const detail = `${o.pending} events not yet acknowledged by the server (bound ${o.bound}, ${o.dropped} dropped)`;
  return { name: 'outbox', status: share < failShare && o.dropped === 0 ? 'pass' : 'fail', detail, data: { ...o } };
}

export async function hostChecks(rt: Runtime, o: HostCheckOptions = {}): Promise<DiagRow[]> {
  return [
    await broker(rt),
    clock(rt),
    await disk(rt, o.minFreeBytes ?? 50 * MiB),
    await sqliteIntegrity(rt),
    await cpuTemperature(o.sysRoot ?? '/sys', o.maxCpuTempC ?? 80),
    await throttling(o.vcgencmd ?? defaultVcgencmd),
    outbox(rt, o.outboxFailShare ?? 0.8),
  ];
}
