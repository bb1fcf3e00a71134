// How a citizen's ID number (公民身份号码) becomes the salted hash the device sends or checks,
// for the server (any language: scrypt per RFC 7914 over the number's 18 ASCII characters,
// upper-case X, the salt's bytes from hex, output as hex) and for the device. The kiosk hashes
// with the hall's salt (the server hashes its appointments' numbers the same way to find the
// citizen); a cabinet deposit bound to an identity carries its own salt and the hash, and the
// cabinet hashes a swiped card's number with it. Neither side ever needs the number on the wire.
import { randomBytes } from 'node:crypto';
import type { ScryptParams } from './locker.js';
import { DEFAULT_SCRYPT, sameHexKey, scryptHex } from './locker-code.js';

export { DEFAULT_SCRYPT };

/** The one spelling hashed: 18 characters, the check character X upper-case. */
export function normalIdNumber(number: string): string {
  return number.trim().toUpperCase();
}

export function identityHash(number: string, saltHex: string, params: ScryptParams): Promise<string> {
  return scryptHex(normalIdNumber(number), saltHex, params);
}

/** A fresh salt and the hash of `number`: what a server puts in a deposit bound to an identity. */
export async function hashIdentity(number: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<{ hash: string; salt: string; scrypt: ScryptParams }> {
  const salt = randomBytes(16).toString('hex');
  return { hash: await identityHash(number, salt, params), salt, scrypt: params };
}

/** Whether `number` hashes to the stored hash (constant-time comparison). */
export async function identityMatches(number: string, stored: { hash: string; salt: string; scrypt: ScryptParams }): Promise<boolean> {
  return sameHexKey(await identityHash(number, stored.salt, stored.scrypt), stored.hash);
}
