// One door as the cabinet knows it at run time: its config, what the sensors said last, and
// what it is waiting for (an unlock being confirmed, a drop-off to be closed).
import type { TimerHandle } from '../../../drivers/clock/timers.js';
import type { DoorSize } from '../../../protocol/locker.js';
import type { LockerDoorConfig } from './config.js';

export interface PendingDropOff {
  depositId: string;
  receiptCode: string;
}

export interface DoorModel {
  readonly door: number;
  readonly board: string;
  readonly lock: number;
  readonly size: DoorSize;
  enabled: boolean;
  /** Last sensor reading; undefined until the first poll. */
  open: boolean | undefined;
  /** Infrared item sensor, where the board has one. */
  itemPresent: boolean | undefined;
  /** monotonicMs when it was last seen opening. */
  openedAtMs: number;
  /** An unlock of ours is being confirmed: an open seen meanwhile is not forced. */
  expecting: boolean;
  leftOpenTimer: TimerHandle | undefined;
  /** The active deposit in it (certificate or drop-off). */
  depositId: string | undefined;
  dropOff: PendingDropOff | undefined;
  /** monotonicMs of recent opens, for the rate limit. */
  recentOpens: number[];
}

export function doorModel(c: LockerDoorConfig): DoorModel {
  return {
    door: c.door,
    board: c.board,
    lock: c.lock,
    size: c.size,
    enabled: true,
    open: undefined,
    itemPresent: undefined,
    openedAtMs: 0,
    expecting: false,
    leftOpenTimer: undefined,
    depositId: undefined,
    dropOff: undefined,
    recentOpens: [],
  };
}

export function occupied(d: DoorModel): boolean {
  return d.itemPresent ?? d.depositId !== undefined;
}
