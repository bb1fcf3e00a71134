// Which command ids may have a journal row. Every command used to read the journal for its id
// before it ran (the exactly-once guard across restarts): a round trip to SQLite's thread for
// an id that is, nearly always, new. The ids the journal holds now live in a filter too, and
// only an id the filter may hold is read from the journal.
//
// No id that has a row is ever missed:
// - the rows of earlier boots are read into the filter once, in the background after start;
//   until that finishes, every id is read from the journal as before;
// - every id this boot journals is added before its commit is queued;
// - pruned rows stay in the filter (an extra read, never a wrong answer) until it is rebuilt
//   from the table, when it holds twice the journal's row limit. A rebuild reads the committed
//   ids, and takes over the ids whose commit has not settled yet, so a row committed while the
//   table is read is not lost between the two filters.
import { IdFilter } from './id-filter.js';

/** Reads the journal's ids in order, `limit` at a time after `after` ('' for the first). */
export type ReadJournalIds = (after: string, limit: number) => Promise<string[]>;

const READ_CHUNK = 2_000;

export class JournalIds {
  /** Undefined until the first read of the table: every id may be there. */
  private current: IdFilter | undefined;
  private building: Promise<void> | undefined;
  private next: IdFilter | undefined;
  /** Ids whose journal commit is queued and not settled, with how many such commits. */
  private readonly unsettled = new Map<string, number>();

  /** Ids a filter is sized for: twice the journal's row limit, so it is rebuilt after as many more. */
  private readonly capacity: number;

  constructor(
    private readonly read: ReadJournalIds,
    /** The journal's row limit. */
    maxRows: number,
  ) {
    this.capacity = 2 * Math.max(1_000, maxRows);
  }

  /** Whether the journal may hold `id` (false only when it certainly does not). */
  mayHave(id: string): boolean {
    return this.current === undefined || this.current.mayHave(id);
  }

  /** Whether the earlier boots' ids are in (before that, mayHave is always true). */
  get loaded(): boolean {
    return this.current !== undefined;
  }

  /** Called before a commit that writes `id`'s row is queued, with that commit. */
  queued(id: string, commit: Promise<unknown>): void {
    this.current?.add(id);
    this.next?.add(id);
    this.unsettled.set(id, (this.unsettled.get(id) ?? 0) + 1);
    const settled = () => {
      const left = (this.unsettled.get(id) ?? 1) - 1;
      if (left === 0) this.unsettled.delete(id);
      else this.unsettled.set(id, left);
    };
    commit.then(settled, settled);
    if (this.current && this.current.added > this.capacity) void this.rebuild().catch(() => undefined);
  }

  /** Reads the table into a new filter (the first load, or a rebuild); one at a time. */
  rebuild(): Promise<void> {
    this.building ??= this.readAll().finally(() => {
      this.building = undefined;
      this.next = undefined;
    });
    return this.building;
  }

  private async readAll(): Promise<void> {
    const next = new IdFilter(this.capacity);
    this.next = next;
    for (const id of this.unsettled.keys()) next.add(id);
    for (let after = ''; ; ) {
      const ids = await this.read(after, READ_CHUNK);
      for (const id of ids) next.add(id);
      if (ids.length < READ_CHUNK) break;
      after = ids[ids.length - 1] as string;
    }
    this.current = next;
  }
}
