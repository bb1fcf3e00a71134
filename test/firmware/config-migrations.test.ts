// The config `version` and its migrations: an old file is brought to the current version in
// memory, step by step, before it is checked; a newer file or a gap in the chain is refused
// with one sentence. Version 1 is the first real one, so the migration here is a fake v0.
import t from 'tap';
import { migrateConfig, CONFIG_VERSION, type ConfigMigration } from '../../firmware/config/migrations.js';
import { checkParsed } from '../../firmware/config/load.js';
import { ROLE_MODULES } from '../../firmware/roles/index.js';

// A made-up version 0 that called the data directory "data" and the hall "site".
const fakeV0: ConfigMigration = {
  from: 0,
  summary: 'site -> hall, data -> dataDir',
  migrate: ({ site, data, ...rest }) => ({ ...rest, version: 1, hall: site, dataDir: data }),
};

t.test('a v0 file is migrated to v1 and then passes the v1 checks', async (t) => {
  const v0 = { version: 0, site: 'hall-1', device: 'kiosk-1', data: './data' };
  const result = migrateConfig(v0, [fakeV0], 1);
  t.same(result, { ok: true, raw: { version: 1, hall: 'hall-1', device: 'kiosk-1', dataDir: './data' }, applied: ['0 -> 1: site -> hall, data -> dataDir'] });
  t.same(v0, { version: 0, site: 'hall-1', device: 'kiosk-1', data: './data' }, 'the input is not changed');
  if (!result.ok) return;
  const checked = checkParsed(result.raw, '/tmp', ROLE_MODULES);
  t.same(checked.problems, [], 'the migrated file is a valid v1 config');
  t.equal(checked.config?.version, 1);
});

t.test('current, newer and unbridgeable versions', async (t) => {
  t.equal(CONFIG_VERSION, 1);
  t.same(migrateConfig({ hall: 'h' }), { ok: true, raw: { hall: 'h' }, applied: [] }, 'no version: the current one');
  t.match(migrateConfig({ version: 2 }), { ok: false, message: 'this file is version 2, written for a newer halld; this halld reads up to version 1' });
  t.match(migrateConfig({ version: 0 }), { ok: false, message: 'version 0 files are no longer read by this halld (no migration from 0 to 1)' });
  t.match(migrateConfig({ version: '1' }), { ok: false, message: /expected a whole number/ });
  const broken: ConfigMigration = { from: 0, summary: 'forgets the version', migrate: (raw) => raw };
  t.match(migrateConfig({ version: 0 }, [broken], 1), { ok: false, message: 'migration from version 0 did not produce version 1' });
});
