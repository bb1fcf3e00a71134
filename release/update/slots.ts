// The releases under the install root (/opt/halld) as an update sees them: `current` (what
// systemd starts), `committed` (the last release that proved itself healthy: the boot guard
// runs from it and a rollback returns to it), and at most two releases kept besides the one
// being tried, so a card never fills with old versions.
import { readdir, readlink, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CURRENT_LINK, INCOMING_PREFIX } from '../install.js';
import { MANIFEST_FILE } from '../manifest.js';
import type { UpdateState } from './update-state.js';

export const COMMITTED_LINK = 'committed';
/** Downloads and chunk transfers in progress (resumable), by the release's SHA-256. */
export const DOWNLOAD_DIR = '.download';
/** Releases kept besides the one being tried: the running one and the one before it. */
export const KEPT_RELEASES = 2;

export async function linkTarget(root: string, name: string): Promise<string | undefined> {
  try {
    return await readlink(join(root, name));
  } catch {
    return undefined;
  }
}

export interface Slots {
  readonly current?: string;
  readonly committed?: string;
  /** Every release folder under the root (a folder with a manifest), sorted by name. */
  readonly releases: readonly string[];
}

export async function readSlots(root: string): Promise<Slots> {
  const names = await readdir(root).catch(() => [] as string[]);
  const releases: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.') || name === CURRENT_LINK || name === COMMITTED_LINK) continue;
    const isRelease = await stat(join(root, name, MANIFEST_FILE)).then((s) => s.isFile(), () => false);
    if (isRelease) releases.push(name);
  }
  const current = await linkTarget(root, CURRENT_LINK);
  const committed = await linkTarget(root, COMMITTED_LINK);
  return { ...(current ? { current } : {}), ...(committed ? { committed } : {}), releases };
}

/** Which releases stay: current, committed, the last committed before them, and the one being tried. */
export function releasesToKeep(slots: Slots, state: UpdateState): Set<string> {
  const ordered = [slots.current, slots.committed, ...[...(state.history ?? [])].reverse()].filter((v): v is string => v !== undefined);
  const keep = new Set<string>();
  for (const v of ordered) if (keep.size < KEPT_RELEASES && slots.releases.includes(v) && v !== state.attempt?.to) keep.add(v);
  // current and committed are never deleted, even when they and a tried release make three.
  for (const v of [slots.current, slots.committed, state.attempt?.to, state.attempt?.from]) if (v !== undefined) keep.add(v);
  return keep;
}

/** Deletes releases outside releasesToKeep and half-unpacked folders; returns what went. */
export async function pruneReleases(root: string, state: UpdateState, extraKeep: readonly string[] = []): Promise<string[]> {
  const slots = await readSlots(root);
  const keep = releasesToKeep(slots, state);
  for (const v of extraKeep) keep.add(v);
  const removed: string[] = [];
  for (const v of slots.releases) {
    if (keep.has(v)) continue;
    await rm(join(root, v), { recursive: true, force: true });
    removed.push(v);
  }
  for (const name of await readdir(root).catch(() => [] as string[])) if (name.startsWith(INCOMING_PREFIX)) await rm(join(root, name), { recursive: true, force: true });
  return removed;
}
