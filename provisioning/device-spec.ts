// One device to provision: what an installer types (or a CSV row holds), checked before
// anything is written, and the device config built from it. The config is validated by the
// loader `halld config check` uses, which the caller injects (provisioning/ does not import
// firmware/): a config provisioning writes is one the device will start with.
import { ProvisionError } from './mosquitto-passwd.js';

const NAME = /^[a-z0-9-]{1,32}$/;

export interface DeviceSpec {
  hall: string;
  device: string;
  /** Role names besides sys (which every device has). */
  roles: string[];
  board: string;
  brokerUrl: string;
  /** Merged into the config last: role sections, io, a window or door map. */
  extra?: Record<string, unknown>;
}

/** Problems with the fields themselves, one message each (empty when fine). */
export function specProblems(spec: DeviceSpec): string[] {
  const out: string[] = [];
  const name = (field: string, v: string) => {
    if (!NAME.test(v)) out.push(`${field}: expected 1-32 characters of a-z 0-9 -, found "${v}"`);
  };
  name('hall', spec.hall);
  name('device', spec.device);
  if (spec.device === 'all') out.push('device: "all" is the hall-wide command topic, not a device id');
  if (spec.device.startsWith('hall-server-')) out.push(`device: "${spec.device}" would collide with the hall server's broker account`);
  name('board', spec.board);
  for (const r of spec.roles) name('role', r);
  if (!/^(mqtt|mqtts|ws|wss):\/\//.test(spec.brokerUrl)) out.push(`broker: expected a URL starting mqtt://, mqtts://, ws:// or wss://, found "${spec.brokerUrl}"`);
  return out;
}

export function assertSpec(spec: DeviceSpec): void {
  const problems = specProblems(spec);
  if (problems.length > 0) throw new ProvisionError('SPEC_INVALID', problems.join('; '));
}

export interface Credentials {
  username: string;
  password: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; anything else in `b` replaces `a`. */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

export function buildConfig(spec: DeviceSpec, creds: Credentials, serverPublicKey: string | undefined, dataDir = '/var/lib/halld'): Record<string, unknown> {
  const roles: Record<string, unknown> = { sys: {} };
  for (const r of spec.roles) roles[r] = {};
  const base: Record<string, unknown> = {
    version: 1,
    hall: spec.hall,
    device: spec.device,
    board: spec.board,
    dataDir,
    broker: { url: spec.brokerUrl, username: creds.username, password: creds.password },
    ...(serverPublicKey !== undefined ? { security: { serverPublicKey } } : {}),
    roles,
  };
  return spec.extra ? deepMerge(base, spec.extra) : base;
}

/** Checks a written config file exactly as `halld config check` does: one line per problem, and per warning. */
export type ConfigValidator = (file: string) => Promise<{ problems: string[]; warnings: string[] }>;
