// io.lockBoards entries, as a TypeBox schema fragment (assembly/io-schema.ts puts it in the io schema):
// one entry per board, keyed by the name roles use ("cab-a"); several entries may name the
// same serial part, and then share its bus by address.
import { Type, type Static } from '@sinclair/typebox';
import type { SerialLockBoardProtocol } from '../hal/lock-board.js';
import type { StatusPolarity } from './codec.js';
import type { StatusByteOrder } from './frame-8a80.js';
import { KERONG_MAX_BOARD, KERONG_MAX_LOCKS } from './frame-kerong-cu.js';
import { FRAME_GAP_MS, REPLY_TIMEOUT_MS } from './lock-bus.js';
import { DEFAULT_STATUS_RETRIES } from './serial-lock-board.js';

/** The serial settings each family ships with (io.serial.<part>.baudRate must match the board). */
export const DEFAULT_BAUD_RATE_BY_PROTOCOL: Readonly<Record<SerialLockBoardProtocol, number>> = { '8a80': 9600, 'kerong-cu': 19200 };
/** The polarity the sources agree on most for each family (see the frame-*.ts headers). */
export const DEFAULT_POLARITY_BY_PROTOCOL: Readonly<Record<SerialLockBoardProtocol, StatusPolarity>> = { '8a80': 'set-is-open', 'kerong-cu': 'set-is-closed' };
export const DEFAULT_STATUS_BYTE_ORDER: StatusByteOrder = 'ch1-last';
export const MAX_8A80_LOCKS = 255;

export const LockBoardConfigSchema = Type.Object(
  {
    serial: Type.String({ pattern: '^[a-z0-9-]{1,32}$', description: 'the io.serial part the board is wired to; boards on one RS485 line name the same part' }),
    protocol: Type.Union([Type.Literal('8a80'), Type.Literal('kerong-cu')], {
      description: '8a80: the common Chinese 8A/80 boards (9600 8N1, XOR BCC); kerong-cu: Kerong KR-CU12/CU16 (19200 8N1, STX/ETX, additive SUM)',
    }),
    address: Type.Integer({
      minimum: 0,
      maximum: 255,
      description: "the board's address switch: 8a80 sends it as is (1-31 on the boards seen); kerong-cu takes 0-15 and sends it in the high nibble of ADDR",
    }),
    locks: Type.Integer({ minimum: 1, maximum: MAX_8A80_LOCKS, description: 'locks wired to the board (kerong-cu: at most 16); lock numbers are 1..locks' }),
    statusPolarity: Type.Optional(
      Type.Union([Type.Literal('set-is-open'), Type.Literal('set-is-closed')], {
        description: "what a set sensor bit means. Sources disagree; default 8a80 'set-is-open' (captured query-all frames), kerong-cu 'set-is-closed' (lock hook closed). Check one door by hand when commissioning",
      }),
    ),
    statusByteOrder: Type.Optional(
      Type.Union([Type.Literal('ch1-last'), Type.Literal('ch1-first')], {
        default: DEFAULT_STATUS_BYTE_ORDER,
        description: "8a80 only: which status byte of the query-all reply holds locks 1-8 ('ch1-last' per Open-Locker and a captured Android demo frame; one C# source says first)",
      }),
    ),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, default: DEFAULT_STATUS_RETRIES, description: 'resends of an unanswered or garbled status query; unlocks are never resent' })),
    replyTimeoutMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 10_000, default: REPLY_TIMEOUT_MS, description: 'how long to wait for each reply' })),
    frameGapMs: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, default: FRAME_GAP_MS, description: 'line silence that ends a reply of unknown length' })),
  },
  { additionalProperties: false },
);
export type LockBoardConfig = Static<typeof LockBoardConfigSchema>;

export const LockBoardsConfigSchema = Type.Record(Type.String({ pattern: '^[a-z0-9-]{1,32}$' }), LockBoardConfigSchema, {
  description: 'RS485 lock-control boards by the name roles use',
});

/** A board's settings with every default applied. */
export interface LockBoardSettings {
  serial: string;
  protocol: SerialLockBoardProtocol;
  address: number;
  locks: number;
  statusPolarity: StatusPolarity;
  statusByteOrder: StatusByteOrder;
  retries: number;
  replyTimeoutMs: number;
  frameGapMs: number;
}

/**
 * What the schema cannot express: the ranges of one protocol (a kerong-cu id is 0-15, at most
 * 16 locks). Every one at once, each naming the board and the field; a field that is not a
 * number is the schema's to report.
 */
export function lockBoardRangeProblems(name: string, config: { protocol?: unknown; address?: unknown; locks?: unknown }): string[] {
  const problems: string[] = [];
  if (config.protocol === 'kerong-cu') {
    if (typeof config.address === 'number' && config.address > KERONG_MAX_BOARD) problems.push(`io.lockBoards.${name}.address: a kerong-cu board id is 0-${KERONG_MAX_BOARD}, not ${config.address}`);
    if (typeof config.locks === 'number' && config.locks > KERONG_MAX_LOCKS) problems.push(`io.lockBoards.${name}.locks: a kerong-cu board has at most ${KERONG_MAX_LOCKS} locks, not ${config.locks}`);
  }
  return problems;
}

/**
 * Applies the defaults and the checks the schema cannot express; throws a RangeError naming
 * the board and the fields.
 */
export function resolveLockBoardSettings(name: string, config: LockBoardConfig): LockBoardSettings {
  const problems = lockBoardRangeProblems(name, config);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  return {
    serial: config.serial,
    protocol: config.protocol,
    address: config.address,
    locks: config.locks,
    statusPolarity: config.statusPolarity ?? DEFAULT_POLARITY_BY_PROTOCOL[config.protocol],
    statusByteOrder: config.statusByteOrder ?? DEFAULT_STATUS_BYTE_ORDER,
    retries: config.retries ?? DEFAULT_STATUS_RETRIES,
    replyTimeoutMs: config.replyTimeoutMs ?? REPLY_TIMEOUT_MS,
    frameGapMs: config.frameGapMs ?? FRAME_GAP_MS,
  };
}
