// The store across a rollback, end to end with real releases carrying this checkout's code: a
// tried release that migrates the store forward (one more core migration in its bundle) and is
// then rolled back — never pinged, or crashing after its migration — leaves the older release
// a store it opens: the boot guard copied the store before the trial and puts it back, with the
// trial's command journal and unacknowledged events carried over. The older release runs on
// its data, its boot and seq counters go on (the server would take a smaller boot for a stale
// birth and a smaller seq for a duplicate), and the rolled-back event says what was restored.
import t from 'tap';
import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appliedMigrations } from '../../firmware/store/db-copy.js';
import { CORE_MIGRATIONS } from '../../firmware/store/schema.js';
import { Sqlite } from '../../firmware/store/sqlite.js';
import { seqProblems } from '../../testkit/hall-server.js';
import { waitFor } from '../../testkit/wait.js';
import { DEVICE, missing, SLOW_MS, updateFixture, type Fixture } from './update-fixture.js';

const skip = missing();
t.setTimeout(900_000);

/** One more core migration in an unpacked release's bundle: a new column and a table holding a row. */
async function addCoreMigration(dir: string): Promise<void> {
  const marker = 'var CORE_MIGRATIONS = [';
  for (const name of await readdir(join(dir, 'dist', 'chunks'))) {
    const file = join(dir, 'dist', 'chunks', name);
    const text = await readFile(file, 'utf8');
    const at = text.indexOf(marker);
    if (at < 0) continue;
    const end = text.indexOf('\n];', at);
    if (end < 0) throw new Error(`${name}: CORE_MIGRATIONS has no end`);
    const added = ",\n  `ALTER TABLE journal ADD COLUMN source TEXT; CREATE TABLE trial_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL); INSERT INTO trial_notes (note) VALUES ('written by the trial')`";
    await writeFile(file, text.slice(0, end) + added + text.slice(end));
    return;
  }
  throw new Error('no chunk holds CORE_MIGRATIONS');
}

/** Exits with 70 right after the runtime has started (its store opened and migrated). */
async function crashAfterStart(dir: string): Promise<void> {
  for (const name of await readdir(join(dir, 'dist', 'chunks'))) {
    const file = join(dir, 'dist', 'chunks', name);
    const text = await readFile(file, 'utf8');
    if (!text.includes('"device started");')) continue;
    await writeFile(file, text.replace('"device started");', '"device started"); process.stderr.write("crash after start (test release)\\n"); process.exit(70);'));
    return;
  }
  throw new Error('no chunk logs "device started"');
}

async function testEvents(f: Fixture, tag: string, count: number, id?: string) {
  const ack = await f.server.client.command(DEVICE, 'sys/test-events', { count, tag }, { timeoutMs: 30_000, ...(id ? { id } : {}) });
  await waitFor(`${count} ${tag} events`, () => f.server.events.filter((e) => (e.message.data as { tag?: string }).tag === tag).length >= count, SLOW_MS, 100);
  return ack;
}

async function storeSchema(dataDir: string): Promise<Record<string, number>> {
  const db = await Sqlite.open(join(dataDir, 'halld.db'), 'readonly');
  try {
    return await appliedMigrations(db);
  } finally {
    await db.close();
  }
}

t.test('migrated, never pinged, rolled back at the deadline: the older release runs on its store, the trial carried over', { skip }, async (t) => {
  const f = await updateFixture(t, { checkout: true, healthDeadlineMs: 20_000 });
  const dataDir = join(f.dir, 'data');
  await f.onlineAndPinged('0.1.0');
  t.equal((await testEvents(f, 'before', 3, 'cmd-before')).ok, true);
  const bootBefore = f.server.client.status(DEVICE)?.boot ?? 0;
  const migrating = await f.release('0.1.1', 'migrates-store', addCoreMigration);
  const since = f.server.events.length;
  t.equal((await f.update({ ...migrating.offer, source: { url: f.http.serve('migrating.tar.gz', migrating.tarball) } })).ok, true);
  await f.event('update.applied', since);
  await waitFor('0.1.1 online', () => { const s = f.server.client.status(DEVICE); return s?.online === true && s.fw === '0.1.1'; }, SLOW_MS, 100);
  const trialBoot = f.server.client.status(DEVICE)?.boot ?? 0;
  t.same((await storeSchema(dataDir))['core'], CORE_MIGRATIONS.length + 1, 'the trial migrated the store forward');
  // During the trial: a command, its events delivered. Never pinged: rolled back at the deadline.
  t.equal((await testEvents(f, 'trial', 2, 'cmd-trial')).ok, true);
  const rolled = await f.event('update.rolled-back', since);
  t.match(rolled.message.data, { from: '0.1.1', to: '0.1.0', reason: /not healthy within 20 s: no sys\/ping/, store: { restored: true, schema: { trial: { core: CORE_MIGRATIONS.length + 1 }, now: { core: CORE_MIGRATIONS.length } }, kept: { commands: 1 }, lost: { events: 0, tables: { trial_notes: { before: 0, after: 1 } } }, trialCopy: 'halld-0.1.1-trial.db' } });
  t.comment(`store: ${JSON.stringify((rolled.message.data as { store?: unknown }).store)}`);
  await f.onlineAndPinged('0.1.0');
  t.ok((f.server.client.status(DEVICE)?.boot ?? 0) > trialBoot && trialBoot > bootBefore, 'the boot number went on through the trial and the restore (a smaller one is a stale birth)');
  t.same(await storeSchema(dataDir), { core: CORE_MIGRATIONS.length }, 'the older release runs on the schema it knows');
  // The journal: a command seen before the update and one the trial ran are answered, not run again.
  for (const id of ['cmd-before', 'cmd-trial']) t.match(await f.server.client.command(DEVICE, 'sys/test-events', { count: 1, tag: `again-${id}` }, { id, timeoutMs: 30_000 }), { ok: true, dup: true }, `${id} answered from the journal`);
  t.equal((await testEvents(f, 'after', 2)).ok, true, 'new events after the rollback are delivered (their seq goes on)');
  t.same(seqProblems(f.server.events), [], 'every event delivered once, in seq order, no gap: before, during and after the trial');
  t.equal(f.server.events.filter((e) => (e.message.data as { tag?: string }).tag?.startsWith('again-')).length, 0, 'nothing run twice');
  t.same(f.board.starts.map((s) => s.version), ['0.1.0', '0.1.1', '0.1.0']);
  t.ok(existsSync(join(dataDir, 'halld-0.1.1-trial.db')), "the trial's database is kept for a technician");
  t.notOk(existsSync(join(f.root, 'store-snapshot.json')), 'the record went once the rollback was reported');
});

t.test('migrated, then crashing at every start: the boot guard rolls back and restores the store', { skip }, async (t) => {
  const f = await updateFixture(t, { checkout: true });
  const dataDir = join(f.dir, 'data');
  await f.onlineAndPinged('0.1.0');
  t.equal((await testEvents(f, 'before', 2, 'cmd-before')).ok, true);
  const crashing = await f.release('0.1.2', 'migrates-then-crashes', async (dir) => {
    await addCoreMigration(dir);
    await crashAfterStart(dir);
  });
  const since = f.server.events.length;
  t.equal((await f.update({ ...crashing.offer, source: { url: f.http.serve('crashing.tar.gz', crashing.tarball) } })).ok, true);
  await f.event('update.applied', since);
  const rolled = await f.event('update.rolled-back', since);
  t.match(rolled.message.data, { from: '0.1.2', to: '0.1.0', reason: /crash loop: 3 starts of 0.1.2/, store: { restored: true, lost: { events: 0 } } });
  t.comment(`store: ${JSON.stringify((rolled.message.data as { store?: unknown }).store)}`);
  await f.onlineAndPinged('0.1.0');
  t.equal(await readlink(join(f.root, 'current')), '0.1.0');
  t.same(await storeSchema(dataDir), { core: CORE_MIGRATIONS.length });
  t.match(await f.server.client.command(DEVICE, 'sys/test-events', { count: 1, tag: 'again' }, { id: 'cmd-before', timeoutMs: 30_000 }), { ok: true, dup: true });
  t.equal((await testEvents(f, 'after', 1)).ok, true);
  t.same(seqProblems(f.server.events), []);
  t.same(f.board.starts.map((s) => s.version), ['0.1.0', '0.1.2', '0.1.2', '0.1.2', '0.1.0']);
});
