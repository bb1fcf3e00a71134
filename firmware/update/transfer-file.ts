// A release tarball on its way to the board: <root>/.download/<sha256>.part while bytes
// arrive (over HTTP or as pushed chunks), renamed to <sha256>.tar.gz once its size and hash
// match. The part file is the resume point: after a reconnect or a restart the transfer goes
// on from its length. Writes are fsynced per piece so the length never claims bytes a power
// cut lost.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DOWNLOAD_DIR } from '../../release/update/slots.js';
import { UpdateFailure } from './update-failure.js';

export interface TransferTarget {
  readonly root: string;
  readonly sha256: string;
  readonly size: number;
}

export function partPath(t: TransferTarget): string {
  return join(t.root, DOWNLOAD_DIR, `${t.sha256}.part`);
}

export function completePath(t: TransferTarget): string {
  return join(t.root, DOWNLOAD_DIR, `${t.sha256}.tar.gz`);
}

/** Bytes already here (0 when nothing is); the size when the complete file is. */
export async function bytesHeld(t: TransferTarget): Promise<number> {
  const done = await stat(completePath(t)).then((s) => s.size, () => undefined);
  if (done !== undefined) return done;
  return stat(partPath(t)).then((s) => s.size, () => 0);
}

export async function isComplete(t: TransferTarget): Promise<boolean> {
  return stat(completePath(t)).then(() => true, () => false);
}

/** Appends `bytes` at `offset` (which must be the part file's length); returns the new length. */
export async function appendAt(t: TransferTarget, offset: number, bytes: Buffer): Promise<number> {
  await mkdir(join(t.root, DOWNLOAD_DIR), { recursive: true });
  if (offset + bytes.length > t.size) throw new UpdateFailure('download', 'TOO_LARGE', `more bytes than the announced ${t.size} (a chunk up to ${offset + bytes.length})`);
  const handle = await open(partPath(t), 'a');
  try {
    const have = (await handle.stat()).size;
    if (have !== offset) return have;
    await handle.write(bytes);
    await handle.sync();
    return have + bytes.length;
  } catch (err) {
    throw UpdateFailure.fromWrite(err);
  } finally {
    await handle.close();
  }
}

export async function truncatePart(t: TransferTarget): Promise<void> {
  await rm(partPath(t), { force: true });
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The part file is whole: its size and SHA-256 must be those of the signed command. A
 * mismatch deletes it (the next try starts over) and is refused.
 */
export async function finishTransfer(t: TransferTarget): Promise<string> {
  if (await isComplete(t)) return completePath(t);
  const part = partPath(t);
  const size = (await stat(part)).size;
  if (size !== t.size) throw new UpdateFailure('verify', 'SIZE', `${size} bytes received, the command says ${t.size} (truncated download)`);
  const actual = await sha256Of(part);
  if (actual !== t.sha256) {
    await rm(part, { force: true });
    throw new UpdateFailure('verify', 'HASH', `SHA-256 ${actual} differs from the command's ${t.sha256} (damaged or altered on the way)`);
  }
  await rename(part, completePath(t));
  return completePath(t);
}

/** Every transfer but the one named: an abandoned update's bytes do not stay on the card. */
export async function removeOtherTransfers(root: string, keepSha?: string): Promise<void> {
  const dir = join(root, DOWNLOAD_DIR);
  for (const name of await readdir(dir).catch(() => [] as string[])) if (keepSha === undefined || !name.startsWith(keepSha)) await rm(join(dir, name), { force: true });
}
