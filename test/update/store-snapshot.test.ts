// The store across a rollback, in process: the boot guard's copy before the tried release's
// first start, the tried release migrating the store forward and writing during its trial,
// the rollback, the guard's restore, and the older release (this checkout's Store) opening the
// result with its data, the trial's unacknowledged events and command journal carried over,
// its boot and seq counters going on; the rolled-back event saying what was restored and lost.
import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { rollBack } from '../../release/update/boot-guard.js';
import { readUpdateState, writeUpdateState, type UpdateAttempt } from '../../release/update/update-state.js';
import { Store, type NewEvent } from '../../firmware/store/store.js';
import { CORE_MIGRATIONS } from '../../firmware/store/schema.js';
import { Sqlite } from '../../firmware/store/sqlite.js';
import { appliedMigrations } from '../../firmware/store/db-copy.js';
import { CommandJournal } from '../../firmware/link/command-journal.js';
import { reportOutcomes } from '../../firmware/update/outcome-reporter.js';
import { readSnapshotRecord, SNAPSHOT_FILE, writeSnapshotRecord, type StoreRestoreReport } from '../../firmware/update/snapshot-record.js';
import { settleStoreAfterTrial, snapshotBeforeTrial } from '../../firmware/update/store-guard.js';
import { tempDir } from '../../testkit/temp.js';
import { runCli } from '../../testkit/device-process.js';

/** The tried release's one new core migration: a new column and a table the older release does not know. */
const TRIAL_MIGRATION = "ALTER TABLE journal ADD COLUMN source TEXT; CREATE TABLE trial_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL)";
const event = (tag: string): NewEvent => ({ role: 'sys', name: 'test-event', data: { tag }, durable: true });

async function board(t: Test) {
  const dir = await tempDir(t, 'halld-store-snapshot-');
  const root = join(dir, 'opt');
  const dataDir = join(dir, 'data');
  for (const v of ['0.1.0', '0.1.1']) await mkdir(join(root, v), { recursive: true });
  await symlink('0.1.0', join(root, 'committed'));
  // What the updater does at the switch: the record (where the store is), the attempt, current.
  const attempt: UpdateAttempt = { id: 'upd-7', from: '0.1.0', to: '0.1.1', switchedAt: Date.now(), boots: 0, maxBoots: 3, phase: 'trying', faultsBefore: [] };
  const switchToTrial = async (migrates: Record<string, { from: number; to: number }>) => {
    await writeSnapshotRecord(root, { format: 1, attemptId: attempt.id, from: '0.1.0', to: '0.1.1', dataDir, migrates, phase: 'planned' });
    await writeUpdateState(root, { format: 1, outcomes: [], attempt });
    await symlink('0.1.1', join(root, 'current'));
  };
  const rollBackNow = async () => rollBack(root, await readUpdateState(root), attempt, 'not healthy within 20 s: no sys/ping from the server', Date.now());
  return { dir, root, dataDir, attempt, switchToTrial, rollBackNow };
}

t.test('a tried release that migrated the store and was rolled back: the older release gets its store back, the trial carried over', async (t) => {
  const b = await board(t);
  // The older release's life before the update: events (some acknowledged), a command, an audit row.
  const old = await Store.open(b.dataDir, { clock: systemClock });
  await old.commit([], [event('before-1'), event('before-2'), event('before-3')]);
  await old.acknowledgeUpTo(2);
  await new CommandJournal(old).begin('cmd-before', 'locker', 'open', 'actuating');
  await old.commit([new CommandJournal(old).finishStatement('cmd-before', 'locker', 'open', '{"ok":true}')]);
  const oldBoot = old.boot;
  await old.close();

  await b.switchToTrial({ core: { from: CORE_MIGRATIONS.length, to: CORE_MIGRATIONS.length + 1 } });
  t.match(await snapshotBeforeTrial(b.root, Date.now()), /store copied before the trial of 0.1.1/);
  t.equal((await readSnapshotRecord(b.root))?.phase, 'taken');

  // The trial: migrates core forward, writes events (some delivered), runs a command, writes its own table.
  const trial = await Store.open(b.dataDir, { clock: systemClock });
  await trial.migrate('core', [...CORE_MIGRATIONS, TRIAL_MIGRATION]);
  const trialEvents = await trial.commit([{ sql: "INSERT INTO trial_notes (note) VALUES ('written in the trial')" }], [event('trial-1'), event('trial-2'), event('trial-3')]);
  await trial.acknowledgeUpTo(trialEvents[0]!.seq);
  await new CommandJournal(trial).begin('cmd-trial', 'locker', 'open', 'actuating');
  await trial.commit([new CommandJournal(trial).finishStatement('cmd-trial', 'locker', 'open', '{"ok":true,"trial":true}')]);
  const trialBoot = trial.boot;
  const trialLastSeq = trial.outboxStats().lastSeq;
  await trial.close();

  await b.rollBackNow();
  t.match(await settleStoreAfterTrial(b.root), /store: 0.1.1 migrated the store \(core \d+ \(this release knows \d+\)\); put back the copy/);
  const record = await readSnapshotRecord(b.root);
  t.equal(record?.phase, 'restored');
  const report = record?.report as StoreRestoreReport;
  t.match(report, { restored: true, kept: { events: 2, eventSeqs: [trialLastSeq - 1, trialLastSeq], commands: 1 }, lost: { events: 0, tables: { trial_notes: { before: 0, after: 1 } } }, trialCopy: 'halld-0.1.1-trial.db' });
  t.notOk(existsSync(join(b.dataDir, SNAPSHOT_FILE)), 'the copy was used up');
  t.match((await runCli(['update', 'status', '--root', b.root], 60_000)).stdout, /store copy restored for the trial of 0.1.1 \(from 0.1.0, data dir .*\): 0.1.1 migrated the store/, 'halld update status shows it');

  // The older release (this checkout's store, which knows CORE_MIGRATIONS) opens it.
  const back = await Store.open(b.dataDir, { clock: systemClock });
  t.teardown(() => back.close());
  t.ok(back.boot > trialBoot && trialBoot > oldBoot, `the boot number goes on: ${oldBoot}, trial ${trialBoot}, back ${back.boot}`);
  const pending = await back.outboxAfter(0, 100);
  t.same(pending.map((e) => JSON.parse(e.data) as { tag: string }).map((d) => d.tag), ['trial-2', 'trial-3'], 'the trial\'s outbox: what the server acknowledged during the trial (up to trial-1) is not sent again');
  const [next] = await back.commit([], [event('after')]);
  t.equal(next?.seq, trialLastSeq + 1, 'seq goes on after the trial\'s: the server neither sees one twice nor misses one');
  t.equal((await new CommandJournal(back).get('cmd-trial'))?.state, 'done', 'a command the trial ran is answered from the journal, not run again');
  t.equal((await new CommandJournal(back).get('cmd-before'))?.state, 'done');
  t.same(await back.all("SELECT name FROM sqlite_master WHERE name = 'trial_notes'"), [], 'the older release\'s schema');

  const kept = await Sqlite.open(join(b.dataDir, 'halld-0.1.1-trial.db'), 'readonly');
  t.equal((await appliedMigrations(kept))['core'], CORE_MIGRATIONS.length + 1, 'the trial\'s own database is kept for a technician');
  t.same(await kept.all('SELECT note FROM trial_notes'), [{ note: 'written in the trial' }]);
  await kept.close();

  // The older release's start reports the rollback with what happened to the store; the record goes.
  const emitted: { name: string; data: Record<string, unknown> }[] = [];
  await reportOutcomes(b.root, back, async (name, data, statements) => {
    emitted.push({ name, data });
    await back.commit(statements);
  });
  t.match(emitted, [{ name: 'update.rolled-back', data: { from: '0.1.1', to: '0.1.0', reason: /no sys\/ping/, store: { restored: true, kept: { events: 2 }, lost: { tables: { trial_notes: {} } } } } }]);
  t.equal(await readSnapshotRecord(b.root), undefined, 'reported: the record is gone');
});

t.test('a tried release that did not migrate (it crashed first): the store is kept as it is, nothing lost', async (t) => {
  const b = await board(t);
  const old = await Store.open(b.dataDir, { clock: systemClock });
  await old.commit([], [event('before-1')]);
  await old.close();
  await b.switchToTrial({ core: { from: CORE_MIGRATIONS.length, to: CORE_MIGRATIONS.length + 1 } });
  await snapshotBeforeTrial(b.root, Date.now());
  await b.rollBackNow();
  t.match(await settleStoreAfterTrial(b.root), /kept as it is, nothing of the trial lost/);
  t.match((await readSnapshotRecord(b.root))?.report, { restored: false });
  const back = await Store.open(b.dataDir, { clock: systemClock });
  t.teardown(() => back.close());
  t.equal((await back.outboxAfter(0, 10)).length, 1);
});

t.test('a committed trial: the copy is dropped; a first boot without a store: nothing to copy', async (t) => {
  const b = await board(t);
  await b.switchToTrial({});
  t.match(await snapshotBeforeTrial(b.root, Date.now()), /no store yet/);
  t.equal((await readSnapshotRecord(b.root))?.phase, 'none');
  await writeUpdateState(b.root, { format: 1, outcomes: [] });
  t.match(await settleStoreAfterTrial(b.root), /dropped \(committed\)/);
  t.equal(await readSnapshotRecord(b.root), undefined);
});

t.test('a store that cannot be copied: a release that migrates it is not started, one that does not is', async (t) => {
  const b = await board(t);
  await mkdir(b.dataDir, { recursive: true });
  // A directory where the copy must go: the copy fails as it would on a full or read-only disk.
  await mkdir(join(b.dataDir, 'halld.db'));
  await b.switchToTrial({ core: { from: 8, to: 9 } });
  t.match(await snapshotBeforeTrial(b.root, Date.now()), /could not be copied before the trial .*so it was not started/);
  const state = await readUpdateState(b.root);
  t.equal(state.attempt, undefined);
  t.match(state.outcomes, [{ kind: 'rolled-back', from: '0.1.1', to: '0.1.0', reason: /could not be copied/ }]);
});
