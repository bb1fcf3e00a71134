// Mosquitto password-file lines in the format Mosquitto 2 writes itself (mosquitto_passwd):
// `user:$7$<iterations>$<base64 salt>$<base64 PBKDF2-SHA512 hash>`, 12-byte salt, 101
// iterations, 64-byte hash. Written with node:crypto so provisioning needs no broker tools.
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

const ITERATIONS = 101;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

export class ProvisionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProvisionError';
  }
}

/** A new random password: 24 bytes, base64url (32 characters, no ':' or whitespace). */
export function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

export function hashPassword(password: string, salt: Buffer = randomBytes(SALT_BYTES), iterations = ITERATIONS): string {
  const hash = pbkdf2Sync(password, salt, iterations, HASH_BYTES, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** True when `password` matches a `$7$` hash (so a re-run can tell whether a line is still current). */
export function verifyPassword(password: string, encoded: string): boolean {
  const m = /^\$7\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(encoded);
  if (!m) return false;
  const want = Buffer.from(m[3] ?? '', 'base64');
  const got = pbkdf2Sync(password, Buffer.from(m[2] ?? '', 'base64'), Number(m[1]), want.length, 'sha512');
  return want.length > 0 && timingSafeEqual(want, got);
}

/** `user:hash` lines of a password file, in order; blank lines and comments are dropped. */
export function parsePasswordFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) throw new ProvisionError('PASSWD_INVALID', `password file: expected user:hash, found "${trimmed.slice(0, 40)}"`);
    out.set(trimmed.slice(0, colon), trimmed.slice(colon + 1));
  }
  return out;
}

export function formatPasswordFile(entries: Map<string, string>): string {
  return [...entries].map(([user, hash]) => `${user}:${hash}\n`).join('');
}
