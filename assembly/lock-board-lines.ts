// The Hal's lock boards: io.lockBoards grouped by serial part. The first board asked for on a
// line opens the line (the Hal's own serial part, so a replugged port is reopened like any
// other) and every board on it at once, sharing one bus; the driver (drivers/lock-board) is
// imported then. A failed open is forgotten, so the next call tries again.
import type { Clock, LockBoard, SerialLink } from '../drivers/hal/types.js';
import type { LockBoardSpec } from '../drivers/hal/part-specs.js';
import type { Timers } from '../drivers/clock/timers.js';
import { notConfigured } from '../drivers/hal/not-configured.js';

export interface LockBoardLinesOptions {
  specs: readonly LockBoardSpec[];
  openLink(serial: string): Promise<SerialLink>;
  clock: Clock;
  timers?: Timers;
  onListenerError?: (part: string, err: unknown) => void;
}

export class LockBoardLines {
  private readonly specs: Map<string, LockBoardSpec>;
  private readonly lines = new Map<string, Promise<Map<string, LockBoard>>>();

  constructor(private readonly options: LockBoardLinesOptions) {
    this.specs = new Map(options.specs.map((s) => [s.name, s]));
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  spec(name: string): LockBoardSpec | undefined {
    return this.specs.get(name);
  }

  async open(name: string): Promise<LockBoard> {
    const spec = this.specs.get(name);
    if (!spec) throw notConfigured('lockBoards', name, this.specs.keys());
    const boards = await this.line(spec.serial);
    const board = boards.get(name);
    if (!board) throw notConfigured('lockBoards', name, boards.keys()); // resolveIo put every board of the line in the map
    return board;
  }

  /** Closes every opened board; the last board on a line closes the line. */
  async close(): Promise<void> {
    const lines = await Promise.all([...this.lines.values()].map((p) => p.catch(() => new Map<string, LockBoard>())));
    await Promise.all(lines.flatMap((boards) => [...boards.values()].map((b) => b.close().catch(() => undefined))));
  }

  private line(serial: string): Promise<Map<string, LockBoard>> {
    const cached = this.lines.get(serial);
    if (cached) return cached;
    const opening = (async () => {
      const link = await this.options.openLink(serial);
      const { lockBoardsOnLink } = await import('../drivers/lock-board/open-lock-boards.js');
      const boards = Object.fromEntries([...this.specs.values()].filter((s) => s.serial === serial).map(({ name, ...settings }) => [name, settings]));
      return lockBoardsOnLink({
        link,
        reopen: () => this.options.openLink(serial),
        boards,
        clock: this.options.clock,
        ...(this.options.timers ? { timers: this.options.timers } : {}),
        ...(this.options.onListenerError ? { onListenerError: this.options.onListenerError } : {}),
      });
    })();
    this.lines.set(serial, opening);
    opening.catch(() => {
      if (this.lines.get(serial) === opening) this.lines.delete(serial);
    });
    return opening;
  }
}
