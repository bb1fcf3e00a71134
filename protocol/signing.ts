// Ed25519 signatures (docs/protocol.md "Signed messages"): the signature covers the canonical form
// of the message without `sig` — keys sorted at every level, no whitespace, numbers as
// JSON.stringify writes them — so a Java, Go or Python server can produce the same bytes.
// A signature is bound to where it was sent: the signer puts the exact topic in `to`, and the
// receiver refuses a signed message that arrived on any other topic, so a signature for one
// command or one device is worth nothing on another.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function withoutSig(envelope: Record<string, unknown>): Record<string, unknown> {
  const { sig: _sig, ...rest } = envelope;
  return rest;
}

export function toPrivateKey(key: string | KeyObject): KeyObject {
  return typeof key === 'string' ? createPrivateKey(key) : key;
}

/** Accepts a PEM (SPKI) public key, or the raw 32-byte key in base64. */
export function toPublicKey(key: string | KeyObject): KeyObject {
  if (typeof key !== 'string') return key;
  if (key.includes('BEGIN')) return createPublicKey(key);
  const raw = Buffer.from(key, 'base64');
  if (raw.length !== 32) throw new TypeError('an Ed25519 public key in base64 must decode to 32 bytes');
  // SPKI prefix for Ed25519 (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

export function signEnvelope<T extends Record<string, unknown>>(envelope: T, privateKey: string | KeyObject): T & { sig: string } {
  const body = Buffer.from(canonicalJson(withoutSig(envelope)), 'utf8');
  const sig = sign(null, body, toPrivateKey(privateKey)).toString('base64');
  return { ...envelope, sig };
}

export function verifyEnvelope(envelope: Record<string, unknown>, publicKey: string | KeyObject): boolean {
  const sig = envelope['sig'];
  if (typeof sig !== 'string' || sig.length === 0) return false;
  const body = Buffer.from(canonicalJson(withoutSig(envelope)), 'utf8');
  try {
    return verify(null, body, toPublicKey(publicKey), Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

export function generateSigningKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Verifies the signature and that the message was signed for `topic`, the topic it arrived on. */
export function verifyForTopic(message: Record<string, unknown>, publicKey: string | KeyObject, topic: string): SignatureCheck {
  if (typeof message['sig'] !== 'string' || message['sig'].length === 0) return { ok: false, reason: `must be signed (sig missing)` };
  if (!verifyEnvelope(message, publicKey)) return { ok: false, reason: 'signature does not verify' };
  const to = message['to'];
  if (typeof to !== 'string') return { ok: false, reason: 'signed without `to`: a signature must name the topic it is for' };
  if (to !== topic) return { ok: false, reason: `signed for ${to}, arrived on ${topic}` };
  return { ok: true };
}

export interface SecureTimeLimits {
  /** Longest `exp - ts` a signed command may have. */
  maxSecureLifetimeMs: number;
  /** How far a signed command's `ts` may be ahead of the receiver's time. */
  maxClockSkewMs: number;
}

/** A signed command expires after it was made, lives at most maxSecureLifetimeMs and does not come from the future. */
export function checkSecureTimes(ts: number, exp: number, now: number, limits: SecureTimeLimits): SignatureCheck {
  // A negative lifetime passes any lifetime bound: without this, a ts far ahead and an exp near now slipped through.
  if (exp < ts) return { ok: false, reason: `signed exp ${exp} is before its ts ${ts}` };
  if (exp - ts > limits.maxSecureLifetimeMs) return { ok: false, reason: `signed lifetime exp - ts = ${exp - ts} ms exceeds ${limits.maxSecureLifetimeMs} ms` };
  if (ts - now > limits.maxClockSkewMs) return { ok: false, reason: `signed ts ${ts} is ${ts - now} ms ahead of the device's time ${now} (at most ${limits.maxClockSkewMs})` };
  return { ok: true };
}
