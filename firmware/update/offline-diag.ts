// `halld diag --offline`: what a release can check about itself against this board's config
// without the hardware or the broker (the running halld holds both). An update runs the new
// release's own copy of it before switching to that release: its config schema accepts the
// config, its native sqlite3 loads, it can open the store as the old release left it, and the
// roles the config names exist in it.
import { checkConfigFile, problemLines } from '../config/load.js';
import type { DiagRow } from '../control/host-checks.js';
import { Sqlite } from '../store/sqlite.js';
import { ROLE_MODULES } from '../roles/index.js';
import { checkStoreSchema } from './schema-gate.js';

const pass = (name: string, detail: string, data?: Record<string, unknown>): DiagRow => ({ name, status: 'pass', detail, ...(data ? { data } : {}) });
const fail = (name: string, detail: string, data?: Record<string, unknown>): DiagRow => ({ name, status: 'fail', detail, ...(data ? { data } : {}) });

export async function offlineDiag(configFile: string): Promise<DiagRow[]> {
  const rows: DiagRow[] = [];
  const checked = await checkConfigFile(configFile);
  if (!checked.config) {
    rows.push(fail('config', problemLines(configFile, checked.problems).join('; ')));
    return rows;
  }
  const config = checked.config;
  rows.push(pass('config', `${configFile}: ok for this release`));
  try {
    const db = await Sqlite.open(':memory:');
    const row = await db.get<{ v: string }>('SELECT sqlite_version() AS v');
    await db.close();
    rows.push(pass('sqlite', `native sqlite3 loads (SQLite ${row?.v ?? '?'})`));
  } catch (err) {
    rows.push(fail('sqlite', `native sqlite3 does not load: ${(err as Error).message}`));
  }
  try {
    const verdict = await checkStoreSchema(config.dataDir);
    rows.push((verdict.ok ? pass : fail)('store-schema', verdict.detail, { applied: verdict.applied, known: verdict.known, migrates: verdict.migrates }));
  } catch (err) {
    rows.push(fail('store-schema', `cannot read ${config.dataDir}/halld.db: ${(err as Error).message}`));
  }
  const missing = Object.keys(config.roles).filter((r) => !ROLE_MODULES.some((m) => m.role === r));
  rows.push(missing.length === 0 ? pass('roles', `has ${['sys', ...Object.keys(config.roles).filter((r) => r !== 'sys')].join(', ')}`) : fail('roles', `lacks role ${missing.join(', ')}`));
  return rows;
}
