// Provisioning one device: config + credentials into a target root, and (with a broker
// folder) its account and ACL. Re-running with the same input changes nothing: the password
// already in the target is kept unless `rotate`, and a target or broker account that belongs
// to another device is refused unless `force`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BrokerFiles } from './broker-files.js';
import { assertSpec, buildConfig, type ConfigValidator, type DeviceSpec } from './device-spec.js';
import { ProvisionError, randomPassword } from './mosquitto-passwd.js';
import { readExistingConfig, readTlsFiles, shippedUnitPath, writeTarget } from './target-root.js';
import { deviceTls, TLS_FILES, type TlsRequest } from './device-certificate.js';

export interface ProvisionOptions {
  spec: DeviceSpec;
  target: string;
  /** The hall's command-signing public key (PEM text). */
  serverKey?: string;
  broker?: BrokerFiles;
  rotate?: boolean;
  force?: boolean;
  validate: ConfigValidator;
  /** A TLS client identity: key + CSR, a certificate signed by the hall CA, or one to install. */
  tls?: TlsRequest;
  /** Told what the device will lack ("hall-1/kiosk-1: ..."): no broker account, no server key, no hall CA. */
  warn?: (line: string) => void;
}

export type PasswordFate = 'new' | 'kept' | 'rotated';

export interface ProvisionResult {
  hall: string;
  device: string;
  password: PasswordFate;
  files: string[];
  /** What happened to the TLS key and certificate, when asked. */
  tls?: string;
}

function existingPassword(existing: Record<string, unknown> | undefined): string | undefined {
  const broker = existing?.['broker'];
  const p = typeof broker === 'object' && broker !== null ? (broker as Record<string, unknown>)['password'] : undefined;
  return typeof p === 'string' && p !== '' ? p : undefined;
}

/** The config as the device will read it, checked by the same loader as `halld config check`; its warnings as "field /x: ...". */
export async function validatedConfigText(config: Record<string, unknown>, validate: ConfigValidator, label: string, siblings: Record<string, string> = {}): Promise<{ text: string; warnings: string[] }> {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const dir = await mkdtemp(join(tmpdir(), 'halld-provision-'));
  try {
    const file = join(dir, 'device.json');
    await writeFile(file, text, { mode: 0o600 });
    // The TLS files the config names relatively sit beside it, as they will on the board.
    for (const [name, content] of Object.entries(siblings)) await writeFile(join(dir, name), content, { mode: 0o600 });
    const { problems, warnings } = await validate(file);
    if (problems.length > 0) throw new ProvisionError('CONFIG_INVALID', problems.map((l) => l.replace(file, label)).join('\n'));
    return { text, warnings: warnings.map((l) => l.replace(`${file}: warning: `, '')) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function existingServerKey(existing: Record<string, unknown> | undefined): string | undefined {
  const security = existing?.['security'];
  const key = typeof security === 'object' && security !== null ? (security as Record<string, unknown>)['serverPublicKey'] : undefined;
  return typeof key === 'string' ? key : undefined;
}

export async function provisionDevice(opts: ProvisionOptions): Promise<ProvisionResult> {
  const { spec } = opts;
  assertSpec(spec);
  const label = `${spec.hall}/${spec.device}`;
  const existing = await readExistingConfig(opts.target);
  if (existing && (existing['hall'] !== spec.hall || existing['device'] !== spec.device) && !opts.force) {
    throw new ProvisionError('IDENTITY_CONFLICT', `${label}: ${opts.target} already holds device ${String(existing['hall'])}/${String(existing['device'])}; refusing to overwrite it (--force replaces it)`);
  }
  opts.broker?.checkIdentity(spec.hall, spec.device);
  const sameDevice = existing !== undefined && existing['hall'] === spec.hall && existing['device'] === spec.device;
  const kept = sameDevice && !opts.rotate ? existingPassword(existing) : undefined;
  const fate: PasswordFate = kept !== undefined ? 'kept' : opts.rotate ? 'rotated' : 'new';
  if (fate === 'new' && opts.broker?.hasAccount(spec.device)) {
    // The broker knows this account but its password is not in the target: issuing another would
    // lock out the board that has the old one.
    throw new ProvisionError('PASSWORD_UNKNOWN', `${label}: the broker already has account ${spec.device} but ${opts.target} has no password for it; pass --rotate to issue a new one`);
  }
  const password = kept ?? randomPassword();
  // A re-run that does not name the key (the CSR flow's second run) keeps the one the device has.
  const serverKey = opts.serverKey ?? (sameDevice ? existingServerKey(existing) : undefined);
  const config = buildConfig(spec, { username: spec.device, password }, serverKey);
  const existingTls = sameDevice ? await readTlsFiles(opts.target) : {};
  const tls = opts.tls ? await deviceTls(opts.tls, existingTls, { hall: spec.hall, username: spec.device }, opts.rotate === true, Date.now()) : undefined;
  // Without a TLS option a re-run keeps the certificate the device already has.
  const tlsBroker = tls ? tls.broker : sameDevice ? keptTlsBroker(existing) : undefined;
  if (tlsBroker) config['broker'] = { ...(config['broker'] as Record<string, unknown>), ...tlsBroker };
  const tlsFiles = Object.fromEntries(Object.entries(tls?.files ?? existingTls).map(([k, v]) => [TLS_FILES[k as keyof typeof TLS_FILES], v]));
  const { text, warnings } = await validatedConfigText(config, opts.validate, `${label} (device.json)`, tlsFiles);
  const files = await writeTarget(opts.target, {
    config: text,
    unit: await readFile(shippedUnitPath(), 'utf8'),
    ...(opts.serverKey !== undefined ? { serverKey: opts.serverKey } : {}),
    ...(tls ? { tls: tls.files } : {}),
  });
  if (opts.broker) {
    opts.broker.setDevice(spec.hall, spec.device, spec.roles, password);
    await opts.broker.ensureServerAccount(spec.hall);
  } else {
    warnings.unshift(
      `no --broker-dir: this run wrote no broker account or ACL entry for it; unless the hall's broker files have ${spec.device} from an earlier run, the broker refuses its password and, with certificates (use_identity_as_username), denies its every publish: run again with --broker-dir <the hall's broker folder>`,
    );
  }
  for (const w of warnings) opts.warn?.(`${label}: ${w}`);
  return { hall: spec.hall, device: spec.device, password: fate, files, ...(tls ? { tls: tls.note } : {}) };
}

function keptTlsBroker(existing: Record<string, unknown> | undefined): Record<string, string> | undefined {
  const broker = existing?.['broker'] as Record<string, unknown> | undefined;
  const picked = Object.fromEntries((['ca', 'cert', 'key'] as const).filter((k) => typeof broker?.[k] === 'string').map((k) => [k, broker?.[k] as string]));
  return Object.keys(picked).length > 0 ? picked : undefined;
}
