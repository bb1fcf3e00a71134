// How a pickup code becomes the `codeHash` of cmd/locker/deposit, for the server (any language:
// scrypt per RFC 7914 over the code's UTF-8 bytes, the salt's bytes from hex, output as hex) and
// for the device that checks a typed or scanned code against it.
import { randomBytes, randomFillSync, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptParams } from './locker.js';

/** What the reference server uses: N = 2^14 costs ~30 ms on a Pi 4 per deposit checked. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 16_384, r: 8, p: 1, keylen: 32 };

/** Memory scrypt may use: 128 * N * r bytes plus headroom (node refuses above maxmem). */
function maxmem(params: ScryptParams): number {
  return 128 * params.N * params.r * 2 + 1024 * 1024;
}

/** scrypt (RFC 7914) of a secret's UTF-8 bytes with a hex salt, as hex: pickup codes here, ID numbers in identity-hash.ts. */
export function scryptHex(secret: string, saltHex: string, params: ScryptParams): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    scrypt(secret, Buffer.from(saltHex, 'hex'), params.keylen, { N: params.N, r: params.r, p: params.p, maxmem: maxmem(params) }, (err, key) => (err ? reject(err) : resolve(key.toString('hex'))));
  }).catch((err: unknown) => {
    clearOpenSslErrors();
    throw err;
  });
}

/**
 * Node leaves OpenSSL's reason for refusing scrypt's parameters in the thread's error queue, and
 * the next call that reads that queue fails with it: a key parsed for a signature, a TLS
 * context for the broker. Node's random-byte calls empty the queue on their way out.
 */
function clearOpenSslErrors(): void {
  randomFillSync(Buffer.alloc(1));
}

/** Equal-length hex keys compared in constant time. */
export function sameHexKey(derivedHex: string, expectedHex: string): boolean {
  const derived = Buffer.from(derivedHex, 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}

export function pickupCodeHash(code: string, saltHex: string, params: ScryptParams): Promise<string> {
  return scryptHex(code.normalize('NFC'), saltHex, params);
}

/** A fresh salt and the hash of `code`: the fields a server puts in cmd/locker/deposit. */
export async function hashPickupCode(code: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<{ codeHash: string; salt: string; scrypt: ScryptParams }> {
  const salt = randomBytes(16).toString('hex');
  return { codeHash: await pickupCodeHash(code, salt, params), salt, scrypt: params };
}

/**
 * How long one check with these parameters takes here, in ms of real time (the cost is the
 * board's CPU and memory, so no injected clock can stand in for it); rejects with node:crypto's
 * error when it will not run them at all (OpenSSL also needs N < 2^(16·r)).
 */
export async function scryptCheckMs(params: ScryptParams): Promise<number> {
  const started = performance.now();
  await pickupCodeHash('halld-probe', '00'.repeat(16), params);
  return performance.now() - started;
}

/** Whether `code` matches a stored hash (constant-time comparison of equal-length keys). */
export async function pickupCodeMatches(code: string, stored: { codeHash: string; salt: string; scrypt: ScryptParams }): Promise<boolean> {
  return sameHexKey(await pickupCodeHash(code, stored.salt, stored.scrypt), stored.codeHash);
}
