// Every RS485 lock-board family the driver speaks, one entry each: what the config schema,
// its defaults and range checks, the serial settings and the codec of a board read. The record
// is keyed by the HAL's SerialLockBoardProtocol, so a family named there and missing here is a
// compile error, never a silent fall-through to another family. simulators/lock-board/families.ts
// is the simulators' twin. Facts and sources: docs/hardware.md, the "Lock boards" sections.
import type { SerialLockBoardProtocol } from '../hal/lock-board.js';
import type { LockBoardCodec, StatusPolarity } from './codec.js';
import { create8a80Codec, type StatusByteOrder } from './frame-8a80.js';
import { createKerongCodec, KERONG_MAX_BOARD, KERONG_MAX_LOCKS } from './frame-kerong-cu.js';

/** What a codec is built from: a board's resolved settings. */
export interface CodecSettings {
  address: number;
  locks: number;
  statusPolarity: StatusPolarity;
  statusByteOrder: StatusByteOrder;
}

export interface LockBoardFamily {
  /** One line for the config schema's description and for people: the boards and the line settings. */
  description: string;
  /** The serial speed the family ships with (io.serial.<part>.baudRate must match the board). */
  baudRate: number;
  /** What a set sensor bit means when the config does not say: the reading most sources agree on. */
  polarity: StatusPolarity;
  /** Highest board address the frame can carry. */
  maxAddress: number;
  /** Most locks one board has. */
  maxLocks: number;
  codec(settings: CodecSettings): LockBoardCodec;
}

/** The most locks any family's frame can address (the schema's bound; each family may allow fewer). */
export const MAX_LOCKS = 255;

export const LOCK_BOARD_FAMILIES: Readonly<Record<SerialLockBoardProtocol, LockBoardFamily>> = {
  '8a80': {
    description: 'the common Chinese 8A/80 boards (9600 8N1, XOR BCC)',
    baudRate: 9600,
    polarity: 'set-is-open',
    maxAddress: 255,
    maxLocks: MAX_LOCKS,
    codec: (s) => create8a80Codec({ address: s.address, locks: s.locks, polarity: s.statusPolarity, statusByteOrder: s.statusByteOrder }),
  },
  'kerong-cu': {
    description: 'Kerong KR-CU12/CU16 (19200 8N1, STX/ETX, additive SUM)',
    baudRate: 19200,
    polarity: 'set-is-closed',
    maxAddress: KERONG_MAX_BOARD,
    maxLocks: KERONG_MAX_LOCKS,
    codec: (s) => createKerongCodec({ address: s.address, locks: s.locks, polarity: s.statusPolarity }),
  },
};

export const SERIAL_LOCK_BOARD_PROTOCOLS = Object.keys(LOCK_BOARD_FAMILIES) as readonly SerialLockBoardProtocol[];

export function isSerialLockBoardProtocol(value: unknown): value is SerialLockBoardProtocol {
  return typeof value === 'string' && Object.hasOwn(LOCK_BOARD_FAMILIES, value);
}
