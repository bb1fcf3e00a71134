// The signed manifest inside every release tarball (docs/release.md): what the release is
// (version, architecture, the Node.js it carries) and the SHA-256, size and mode of every
// file in it. `manifest.sig` beside it is the Ed25519 signature over manifest.json's exact
// bytes, by the release key — a key of its own, not the hall server's command-signing key,
// so whoever may command a door still cannot ship code to the board.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { toPrivateKey, toPublicKey } from '../protocol/signing.js';
import { validate } from '../protocol/validate.js';
import { RELEASE_ARCHES } from './arch.js';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const MANIFEST_FORMAT = 1;

const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$' });

export const ReleaseFileSchema = Type.Object(
  {
    sha256: Sha256Hex,
    size: Type.Integer({ minimum: 0 }),
    /** 0o755 for programs, 0o644 for the rest: the only two a release holds. */
    mode: Type.Union([Type.Literal(0o755), Type.Literal(0o644)]),
  },
  { additionalProperties: false },
);

export const ReleaseManifestSchema = Type.Object(
  {
    format: Type.Literal(MANIFEST_FORMAT),
    name: Type.Literal('halld'),
    version: Type.String({ pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$' }),
    platform: Type.Literal('linux'),
    arch: Type.Union(RELEASE_ARCHES.map((a) => Type.Literal(a))),
    node: Type.Object(
      {
        version: Type.String(),
        /** process.versions.modules: the ABI of native modules built with nan. */
        modules: Type.String(),
        /** process.versions.napi: the highest Node-API version it offers. */
        napi: Type.String(),
      },
      { additionalProperties: false },
    ),
    /** Fingerprint of the release key that signs this manifest (keyFingerprint). */
    signedBy: Type.String({ pattern: '^[0-9a-f]{16}$' }),
    builtAt: Type.String(),
    commit: Type.Optional(Type.String()),
    /** Sum of the files' sizes: what unpacking needs on the board's disk. */
    unpackedBytes: Type.Integer({ minimum: 0 }),
    /** Every regular file of the release by its path under the release folder ('/' separated). */
    files: Type.Record(Type.String(), ReleaseFileSchema),
  },
  { additionalProperties: false },
);

export type ReleaseManifest = Static<typeof ReleaseManifestSchema>;
export type ReleaseFile = Static<typeof ReleaseFileSchema>;

/** A short name for a public key that a person can compare: 16 hex digits of SHA-256 over the raw key. */
export function keyFingerprint(publicKey: string | KeyObject): string {
  const der = toPublicKey(publicKey).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der.subarray(der.length - 32)).digest('hex').slice(0, 16);
}

export class ReleaseError extends Error {
  constructor(
    readonly code: 'NOT_A_RELEASE' | 'MANIFEST_INVALID' | 'SIGNATURE' | 'WRONG_KEY' | 'FILES' | 'ARCH' | 'NO_SPACE' | 'TARBALL' | 'INSTALL',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReleaseError';
  }
}

/** Parses manifest.json's bytes; a manifest that is not one is refused with what is wrong. */
export function parseManifest(bytes: Buffer, where: string): ReleaseManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ReleaseError('MANIFEST_INVALID', `${where}: ${MANIFEST_FILE} is not JSON (${(err as Error).message})`);
  }
  const checked = validate(ReleaseManifestSchema, value);
  if (!checked.ok) throw new ReleaseError('MANIFEST_INVALID', `${where}: ${MANIFEST_FILE} is not a halld release manifest: ${checked.errors.join('; ')}`);
  for (const path of Object.keys(checked.value.files)) {
    if (!isSafeRelativePath(path)) throw new ReleaseError('MANIFEST_INVALID', `${where}: ${MANIFEST_FILE} names a file outside the release: ${JSON.stringify(path)}`);
  }
  return checked.value;
}

/** A path inside the release folder: relative, no `..`, no empty or `.` parts. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

export function manifestBytes(manifest: ReleaseManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`, 'utf8');
}

/** The text of manifest.sig: the base64 Ed25519 signature over manifest.json's bytes. */
export function signManifest(bytes: Buffer, privateKey: string | KeyObject): string {
  return `${sign(null, bytes, toPrivateKey(privateKey)).toString('base64')}\n`;
}

/**
 * Checks manifest.sig against the release key. The manifest names the key that signed it, so
 * a release signed with another key (a developer's, another province's) says which.
 */
export function verifyManifestSignature(bytes: Buffer, signatureText: string, publicKey: string | KeyObject, where: string): ReleaseManifest {
  const manifest = parseManifest(bytes, where);
  const expected = keyFingerprint(publicKey);
  const signature = Buffer.from(signatureText.trim(), 'base64');
  let ok = false;
  try {
    ok = signature.length === 64 && verify(null, bytes, toPublicKey(publicKey), signature);
  } catch {
    ok = false;
  }
  if (ok) return manifest;
  if (manifest.signedBy !== expected) {
    throw new ReleaseError('WRONG_KEY', `${where}: signed by release key ${manifest.signedBy}, but this board trusts release key ${expected}`);
  }
  throw new ReleaseError('SIGNATURE', `${where}: the release signature does not match its manifest (altered or damaged); get the release again`);
}
