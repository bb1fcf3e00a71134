// What of the checkout goes into a release, besides node_modules and Node itself: the bundle
// (not the per-file tsc output, tests, testkit or benchmarks), and the data the bundle reads at
// run time, found from its own location as in an npm install: board definitions, the pages'
// assets, fonts, the systemd units and the example configs.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The bundles scripts/bundle.mjs writes (the device's, the CLI's, the LED panel's child): entry files, and folders of chunks. */
export const BUNDLE_FILES = ['dist/halld.mjs', 'dist/halld-cli.mjs', 'dist/panel-host-child.mjs'] as const;
export const BUNDLE_CHUNK_DIRS = ['dist/chunks', 'dist/cli-chunks'] as const;

/** Paths relative to the checkout; folders are copied whole. */
export async function releaseSourcePaths(checkout: string): Promise<string[]> {
  const paths: string[] = ['package.json', ...BUNDLE_FILES, ...BUNDLE_CHUNK_DIRS, 'fonts', 'provisioning/systemd', 'provisioning/examples'];
  for (const name of await readdir(join(checkout, 'boards'))) if (name.endsWith('.json')) paths.push(`boards/${name}`);
  // Every page's static assets: a folder named public/ anywhere under firmware/.
  const visit = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(checkout, rel), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const sub = `${rel}/${entry.name}`;
      if (entry.name === 'public') paths.push(sub);
      else await visit(sub);
    }
  };
  await visit('firmware');
  const missing = paths.filter((p) => !existsSync(join(checkout, p)));
  if (missing.length > 0) throw new Error(`not built or missing: ${missing.join(', ')} (run \`npm run build\` first)`);
  return paths.sort();
}

/** Files of the bundle that are for a developer's debugger, not for the board. */
export const isSourceMap = (path: string): boolean => path.endsWith('.map');
