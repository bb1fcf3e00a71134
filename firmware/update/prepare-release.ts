// From a complete tarball to a verified release folder beside the running one, and that
// release's own offline self-test: everything an update does before the switch. Any refusal
// here leaves `current` and the running release untouched.
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkArch, checkSpace, INCOMING_PREFIX, inspectTarball, placeRelease, removeIncoming } from '../../release/install.js';
import { ReleaseError } from '../../release/manifest.js';
import { extractInto, readMember } from '../../release/tarball.js';
import { pruneReleases } from '../../release/update/slots.js';
import { readUpdateState } from '../../release/update/update-state.js';
import type { Timers } from '../../drivers/clock/timers.js';
import type { UpdateRequest } from './update-api.js';
import { UpdateFailure, type UpdatePhase } from './update-failure.js';
import { storageFault } from '../store/storage-fault.js';

export interface PrepareInput {
  readonly root: string;
  readonly tarball: string;
  readonly request: UpdateRequest;
  readonly publicKey: string;
  /** The release running now (never deleted, never replaced). */
  readonly running: string;
  readonly log: (line: string) => void;
}

function asFailure(phase: UpdatePhase, err: unknown): UpdateFailure {
  if (err instanceof UpdateFailure) return err;
  if (err instanceof ReleaseError) return new UpdateFailure(phase, err.code, err.message, { cause: err });
  if (storageFault(err)?.reason === 'storage full') return new UpdateFailure(phase, 'NO_SPACE', `the disk is full: ${(err as Error).message}`, { cause: err });
  return new UpdateFailure(phase, 'INTERNAL', (err as Error).message, { cause: err });
}

/** Verifies the tarball against the release key and the command, unpacks and places it; returns its folder. */
export async function prepareRelease(i: PrepareInput): Promise<string> {
  const { request } = i;
  let manifest;
  try {
    const inspected = await inspectTarball(i.tarball, i.publicKey);
    manifest = inspected.manifest;
    const signature = (await readMember(i.tarball, `${inspected.top}/manifest.sig`).catch(() => Buffer.alloc(0))).toString('utf8').trim();
    if (signature !== request.signature.trim()) throw new UpdateFailure('verify', 'SIGNATURE', "the command's signature is not the one in the release (a different release than announced)");
    if (manifest.version !== request.version) throw new UpdateFailure('verify', 'VERSION', `the tarball is release ${manifest.version}, the command says ${request.version}`);
    if (manifest.arch !== request.arch) throw new UpdateFailure('verify', 'ARCH', `the tarball is for ${manifest.arch}, the command says ${request.arch}`);
    checkArch(manifest, process.arch, i.tarball);
    if (manifest.version === i.running) throw new UpdateFailure('verify', 'VERSION', `release ${manifest.version} is already running`);
  } catch (err) {
    throw asFailure('verify', err);
  }
  try {
    await pruneReleases(i.root, await readUpdateState(i.root), [i.running]);
    await checkSpace(i.root, manifest, i.tarball);
    await removeIncoming(i.root);
    const incoming = join(i.root, `${INCOMING_PREFIX}${manifest.version}`);
    await mkdir(incoming);
    try {
      await extractInto(i.tarball, incoming);
    } catch (err) {
      await rm(incoming, { recursive: true, force: true });
      const text = (err as Error).message;
      throw /No space left/i.test(text) ? new UpdateFailure('unpack', 'NO_SPACE', text) : err;
    }
    const placed = await placeRelease(incoming, { prefix: i.root, publicKey: i.publicKey, log: i.log });
    return placed.dir;
  } catch (err) {
    throw asFailure('unpack', err);
  }
}

/** Owners whose migrations the new release would apply to the store (from its self-test's store-schema row). */
export type Migrates = Record<string, { from: number; to: number }>;

function migratesOf(stdout: string): Migrates {
  try {
    const rows = JSON.parse(stdout) as { name: string; data?: { migrates?: Migrates } }[];
    return rows.find((r) => r.name === 'store-schema')?.data?.migrates ?? {};
  } catch {
    return {};
  }
}

/** Runs `<release>/bin/node <release>/dist/halld.mjs diag --offline --json -c <config>`; resolves with what it would migrate. */
export function selfTestRelease(dir: string, configFile: string, timers: Timers, timeoutMs = 120_000): Promise<Migrates> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(dir, 'bin', 'node'), [join(dir, 'dist', 'halld.mjs'), 'diag', '--offline', '--json', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = timers.setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      timers.clearTimeout(timer);
      reject(new UpdateFailure('self-test', 'SELF_TEST', `cannot start the new release: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      timers.clearTimeout(timer);
      if (code === 0) return resolve(migratesOf(Buffer.concat(out).toString('utf8')));
      let why = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-2).join('; ');
      try {
        const rows = JSON.parse(Buffer.concat(out).toString('utf8')) as { name: string; status: string; detail: string }[];
        const failed = rows.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.detail}`);
        if (failed.length > 0) why = failed.join('; ');
      } catch {
        // not JSON: the release did not get as far as its self-test; stderr says why
      }
      reject(new UpdateFailure('self-test', 'SELF_TEST', `the new release's offline self-test failed (${signal ?? `exit ${code ?? '?'}`}): ${why || 'no output'}`));
    });
  });
}
