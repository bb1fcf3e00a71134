// Builds LockBoards from io.lockBoards settings: one LockBus per serial part, shared by every
// board on it, closed (with its line) when its last board closes. The HAL assembly calls this
// with the serial parts it opened.
import type { LockBoard } from '../hal/lock-board.js';
import type { Clock, SerialLink } from '../hal/types.js';
import type { Timers } from '../clock/timers.js';
import type { LockBoardCodec } from './codec.js';
import type { LockBoardSettings } from './config.js';
import { LOCK_BOARD_FAMILIES } from './families.js';
import { LockBus } from './lock-bus.js';
import { SerialLockBoard } from './serial-lock-board.js';

export function codecFor(settings: LockBoardSettings): LockBoardCodec {
  return LOCK_BOARD_FAMILIES[settings.protocol].codec(settings);
}

export interface LockBoardsOnLinkOptions {
  /** The open serial part; the last board's close() closes it. */
  link: SerialLink;
  /** Opens the line again after it went away (an unplugged adapter); without it the boards stay CLOSED. */
  reopen?: () => Promise<SerialLink>;
  /** Board name → settings; every board here is on `link`. */
  boards: Readonly<Record<string, LockBoardSettings>>;
  clock: Pick<Clock, 'monotonicMs'>;
  timers?: Timers;
  onListenerError?: (part: string, err: unknown) => void;
}

/** The boards on one serial line, sharing one bus (one transaction at a time). */
export function lockBoardsOnLink(options: LockBoardsOnLinkOptions): Map<string, LockBoard> {
  const entries = Object.entries(options.boards);
  const addresses = new Map<string, string>();
  for (const [name, settings] of entries) {
    const key = `${settings.protocol}/${settings.address}`;
    const other = addresses.get(key);
    if (other) throw new RangeError(`io.lockBoards.${name}: ${other} already has ${settings.protocol} address ${settings.address} on ${options.link.name}`);
    addresses.set(key, name);
  }
  // The gap is a property of the line; the longest any board asks for wins.
  const frameGapMs = Math.max(...entries.map(([, s]) => s.frameGapMs));
  const bus = new LockBus({ link: options.link, ...(options.reopen ? { reopen: options.reopen } : {}), clock: options.clock, ...(options.timers ? { timers: options.timers } : {}), ...(entries.length ? { frameGapMs } : {}) });
  let open = entries.length;
  const release = async (): Promise<void> => {
    open -= 1;
    if (open === 0) await bus.close();
  };
  const boards = new Map<string, LockBoard>();
  for (const [name, settings] of entries) {
    boards.set(
      name,
      new SerialLockBoard({
        name,
        protocol: settings.protocol,
        locks: settings.locks,
        codec: codecFor(settings),
        bus,
        clock: options.clock,
        retries: settings.retries,
        replyTimeoutMs: settings.replyTimeoutMs,
        release,
        ...(options.onListenerError ? { onListenerError: options.onListenerError } : {}),
      }),
    );
  }
  return boards;
}
