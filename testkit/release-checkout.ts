// A real release carrying this checkout's code: the bundle, pages, boards and the rest that
// `npm run release` takes from a checkout (release/build/release-files.ts) put into an unpacked
// real release, whose Node.js and native modules stay (they come from the same package-lock).
// For update tests whose both sides must run code this checkout changed (the release in
// build/release was built from whatever commit was built last). Used as repack-release's `change`.
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_CHUNK_DIRS, BUNDLE_FILES, isSourceMap, releaseSourcePaths } from '../release/build/release-files.js';

/** The checkout (dist/testkit/ → two up). */
const CHECKOUT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Names the checkout's built code: the bundles' entry files' bytes and their chunks' names (they carry content hashes). */
export async function checkoutCodeKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const f of BUNDLE_FILES) hash.update(await readFile(join(CHECKOUT, f)));
  for (const d of BUNDLE_CHUNK_DIRS) hash.update((await readdir(join(CHECKOUT, d))).filter((n) => !isSourceMap(n)).sort().join('\n'));
  return hash.digest('hex').slice(0, 12);
}

/** Replaces an unpacked release's code with this checkout's (package.json stays: it names the version). */
export async function putCheckoutCode(dir: string): Promise<void> {
  for (const path of await releaseSourcePaths(CHECKOUT)) {
    if (path === 'package.json') continue;
    await rm(join(dir, path), { recursive: true, force: true });
    await cp(join(CHECKOUT, path), join(dir, path), { recursive: true, filter: (src) => !isSourceMap(src) });
  }
}
