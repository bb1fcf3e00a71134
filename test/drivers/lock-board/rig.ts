// The real lock-board driver on the virtual serial bus (serialport's stream over a
// MockBinding-shaped binding) with a simulated RS485 line behind it, on sinon fake time.
import type { Test } from 'tap';
import type { LockBoard } from '../../../drivers/hal/lock-board.js';
import type { LockBoardSettings } from '../../../drivers/lock-board/config.js';
import { DEFAULT_BAUD_RATE_BY_PROTOCOL, DEFAULT_POLARITY_BY_PROTOCOL } from '../../../drivers/lock-board/config.js';
import type { SerialLockBoardProtocol } from '../../../drivers/hal/lock-board.js';
import { lockBoardsOnLink } from '../../../drivers/lock-board/open-lock-boards.js';
import { FRAME_GAP_MS } from '../../../drivers/lock-board/lock-bus.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';
import { openSerialLink } from '../../../drivers/serial/serial-link.js';
import { VirtualSerialBus } from '../../../simulators/serial/virtual-serial-bus.js';
import { VirtualLockBus } from '../../../simulators/lock-board/virtual-lock-bus.js';
import type { VirtualLockBoard } from '../../../simulators/lock-board/virtual-lock-board.js';
import { SIM_LOCK_BOARD_FAMILIES, type SimFamilySettings } from '../../../simulators/lock-board/families.js';
import type sinon from 'sinon';
import { useFakeTime, settle } from '../fake-time.js';

/** Every family of both records (drivers/lock-board/families.ts, simulators/lock-board/families.ts). */
export type Family = SerialLockBoardProtocol;
export const FAMILIES = Object.keys(SIM_LOCK_BOARD_FAMILIES) as readonly Family[];

export interface RigBoard {
  name: string;
  address: number;
  locks: number;
  settings?: Partial<LockBoardSettings>;
}

export interface RigOptions {
  family: Family;
  boards?: RigBoard[];
  sim?: SimFamilySettings;
}

export interface LockRig {
  family: Family;
  boards: Map<string, LockBoard>;
  /** The first board and its simulated twin. */
  board: LockBoard;
  sim: VirtualLockBoard;
  line: VirtualLockBus;
  /** Every byte the driver wrote, in order. */
  written(): Buffer;
  /** Awaits `promise`, moving fake time on in 1 ms steps while the I/O settles. */
  run<T>(promise: Promise<T>): Promise<T>;
  listenerErrors: string[];
  infrared: boolean;
}

const PATH = '/dev/ttyRS485-0';
const MAX_FAKE_MS = 120_000;

export function defaultBoards(family: Family): RigBoard[] {
  return [{ name: 'cab-a', ...SIM_LOCK_BOARD_FAMILIES[family].example }];
}

export async function lockRig(t: Test, options: RigOptions): Promise<LockRig> {
  const clock = useFakeTime(t);
  const serial = new VirtualSerialBus();
  const family = SIM_LOCK_BOARD_FAMILIES[options.family];
  const line = new VirtualLockBus(family.protocol(options.sim));
  const rigBoards = options.boards ?? defaultBoards(options.family);
  const infrared = family.infrared;
  for (const b of rigBoards) line.addBoard({ address: b.address, locks: b.locks, infrared });
  serial.attach(PATH, line);
  const link = await openSerialLink({ name: 'rs485', path: PATH, baudRate: DEFAULT_BAUD_RATE_BY_PROTOCOL[options.family], binding: serial.binding });
  const settings: Record<string, LockBoardSettings> = {};
  for (const b of rigBoards) {
    settings[b.name] = {
      serial: 'rs485',
      protocol: options.family,
      address: b.address,
      locks: b.locks,
      statusPolarity: DEFAULT_POLARITY_BY_PROTOCOL[options.family],
      statusByteOrder: 'ch1-last',
      retries: 2,
      replyTimeoutMs: 1000,
      frameGapMs: FRAME_GAP_MS,
      ...b.settings,
    };
  }
  const listenerErrors: string[] = [];
  const boards = lockBoardsOnLink({
    link,
    boards: settings,
    clock: systemClock,
    timers: globalTimers,
    onListenerError: (part, err) => listenerErrors.push(`${part}: ${err instanceof Error ? err.message : String(err)}`),
  });
  t.teardown(async () => {
    for (const board of boards.values()) await board.close();
  });
  const first = rigBoards[0];
  const board = first && boards.get(first.name);
  if (!first || !board) throw new Error('a rig needs at least one board');
  return {
    family: options.family,
    boards,
    board,
    sim: line.board(first.address),
    line,
    written: () => serial.written(PATH),
    listenerErrors,
    infrared,
    run: runOnFakeTime(clock),
  };
}

/** Awaits a promise, moving fake time on in 1 ms steps while the I/O (real setImmediate) settles. */
export function runOnFakeTime(clock: sinon.SinonFakeTimers): <T>(promise: Promise<T>) => Promise<T> {
  return async <T>(promise: Promise<T>): Promise<T> => {
    let done = false;
    promise.then(
      () => (done = true),
      () => (done = true),
    );
    for (let ms = 0; ms < MAX_FAKE_MS && !done; ms++) {
      await settle(10);
      if (!done) await clock.tickAsync(1);
    }
    return promise;
  };
}
