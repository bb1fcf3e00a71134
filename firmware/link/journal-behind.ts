// The journal rows of read-only commands (`effect: 'none'`, e.g. sys/ping), written behind the
// answer in batches. Such a command is answered before its row is committed (nothing durable
// depends on it; a repeat meanwhile is answered from memory), so a row costs nobody a wait;
// written one commit per command they still cost the device a transaction and an fsync each,
// in the middle of the next command. Gathered for `delayMs` (or `maxRows`), they cost one.
// What a power cut can lose is unchanged in kind: the rows of the last moment, whose commands
// changed nothing and whose repeat after the restart runs again and changes nothing again.
import type { Store } from '../store/store.js';
import type { Timers, TimerHandle } from '../../drivers/clock/timers.js';
import type { FinishedRow } from './command-journal.js';
import { finishRowsStatement } from './command-journal.js';

interface Batch {
  rows: FinishedRow[];
  /** Settles (never rejects) once the batch's commit has succeeded or failed. */
  settled: Promise<void>;
  done: () => void;
}

export interface JournalBehindOptions {
  store: Store;
  timers: Timers;
  /** How long a row may wait for others. */
  delayMs?: number;
  /** A batch this large is written at once. */
  maxRows?: number;
  /** Told after each batch's commit, with its row count. */
  written: (rows: number) => void;
  /** Told when a batch could not be written (its commands were answered; a repeat of one after a restart runs again). */
  failed: (err: unknown, rows: number) => void;
}

export class JournalBehind {
  private batch: Batch | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly options: JournalBehindOptions) {}

  /** Queues the row; the promise settles once its batch's commit has succeeded or failed. */
  add(row: FinishedRow): Promise<void> {
    const batch = (this.batch ??= newBatch());
    batch.rows.push(row);
    if (this.stopped || batch.rows.length >= (this.options.maxRows ?? 100)) this.write();
    else this.timer ??= this.options.timers.setTimeout(() => this.write(), this.options.delayMs ?? 50);
    return batch.settled;
  }

  /** Writes what is waiting now, and every later row at once (the device is stopping). */
  async stop(): Promise<void> {
    this.stopped = true;
    const waiting = this.batch?.settled;
    this.write();
    await waiting;
  }

  private write(): void {
    this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    this.batch = undefined;
    if (!batch) return;
    this.options.store
      .commit([finishRowsStatement(batch.rows, this.options.store.now())])
      .then(
        () => this.options.written(batch.rows.length),
        (err: unknown) => this.options.failed(err, batch.rows.length),
      )
      .finally(batch.done);
  }
}

function newBatch(): Batch {
  let done!: () => void;
  const settled = new Promise<void>((resolve) => (done = resolve));
  return { rows: [], settled, done };
}
