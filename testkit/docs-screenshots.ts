// Where a page test writes its screenshots. A normal test run must not rewrite tracked files,
// so they go to a temp folder (removed at the end) unless HALLD_UPDATE_DOCS=1 asks for the
// docs/ copies to be refreshed: `HALLD_UPDATE_DOCS=1 node scripts/run-tests.mjs <test>`.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** True when this run should refresh the screenshots under docs/. */
export function updatingDocs(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['HALLD_UPDATE_DOCS'] === '1';
}

/** The folder for screenshots of `docsSubdir` (e.g. "evaluator"): docs/<it>/ when updating, else a temp folder. */
export async function screenshotDir(t: Teardown, docsSubdir: string): Promise<string> {
  if (!updatingDocs()) return tempDir(t, `halld-shots-${docsSubdir.replaceAll('/', '-')}-`);
  const dir = join(REPO, 'docs', docsSubdir);
  await mkdir(dir, { recursive: true });
  return dir;
}
