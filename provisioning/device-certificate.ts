// A device's TLS client identity for a broker that authenticates by certificate (Mosquitto
// `require_certificate true` + `use_identity_as_username true`): a P-256 key made on the
// installer's machine, a CSR whose CN is the device's MQTT username, and, when the installer
// points to the hall CA, the certificate signed with it.
//
// The key comes from node:crypto; the CSR and the signature from Debian's `openssl` binary
// (OpenSSL's own `req -new` and `x509 -req`), because node:crypto can parse and verify X.509
// but cannot write a CSR or sign a certificate, and the packages that can (node-forge,
// @peculiar/x509) would be a new dependency for what every installer's machine already has.
// What comes back is checked with node:crypto: the certificate matches the key, chains to
// the CA, and names the device.
import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvisionError } from './mosquitto-passwd.js';

/** File names beside device.json (/etc/halld on the board); the config names them relatively. */
export const TLS_FILES = { key: 'device.key', csr: 'device.csr', cert: 'device.crt', ca: 'hall-ca.pem' } as const;
/** A certificate that expires sooner than this is issued again on a re-run. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
export const DEFAULT_CERT_DAYS = 825;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

function openssl(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') reject(new ProvisionError('OPENSSL_MISSING', 'openssl is not installed (apt-get install openssl): it writes the CSR and signs the certificate', { cause: err }));
      else reject(new ProvisionError('OPENSSL_FAILED', `openssl ${args[0] ?? ''}: ${stderr.trim().split('\n')[0] ?? e.message}`, { cause: err }));
    });
  });
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'halld-cert-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function newDeviceKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The CSR for the hall CA: CN = the device's MQTT username (the broker's identity for it), O = the hall. */
export function deviceCsr(keyPem: string, username: string, hall: string): Promise<string> {
  return withTempDir(async (dir) => {
    const keyFile = join(dir, 'device.key');
    await writeFile(keyFile, keyPem, { mode: 0o600 });
    return openssl(['req', '-new', '-key', keyFile, '-subj', `/O=halld ${hall}/CN=${username}`, '-sha256']);
  });
}

export function commonName(cert: X509Certificate): string | undefined {
  return /^CN=(.*)$/m.exec(cert.subject)?.[1];
}

export interface HallCa {
  certFile: string;
  keyFile: string;
}

/** Checks the CA's certificate and key belong together before anything is signed with them. */
export async function loadHallCa(ca: HallCa): Promise<X509Certificate> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(await readFile(ca.certFile));
  } catch (err) {
    throw new ProvisionError('CA_INVALID', `--ca-cert ${ca.certFile}: not a PEM certificate (${(err as Error).message})`, { cause: err });
  }
  if (!cert.ca) throw new ProvisionError('CA_INVALID', `--ca-cert ${ca.certFile}: ${cert.subject.replace(/\n/g, ', ')} is not a CA certificate (basicConstraints CA:TRUE)`);
  const keyText = await readFile(ca.keyFile, 'utf8');
  if (/ENCRYPTED/.test(keyText) && process.env['HALLD_CA_PASSPHRASE'] === undefined)
    throw new ProvisionError('CA_KEY_ENCRYPTED', `--ca-key ${ca.keyFile} is encrypted: put its passphrase in the environment variable HALLD_CA_PASSPHRASE`);
  if (!/ENCRYPTED/.test(keyText)) {
    let matches = false;
    try {
      matches = cert.checkPrivateKey(createPrivateKey(keyText));
    } catch (err) {
      throw new ProvisionError('CA_INVALID', `--ca-key ${ca.keyFile}: not a PEM private key (${(err as Error).message})`, { cause: err });
    }
    if (!matches) throw new ProvisionError('CA_INVALID', `--ca-key ${ca.keyFile} is not the key of --ca-cert ${ca.certFile}`);
  }
  return cert;
}

/** Signs the CSR with the hall CA: a client certificate (clientAuth), `days` long, random serial. */
export function signDeviceCert(csrPem: string, ca: HallCa, days: number): Promise<string> {
  return withTempDir(async (dir) => {
    const csr = join(dir, 'device.csr');
    const ext = join(dir, 'ext.cnf');
    await writeFile(csr, csrPem);
    await writeFile(ext, 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyAgreement\nextendedKeyUsage = clientAuth\n');
    const passphrase = process.env['HALLD_CA_PASSPHRASE'];
    const args = ['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', String(days), '-sha256', '-extfile', ext];
    return openssl(passphrase !== undefined ? [...args, '-passin', 'env:HALLD_CA_PASSPHRASE'] : args);
  });
}

/** Why this certificate will not do for this device and CA (undefined: keep it); `renewBeforeMs`: expiring that soon counts as unusable. */
export function certProblem(certPem: string, keyPem: string, caCert: X509Certificate, username: string, nowMs: number, renewBeforeMs = 0): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return 'not a PEM certificate';
  }
  if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return "it is not for this device's key";
  if (commonName(cert) !== username) return `its CN is "${commonName(cert) ?? ''}", not the MQTT username "${username}"`;
  if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return 'it is not signed by this hall CA';
  // A CA whose clock runs a little ahead (or a signature made a second after `nowMs`) is fine.
  if (Date.parse(cert.validFrom) - nowMs > CLOCK_SKEW_MS) return `it is not valid before ${cert.validFrom}`;
  if (Date.parse(cert.validTo) - nowMs <= renewBeforeMs) return Date.parse(cert.validTo) <= nowMs ? `it expired ${cert.validTo}` : `it expires ${cert.validTo}`;
  return undefined;
}

export type TlsRequest =
  /** Only the hall CA, to check the broker's certificate by (password accounts over TLS). */
  | { kind: 'ca'; caCertFile: string }
  /** Make the key (kept on a re-run) and the CSR to send to the hall's CA. */
  | { kind: 'csr' }
  /** Make the key and have the hall CA the installer points to sign its certificate. */
  | { kind: 'sign'; ca: HallCa; days: number }
  /** Install the certificate the hall's CA signed from an earlier --csr. */
  | { kind: 'install'; certFile: string; caCertFile: string };

export interface TlsFiles {
  /** File name (TLS_FILES) → content, to write beside device.json. */
  files: Partial<Record<keyof typeof TLS_FILES, string>>;
  /** The config's broker.ca (and cert/key with a client certificate), relative to device.json; undefined: nothing to name (yet). */
  broker?: { ca: string; cert?: string; key?: string };
  note: string;
}

/** The device's TLS files after this run, from what the target already holds and what was asked. */
export async function deviceTls(request: TlsRequest, existing: Partial<Record<keyof typeof TLS_FILES, string>>, spec: { hall: string; username: string }, rotate: boolean, nowMs: number): Promise<TlsFiles> {
  const relative = { ca: TLS_FILES.ca, cert: TLS_FILES.cert, key: TLS_FILES.key };
  if (request.kind === 'ca') return hallCaOnly(request.caCertFile, existing, spec.username, rotate, nowMs);
  const keptKey = rotate ? undefined : existing.key;
  const key = keptKey ?? newDeviceKey();
  const keyNote = keptKey !== undefined ? 'key kept' : 'new key';
  switch (request.kind) {
    case 'csr': {
      const csr = await deviceCsr(key, spec.username, spec.hall);
      const note = `${keyNote}, CSR ${TLS_FILES.csr} (CN=${spec.username}) for the hall CA`;
      // A certificate already installed for this key stays in use until the new one comes.
      if (keptKey !== undefined && existing.cert !== undefined && existing.ca !== undefined && certProblem(existing.cert, key, new X509Certificate(existing.ca), spec.username, nowMs) === undefined)
        return { files: { key, csr, cert: existing.cert, ca: existing.ca }, broker: relative, note: `${note}; the installed certificate is kept` };
      return { files: { key, csr }, note };
    }
    case 'sign': {
      const caCert = await loadHallCa(request.ca);
      const ca = caCert.toString();
      if (keptKey !== undefined && existing.cert !== undefined && certProblem(existing.cert, key, caCert, spec.username, nowMs, RENEW_BEFORE_MS) === undefined) {
        return { files: { key, cert: existing.cert, ca }, broker: relative, note: 'key and certificate kept' };
      }
      const cert = await signDeviceCert(await deviceCsr(key, spec.username, spec.hall), request.ca, request.days);
      const problem = certProblem(cert, key, caCert, spec.username, nowMs);
      if (problem !== undefined) throw new ProvisionError('CERT_INVALID', `the certificate openssl signed will not do: ${problem}`);
      return { files: { key, cert, ca }, broker: relative, note: `${keyNote}, certificate signed by ${caCert.subject.replace(/\n/g, ', ')} until ${new X509Certificate(cert).validTo}` };
    }
    case 'install': {
      if (existing.key === undefined) throw new ProvisionError('CERT_NO_KEY', 'the target has no device key: run with --csr first, have the hall CA sign device.csr, then --cert');
      let caCert: X509Certificate;
      try {
        caCert = new X509Certificate(await readFile(request.caCertFile));
      } catch (err) {
        throw new ProvisionError('CA_INVALID', `--ca-cert ${request.caCertFile}: not a PEM certificate (${(err as Error).message})`, { cause: err });
      }
      const cert = await readFile(request.certFile, 'utf8');
      const problem = certProblem(cert, existing.key, caCert, spec.username, nowMs);
      if (problem !== undefined) throw new ProvisionError('CERT_INVALID', `--cert ${request.certFile}: ${problem}`);
      return { files: { key: existing.key, cert, ca: caCert.toString() }, broker: relative, note: 'certificate installed' };
    }
  }
}

/** Reads the hall CA file: every certificate in it must parse (a bundle of intermediate and root is kept whole). */
async function readHallCa(file: string): Promise<{ text: string; first: X509Certificate }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ProvisionError('CA_INVALID', `--ca-cert ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { cause: err });
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ProvisionError('CA_INVALID', `--ca-cert ${file}: not a PEM certificate (no "-----BEGIN CERTIFICATE-----")`);
  const certs = blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (err) {
      throw new ProvisionError('CA_INVALID', `--ca-cert ${file}: certificate ${i + 1} does not parse (${(err as Error).message})`, { cause: err });
    }
  });
  return { text, first: certs[0] as X509Certificate };
}

/**
 * `--ca-cert` alone: the device checks the broker's certificate against the hall CA and logs in
 * with its password. A client certificate the target already has stays in use when this CA
 * issued it; one it did not issue cannot be kept (nor re-issued without the CA's key).
 */
async function hallCaOnly(caCertFile: string, existing: Partial<Record<keyof typeof TLS_FILES, string>>, username: string, rotate: boolean, nowMs: number): Promise<TlsFiles> {
  const { text: ca, first } = await readHallCa(caCertFile);
  if (existing.key === undefined || existing.cert === undefined) return { files: { ca }, broker: { ca: TLS_FILES.ca }, note: `hall CA installed (${first.subject.replace(/\n/g, ', ')})` };
  if (rotate) throw new ProvisionError('USAGE', '--rotate issues a new client certificate: give --ca-key (sign it here) or --csr with --ca-cert');
  const problem = certProblem(existing.cert, existing.key, first, username, nowMs);
  if (problem !== undefined) throw new ProvisionError('CERT_INVALID', `the target's client certificate (${TLS_FILES.cert}) will not do with --ca-cert ${caCertFile}: ${problem}; issue a new one with --ca-key or --csr`);
  return { files: { key: existing.key, cert: existing.cert, ca }, broker: { ca: TLS_FILES.ca, cert: TLS_FILES.cert, key: TLS_FILES.key }, note: 'hall CA installed; key and certificate kept' };
}
