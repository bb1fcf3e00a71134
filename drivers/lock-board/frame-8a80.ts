// The "8a80" lock-board family (most Chinese 8/12/16/24/48-channel RS485 boards), 9600 8N1.
// Protocol source: "485锁控板通讯协议2024A1" (Guangzhou Shuoming) as quoted in a ROS2 README,
// "485锁控板24路通讯协议2021" as followed by public C# code, and Open-Locker's
// locker-client/src/adapters/rs485/rs485-lock-board-codec.ts with its captured frames
// (ADR-0061); summary in docs/hardware.md, "Lock boards: 8A/80 family".
//
// Frame: HEAD BOARD LOCK CMD BCC, BCC = XOR of the bytes before it.
//   unlock     8A bb ll 11 x  → reply 8A bb ll st x   (st 00/11: latch state after the pulse)
//   query one  80 bb ll 33 x  → reply 80 bb ll st x   (st 11 = sensor bit set, 00 = clear)
//   query all  80 bb 00 33 x  → reply 80 bb S.. 33 x  (as many status bytes as the firmware has,
//              not as many as the board has channels: never infer the length; frame by the gap)
// Uncertain per source, so settings: what a set bit means (statusPolarity) and which status
// byte holds channels 1-8 in the query-all reply (statusByteOrder: Open-Locker and an Android
// demo capture put it last, one C# comment first).
import type { LockState } from '../hal/lock-board.js';
import { bitMeansOpen, fixedReplyDecoder, INCOMPLETE, type Decoded, type Exchange, type LockBoardCodec, type ReplyDecoder, type StatusPolarity } from './codec.js';

export const HEAD_UNLOCK = 0x8a;
export const HEAD_QUERY = 0x80;
export const CMD_UNLOCK = 0x11;
export const CMD_QUERY = 0x33;
/** The status byte of a single-lock reply when the sensor bit is set. */
export const STATUS_SET = 0x11;
export const STATUS_CLEAR = 0x00;
const SHORT_FRAME_BYTES = 5;

export type StatusByteOrder = 'ch1-last' | 'ch1-first';

export interface Codec8a80Options {
  /** DIP-switch board address, sent as is (1-31 on the boards seen). */
  address: number;
  locks: number;
  polarity: StatusPolarity;
  statusByteOrder: StatusByteOrder;
}

export function xorBcc(bytes: Uint8Array): number {
  let bcc = 0;
  for (const b of bytes) bcc ^= b;
  return bcc;
}

export function frame8a80(head: number, board: number, lock: number, cmd: number): Buffer {
  const body = Buffer.from([head, board, lock, cmd]);
  return Buffer.concat([body, Buffer.from([xorBcc(body)])]);
}

/** A 5-byte reply `head board lock x bcc`, found after any garbage, however it was split. */
function shortReply<T>(head: number, board: number, lock: number, parse: (frame: Buffer) => Decoded<T>): ReplyDecoder<T> {
  return fixedReplyDecoder(
    {
      head,
      length: SHORT_FRAME_BYTES,
      matches: (c) => !((c.length > 1 && c[1] !== board) || (c.length > 2 && c[2] !== lock)),
      checksumOk: (frame) => xorBcc(frame.subarray(0, 4)) === frame[4],
      checksum: 'BCC',
    },
    parse,
  );
}

export function create8a80Codec(options: Codec8a80Options): LockBoardCodec {
  const { address, locks, polarity, statusByteOrder } = options;

  const statusAllDecoder: ReplyDecoder<LockState[]> = (rx, phase) => {
    // The length is known only when the line goes quiet: status bytes vary by firmware.
    if (phase === 'data') return INCOMPLETE;
    let badSum = false;
    for (let i = rx.indexOf(HEAD_QUERY); i >= 0; i = rx.indexOf(HEAD_QUERY, i + 1)) {
      const candidate = rx.subarray(i);
      if (candidate.length < SHORT_FRAME_BYTES || candidate[1] !== address || candidate[candidate.length - 2] !== CMD_QUERY) continue;
      if (xorBcc(candidate.subarray(0, candidate.length - 1)) !== candidate[candidate.length - 1]) {
        badSum = true;
        continue;
      }
      const status = candidate.subarray(2, candidate.length - 2);
      if (status.length * 8 < locks) {
        return { kind: 'invalid', code: 'BAD_REPLY', detail: `query-all reply has ${status.length} status bytes (${status.length * 8} channels), the board is configured with ${locks} locks` };
      }
      const states: LockState[] = [];
      for (let lock = 1; lock <= locks; lock++) {
        const group = Math.floor((lock - 1) / 8);
        const byte = status[statusByteOrder === 'ch1-last' ? status.length - 1 - group : group] ?? 0;
        states.push({ lock, open: bitMeansOpen((byte & (1 << ((lock - 1) % 8))) !== 0, polarity) });
      }
      return { kind: 'frame', value: states };
    }
    return badSum ? { kind: 'invalid', code: 'CHECKSUM', detail: `query-all reply BCC does not match (received ${rx.length} bytes)` } : INCOMPLETE;
  };

  return {
    unlock(lock): Exchange<void> {
      return {
        request: frame8a80(HEAD_UNLOCK, address, lock, CMD_UNLOCK),
        what: `unlock lock ${lock}`,
        decode: shortReply(HEAD_UNLOCK, address, lock, () => ({ kind: 'frame', value: undefined })),
      };
    },
    status(lock): Exchange<LockState> {
      return {
        request: frame8a80(HEAD_QUERY, address, lock, CMD_QUERY),
        what: `status of lock ${lock}`,
        decode: shortReply(HEAD_QUERY, address, lock, (frame) => {
          const st = frame[3];
          if (st !== STATUS_SET && st !== STATUS_CLEAR) return { kind: 'invalid', code: 'BAD_REPLY', detail: `status byte 0x${(st ?? 0).toString(16)} is neither 0x11 nor 0x00` };
          return { kind: 'frame', value: { lock, open: bitMeansOpen(st === STATUS_SET, polarity) } };
        }),
      };
    },
    statusAll(): Exchange<LockState[]> {
      return { request: frame8a80(HEAD_QUERY, address, 0, CMD_QUERY), what: 'status of all locks', decode: statusAllDecoder };
    },
  };
}
