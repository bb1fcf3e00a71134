// The Kerong KR-CU12/KR-CU16 lock-control board ("kerong-cu"), RS485 19200 8N1 by default.
// Protocol source: Kerong's KR-CU16 guide as republished in github.com/8lal8/kerongDocs (16 locks
// + infrared sensors, up to 10 boards per bus), julio-alv/lkaas-kerong (src/kerong/command.rs,
// status.rs) and the CartWise KR-CU16 controller (public Python); summary in
// docs/hardware.md, "Lock boards: Kerong KR-CU".
//
// Frame: STX ADDR CMD ETX SUM = 02 aa cc 03 s, SUM = (sum of the bytes before it) & 0xFF.
//   ADDR = board id in the high nibble, lock index 0-15 in the low nibble (CartWise comments;
//   lkaas sends the lock index alone, which is board 0).
//   0x31 unlock one         → reply 0x35 status frame (CartWise reads it as the acknowledgement)
//   0x30 status (one board) → 02 aa 35 L1 L2 I1 I2 03 s
//   0x32 status all         → 02 aa 36 L1 L2 I1 I2 03 s (0x35 accepted too)
// L1/L2: lock-hook bits of locks 1-8 / 9-16, bit 0 = lock 1; 1 = hook closed in every source
// seen, so statusPolarity defaults to 'set-is-closed'. I1/I2: infrared bits, 1 = item present.
import type { LockState } from '../hal/lock-board.js';
import { bitMeansOpen, fixedReplyDecoder, type Decoded, type Exchange, type LockBoardCodec, type ReplyDecoder, type StatusPolarity } from './codec.js';

export const STX = 0x02;
export const ETX = 0x03;
export const CMD_STATUS_ONE = 0x30;
export const CMD_UNLOCK = 0x31;
export const CMD_STATUS_ALL = 0x32;
export const REPLY_STATUS_ONE = 0x35;
export const REPLY_STATUS_ALL = 0x36;
export const STATUS_REPLY_BYTES = 9;
export const KERONG_MAX_LOCKS = 16;
export const KERONG_MAX_BOARD = 15;

export interface CodecKerongOptions {
  /** Board id 0-15 (the board's switch), sent in the high nibble of ADDR. */
  address: number;
  locks: number;
  polarity: StatusPolarity;
}

export function sumChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return sum & 0xff;
}

export function frameKerong(addr: number, cmd: number): Buffer {
  const body = Buffer.from([STX, addr & 0xff, cmd, ETX]);
  return Buffer.concat([body, Buffer.from([sumChecksum(body)])]);
}

export function kerongAddr(board: number, lock: number): number {
  return ((board & 0x0f) << 4) | ((lock - 1) & 0x0f);
}

/** Lock and infrared bits of a valid 9-byte status frame. */
export function decodeKerongStatus(frame: Buffer, locks: number, polarity: StatusPolarity): LockState[] {
  const hooks = (frame[3] ?? 0) | ((frame[4] ?? 0) << 8);
  const infrared = (frame[5] ?? 0) | ((frame[6] ?? 0) << 8);
  const states: LockState[] = [];
  for (let lock = 1; lock <= locks; lock++) {
    const bit = 1 << (lock - 1);
    states.push({ lock, open: bitMeansOpen((hooks & bit) !== 0, polarity), itemPresent: (infrared & bit) !== 0 });
  }
  return states;
}

function statusReply<T>(board: number, replyCmds: readonly number[], parse: (frame: Buffer) => Decoded<T>): ReplyDecoder<T> {
  return fixedReplyDecoder(
    {
      head: STX,
      length: STATUS_REPLY_BYTES,
      matches: (c) => !((c.length > 1 && (c[1] ?? 0) >> 4 !== board) || (c.length > 2 && !replyCmds.includes(c[2] ?? -1))),
      framed: (frame) => frame[7] === ETX,
      checksumOk: (frame) => sumChecksum(frame.subarray(0, 8)) === frame[8],
      checksum: 'SUM',
    },
    parse,
  );
}

export function createKerongCodec(options: CodecKerongOptions): LockBoardCodec {
  const { address, locks, polarity } = options;
  const pick = (lock: number) => (frame: Buffer): Decoded<LockState> => {
    const state = decodeKerongStatus(frame, locks, polarity)[lock - 1];
    return state ? { kind: 'frame', value: state } : { kind: 'invalid', code: 'BAD_REPLY', detail: `no lock ${lock} in the reply` };
  };
  return {
    unlock(lock): Exchange<void> {
      return {
        request: frameKerong(kerongAddr(address, lock), CMD_UNLOCK),
        what: `unlock lock ${lock}`,
        decode: statusReply(address, [REPLY_STATUS_ONE], () => ({ kind: 'frame', value: undefined })),
      };
    },
    status(lock): Exchange<LockState> {
      return { request: frameKerong(kerongAddr(address, lock), CMD_STATUS_ONE), what: `status of lock ${lock}`, decode: statusReply(address, [REPLY_STATUS_ONE], pick(lock)) };
    },
    statusAll(): Exchange<LockState[]> {
      return {
        request: frameKerong(kerongAddr(address, 1), CMD_STATUS_ALL),
        what: 'status of all locks',
        decode: statusReply(address, [REPLY_STATUS_ALL, REPLY_STATUS_ONE], (frame) => ({ kind: 'frame', value: decodeKerongStatus(frame, locks, polarity) })),
      };
    },
  };
}
