// Every simulated lock-board family, one entry each, keyed like the driver's record
// (drivers/lock-board/families.ts) by the HAL's SerialLockBoardProtocol: a family the HAL names
// and this record lacks is a compile error, never a board that silently answers in another
// family's bytes. The sim board, the pty bus and the tests build their simulated boards here.
import type { SerialLockBoardProtocol } from '../../drivers/hal/lock-board.js';
import type { StatusPolarity } from '../../drivers/lock-board/codec.js';
import type { StatusByteOrder } from '../../drivers/lock-board/frame-8a80.js';
import { sim8a80 } from './sim-8a80.js';
import { simKerongCu } from './sim-kerong-cu.js';
import type { SimProtocol } from './sim-protocol.js';

/** How the simulated boards on one line are set up: as the device under test was configured, by default. */
export interface SimFamilySettings {
  polarity?: StatusPolarity;
  statusByteOrder?: StatusByteOrder;
  /** 8a80 only: how many status bytes its query-all reply carries (the firmware's, not the board's channel count). */
  statusBytes?: number;
}

export interface SimLockBoardFamily {
  /** The family's side of the line: finding requests, answering them from the boards' state. */
  protocol(settings?: SimFamilySettings): SimProtocol;
  /** Whether the family's boards carry infrared item sensors (Kerong CU16 does, 8A/80 boards do not). */
  infrared: boolean;
  /** A board as commonly sold, for tests and the demo: its address switch and lock count. */
  example: { address: number; locks: number };
}

export const SIM_LOCK_BOARD_FAMILIES: Readonly<Record<SerialLockBoardProtocol, SimLockBoardFamily>> = {
  '8a80': {
    protocol: (s = {}) =>
      sim8a80({
        ...(s.polarity ? { polarity: s.polarity } : {}),
        ...(s.statusByteOrder ? { statusByteOrder: s.statusByteOrder } : {}),
        ...(s.statusBytes !== undefined ? { statusBytes: s.statusBytes } : {}),
      }),
    infrared: false,
    example: { address: 1, locks: 24 },
  },
  'kerong-cu': {
    protocol: (s = {}) => simKerongCu(s.polarity ? { polarity: s.polarity } : {}),
    infrared: true,
    example: { address: 0, locks: 16 },
  },
};
