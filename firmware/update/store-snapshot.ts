// The store across a rollback. Migrations are forward-only: a tried release that migrated the
// store leaves a database the release it goes back to refuses. So before the tried release
// first opens the data dir, the boot guard (running from the committed release, with no halld
// running) copies the store; after a rollback, if the store is at a schema the committed
// release cannot open, the copy is put back — with what the trial wrote that the older release
// can still hold carried into it: the unacknowledged outbox events (seq goes on, so the server
// neither sees a seq twice nor misses one), the command journal (a command the trial ran is
// still answered from it, never run again), the audit rows, and the boot and seq counters. What
// the trial wrote into role tables is not carried (their rows are in the newer schema): the
// report lists those tables, and the trial's database is kept beside the store.
import { copyFile, link, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appliedMigrations, copyDatabase } from '../store/db-copy.js';
import { Sqlite, type Row, type SqlValue } from '../store/sqlite.js';
import { fsyncPath } from '../../release/update/durable-file.js';
import { SNAPSHOT_FILE, type SchemaCounts, type StoreRestoreReport, type StoreSnapshotRecord } from './snapshot-record.js';

const DB_FILE = 'halld.db';
/** Tables whose trial rows are carried into the restored store (the runtime's own, shape-checked). */
const CARRIED = ['outbox', 'journal', 'audit', 'meta'];
const NOT_DATA = new Set(['migrations', 'sqlite_sequence', ...CARRIED]);
/** Meta keys carried: counters that must never go back, and which update outcomes were reported. */
const CARRIED_META = (key: string) => key === 'boot' || key === 'lastSeq' || key === 'dropped' || key.startsWith('update.reported.');
/** Tables larger than this are compared by row count only (the guard runs before halld starts). */
const COMPARE_ROWS = 50_000;

export interface TakenSnapshot {
  readonly file?: string;
  readonly applied?: SchemaCounts;
  readonly bytes?: number;
}

/** Copies the data dir's store to <dataDir>/update-snapshot.db; nothing when there is no store yet. */
export async function takeStoreSnapshot(dataDir: string): Promise<TakenSnapshot> {
  const live = join(dataDir, DB_FILE);
  if (!existsSync(live)) return {};
  const file = join(dataDir, SNAPSHOT_FILE);
  const tmp = `${file}.tmp`;
  // Read-write: a store whose halld was killed still has its WAL, which only a writer may recover.
  const db = await Sqlite.open(live);
  let applied: SchemaCounts;
  try {
    await db.exec('PRAGMA busy_timeout=5000');
    applied = await appliedMigrations(db);
    await copyDatabase(db, tmp);
  } finally {
    await db.close();
  }
  await rename(tmp, file);
  await fsyncPath(dataDir);
  return { file, applied, bytes: (await stat(file)).size };
}

interface Column {
  readonly name: string;
  /** NOT NULL without a default and not the rowid: an insert must name it. */
  readonly required: boolean;
}

async function tableColumns(db: Sqlite, table: string): Promise<Column[]> {
  const rows = await db.all<{ name: string; notnull: number; dflt_value: SqlValue; pk: number }>(`PRAGMA table_info("${table}")`);
  return rows.map((r) => ({ name: String(r.name), required: Number(r.notnull) === 1 && r.dflt_value === null && Number(r.pk) === 0 }));
}

async function tableNames(db: Sqlite): Promise<string[]> {
  return (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).map((r) => String(r.name));
}

/** Columns of `table` in both databases, or undefined when the older one needs a column the trial's lacks. */
async function sharedColumns(trial: Sqlite, older: Sqlite, table: string, skip: readonly string[] = []): Promise<string[] | undefined> {
  const a = await tableColumns(trial, table);
  const b = await tableColumns(older, table);
  if (a.length === 0 || b.length === 0) return undefined;
  const names = new Set(a.map((c) => c.name));
  if (b.some((c) => c.required && !names.has(c.name) && !skip.includes(c.name))) return undefined;
  return b.map((c) => c.name).filter((n) => names.has(n) && !skip.includes(n));
}

const quoted = (cols: readonly string[]) => cols.map((c) => `"${c}"`).join(', ');

async function insertRows(db: Sqlite, table: string, cols: readonly string[], rows: readonly Row[], verb = 'INSERT'): Promise<void> {
  const sql = `${verb} INTO "${table}" (${quoted(cols)}) VALUES (${cols.map(() => '?').join(', ')})`;
  for (const r of rows) await db.run(sql, cols.map((c) => r[c] ?? null));
}

async function tableDigest(db: Sqlite, table: string, cols: readonly string[]): Promise<{ rows: number; text?: string }> {
  const rows = Number((await db.get<{ n: number }>(`SELECT count(*) AS n FROM "${table}"`))?.n ?? 0);
  if (rows > COMPARE_ROWS || cols.length === 0) return { rows };
  const all = await db.all(`SELECT ${quoted(cols)} FROM "${table}" ORDER BY ${quoted(cols)}`);
  return { rows, text: JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v)) };
}

/** Role tables the restored store holds differently from the trial's: what the trial wrote that is not carried. */
async function lostTables(trial: Sqlite, older: Sqlite): Promise<Record<string, { before: number; after: number; changed: boolean }>> {
  const lost: Record<string, { before: number; after: number; changed: boolean }> = {};
  const olderTables = await tableNames(older);
  for (const table of await tableNames(trial)) {
    if (NOT_DATA.has(table)) continue;
    if (!olderTables.includes(table)) {
      const after = Number((await trial.get<{ n: number }>(`SELECT count(*) AS n FROM "${table}"`))?.n ?? 0);
      if (after > 0) lost[table] = { before: 0, after, changed: true };
      continue;
    }
    const b = await tableColumns(older, table);
    const names = new Set((await tableColumns(trial, table)).map((c) => c.name));
    const cols = b.map((c) => c.name).filter((n) => names.has(n));
    const [was, is] = [await tableDigest(older, table, cols), await tableDigest(trial, table, cols)];
    const changed = was.text !== undefined && is.text !== undefined ? was.text !== is.text : was.rows !== is.rows;
    if (changed) lost[table] = { before: was.rows, after: is.rows, changed };
  }
  return lost;
}

function beyond(applied: SchemaCounts, known: SchemaCounts): string[] {
  return Object.entries(applied).filter(([owner, n]) => n > (known[owner] ?? 0)).map(([owner, n]) => `${owner} ${n} (this release knows ${known[owner] ?? 0})`);
}

/**
 * After a rollback, before the older release starts: gives it back a store it can open.
 * `known` is the migrations the older release (the one running this) carries.
 */
export async function restoreStore(record: StoreSnapshotRecord, known: SchemaCounts): Promise<StoreRestoreReport> {
  const live = join(record.dataDir, DB_FILE);
  if (!existsSync(live)) return { restored: false, detail: 'no store in the data dir: nothing to restore' };
  const trial = await Sqlite.open(live);
  let trialApplied: SchemaCounts;
  try {
    await trial.exec('PRAGMA busy_timeout=5000');
    trialApplied = await appliedMigrations(trial);
  } catch (err) {
    await trial.close();
    throw err;
  }
  const newer = beyond(trialApplied, known);
  if (newer.length === 0) {
    await trial.close();
    return { restored: false, detail: `${record.to} left the store at a schema ${record.from} opens: kept as it is, nothing of the trial lost`, schema: { trial: trialApplied, now: trialApplied } };
  }
  const snapshot = join(record.dataDir, SNAPSHOT_FILE);
  if (record.phase !== 'taken' || !existsSync(snapshot)) {
    await trial.close();
    return { restored: false, detail: `${record.to} migrated the store (${newer.join(', ')}) and no snapshot was taken before its trial: ${record.from} cannot open it`, schema: { trial: trialApplied, now: trialApplied } };
  }
  const tmp = join(record.dataDir, `${DB_FILE}.restore-tmp`);
  await rm(tmp, { force: true });
  await copyFile(snapshot, tmp);
  const older = await Sqlite.open(tmp);
  let report: StoreRestoreReport;
  try {
    report = await carryTrial(trial, older, record, trialApplied, newer);
    // Every frame of the trial's WAL into its main file, so the file kept for a technician is whole.
    await trial.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await older.close();
    await trial.close();
  }
  await fsyncPath(tmp);
  for (const side of ['-wal', '-shm', '-journal']) {
    // The trial's WAL would be replayed onto the restored file: it must be gone (closing checkpointed it).
    const f = `${live}${side}`;
    if (existsSync(f) && side === '-wal' && (await stat(f)).size > 0) throw new Error(`${f} still holds frames after the trial's database was closed; not restoring over it`);
    await rm(f, { force: true });
    await rm(`${tmp}${side}`, { force: true });
  }
  const trialCopy = `halld-${record.to}-trial.db`;
  await rm(join(record.dataDir, trialCopy), { force: true });
  await link(live, join(record.dataDir, trialCopy));
  await rename(tmp, live);
  await fsyncPath(record.dataDir);
  await rm(snapshot, { force: true });
  return { ...report, trialCopy };
}

async function carryTrial(trial: Sqlite, older: Sqlite, record: StoreSnapshotRecord, trialApplied: SchemaCounts, newer: string[]): Promise<StoreRestoreReport> {
  const takenAt = record.takenAt ?? 0;
  const lost = await lostTables(trial, older);
  const outbox = await trial.all('SELECT * FROM outbox ORDER BY seq');
  const outboxCols = await sharedColumns(trial, older, 'outbox');
  const journalCols = await sharedColumns(trial, older, 'journal');
  const auditCols = await sharedColumns(trial, older, 'audit', ['id']);
  const journal = journalCols ? await trial.all('SELECT * FROM journal') : [];
  const audit = auditCols ? await trial.all('SELECT * FROM audit WHERE ts >= ? ORDER BY id', [takenAt]) : [];
  const meta = (await trial.all<{ key: string; value: string }>('SELECT key, value FROM meta')).filter((m) => CARRIED_META(String(m.key)));
  const num = async (db: Sqlite, key: string) => Number((await db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]))?.value ?? 0);
  const newCommands = journal.filter((r) => Number(r['received_at']) >= takenAt).length;
  await older.run('BEGIN IMMEDIATE');
  try {
    if (outboxCols) {
      // The trial's outbox is the truth about what the server has not acknowledged.
      await older.run('DELETE FROM outbox');
      await insertRows(older, 'outbox', outboxCols, outbox);
    }
    if (journalCols) {
      await older.run('DELETE FROM journal');
      await insertRows(older, 'journal', journalCols, journal);
    }
    if (auditCols) await insertRows(older, 'audit', auditCols, audit);
    for (const m of meta) {
      const value = m.key === 'boot' || m.key === 'lastSeq' ? String(Math.max(Number(m.value), await num(older, String(m.key)))) : m.value;
      await older.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [m.key, value]);
    }
    await older.run('COMMIT');
  } catch (err) {
    await older.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  const seqs = outbox.map((r) => Number(r['seq']));
  const eventsLost = outboxCols ? 0 : outbox.length;
  const tables = Object.keys(lost);
  const detail = [
    `${record.to} migrated the store (${newer.join(', ')}); put back the copy taken before its trial`,
    outboxCols ? `${outbox.length} unacknowledged event${outbox.length === 1 ? '' : 's'} carried over` : `${outbox.length} unacknowledged events not carried (the outbox's shape changed)`,
    tables.length > 0 ? `what the trial wrote to ${tables.join(', ')} is not in the restored store (kept in halld-${record.to}-trial.db)` : 'the trial wrote nothing else',
  ].join('; ');
  return {
    restored: true,
    detail,
    schema: { trial: trialApplied, now: record.applied ?? {} },
    snapshotAt: takenAt,
    kept: { events: outboxCols ? outbox.length : 0, ...(seqs.length > 0 && outboxCols ? { eventSeqs: [Math.min(...seqs), Math.max(...seqs)] as const } : {}), commands: journalCols ? newCommands : 0, audit: audit.length },
    lost: { events: eventsLost, tables: lost },
  };
}
