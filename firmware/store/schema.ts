// The runtime's own tables. Roles add theirs through Store.migrate with their role name as
// the key, so each role's schema evolves on its own.

export const CORE_MIGRATIONS: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // The outbox holds every event until the server acknowledges it on evt-ack.
  `CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL,
     name TEXT NOT NULL,
     durable INTEGER NOT NULL,
     boot INTEGER NOT NULL,
     up INTEGER NOT NULL,
     ts INTEGER NOT NULL,
     data TEXT NOT NULL)`,
  `CREATE INDEX outbox_droppable ON outbox (durable, seq)`,
  // One row per command id ever seen (pruned by age): the exactly-once guard.
  `CREATE TABLE journal (
     id TEXT PRIMARY KEY,
     role TEXT NOT NULL,
     name TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('received', 'actuating', 'done')),
     ack TEXT,
     received_at INTEGER NOT NULL)`,
  `CREATE INDEX journal_age ON journal (received_at)`,
  `CREATE TABLE role_state (role TEXT PRIMARY KEY, data TEXT NOT NULL, ts INTEGER NOT NULL)`,
  `CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     ts INTEGER NOT NULL,
     kind TEXT NOT NULL,
     detail TEXT NOT NULL)`,
];
