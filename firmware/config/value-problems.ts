// What the schema cannot see but `run` would trip over before it touches hardware or the
// network: a broker URL it cannot use, TLS files it cannot read or parse, a server key it
// cannot decode, a backoff that ends before it starts. Each becomes one problem instead of
// a stack trace from deep inside mqtt.js or node:crypto.
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { toPublicKey } from '../../protocol/signing.js';
import type { DeviceConfig } from './schema.js';
import { found, type ConfigProblem } from './schema-problems.js';

const TLS_SCHEMES = new Set(['mqtts:', 'wss:']);

/** Checks a config that passed the schema. TLS paths must already be resolved to absolute paths. */
export function valueProblems(config: DeviceConfig, sectionValid: (pointer: string) => boolean = () => true): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message, kind: 'config' });
  if (sectionValid('/broker')) brokerProblems(config.broker, problem);
  if (sectionValid('/security')) securityProblems(config.security, problem);
  if (!isTimeZone(config.timeZone)) problem('/timeZone', `"${config.timeZone}" is not an IANA time zone (e.g. Asia/Shanghai)`);
  return problems;
}

type Report = (field: string, message: string) => void;

/**
 * A canonical zone name ("Asia/Shanghai") is found in ICU's list without building a formatter:
 * the first Intl.DateTimeFormat of a process costs ~45 ms and ~8 MB of RSS (ICU's locale and
 * zone data), which `run` paid at every start only to check this field (docs/performance.md).
 * An alias or another spelling ("UTC", "asia/shanghai") still gets the formatter's own verdict.
 */
let canonicalZones: ReadonlySet<string> | undefined;

function isTimeZone(timeZone: string): boolean {
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function brokerProblems(broker: DeviceConfig['broker'], problem: Report): void {
  let url: URL | undefined;
  try {
    url = new URL(broker.url);
    if (url.hostname === '') problem('/broker/url', `expected a host name after ${url.protocol}//, found ${found(broker.url)}`);
  } catch {
    problem('/broker/url', `expected a URL such as mqtts://broker.hall.local:8883, found ${found(broker.url)}`);
  }
  if (broker.reconnectMaxMs < broker.reconnectMinMs) {
    problem('/broker/reconnectMaxMs', `expected at least reconnectMinMs (${broker.reconnectMinMs}), found ${broker.reconnectMaxMs}`);
  }

  const tlsFiles = (['ca', 'cert', 'key'] as const).filter((k) => broker[k] !== undefined);
  if (url && tlsFiles.length > 0 && !TLS_SCHEMES.has(url.protocol)) {
    problem(`/broker/${tlsFiles[0] ?? 'ca'}`, `TLS files are given but the broker URL ${found(broker.url)} is not TLS; expected mqtts:// or wss://`);
  }
  if ((broker.cert === undefined) !== (broker.key === undefined)) {
    problem(broker.cert === undefined ? '/broker/cert' : '/broker/key', 'missing; a client certificate needs both cert and key');
  }
  const ca = readPem(broker.ca, '/broker/ca', problem);
  if (ca !== undefined) {
    try {
      new X509Certificate(ca);
    } catch {
      problem('/broker/ca', `expected a PEM certificate ("-----BEGIN CERTIFICATE-----"), found something else in ${broker.ca ?? ''}`);
    }
  }
  const cert = readPem(broker.cert, '/broker/cert', problem);
  if (cert !== undefined) {
    try {
      new X509Certificate(cert);
    } catch {
      problem('/broker/cert', `expected a PEM certificate ("-----BEGIN CERTIFICATE-----"), found something else in ${broker.cert ?? ''}`);
    }
  }
  const key = readPem(broker.key, '/broker/key', problem);
  if (key !== undefined) {
    try {
      createPrivateKey(key);
    } catch {
      problem('/broker/key', `expected a PEM private key ("-----BEGIN PRIVATE KEY-----"), found something else in ${broker.key ?? ''}`);
    }
  }

}

function securityProblems(security: DeviceConfig['security'], problem: Report): void {
  const serverKey = security.serverPublicKey;
  if (serverKey !== undefined) {
    const expected = 'expected an Ed25519 public key (PEM "-----BEGIN PUBLIC KEY-----" or the raw 32 bytes in base64)';
    try {
      const type = toPublicKey(serverKey).asymmetricKeyType;
      if (type !== 'ed25519') problem('/security/serverPublicKey', `${expected}, found a${type === 'rsa' || type === 'ec' ? 'n' : ''} ${type ?? 'unknown'} key`);
    } catch {
      problem('/security/serverPublicKey', `${expected}, found ${found(serverKey)}`);
    }
  }
}

function readPem(path: string | undefined, field: string, problem: (field: string, message: string) => void): string | undefined {
  if (path === undefined) return undefined;
  if (!isAbsolute(path)) throw new Error(`${field} was not resolved against the config file's folder`);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problem(field, `cannot read ${path} (${code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message)}); relative paths are relative to the config file's folder`);
    return undefined;
  }
}
