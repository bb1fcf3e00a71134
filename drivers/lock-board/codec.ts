// What a protocol family gives the generic driver: the request bytes for each call and a
// decoder that finds the reply in whatever the bus has received since the request left.
// Decoders are pure functions of the bytes, so the byte fixtures are tested without a bus.
import type { LockState } from '../hal/lock-board.js';

/**
 * When the bus asks: on every chunk ('data'), after the line has been quiet for the inter-byte
 * gap ('quiet'), and at the reply deadline ('deadline').
 */
export type DecodePhase = 'data' | 'quiet' | 'deadline';

export type Decoded<T> =
  | { kind: 'incomplete' } // keep listening
  | { kind: 'frame'; value: T }
  | { kind: 'invalid'; code: 'CHECKSUM' | 'BAD_REPLY'; detail: string };

export type ReplyDecoder<T> = (received: Buffer, phase: DecodePhase) => Decoded<T>;

export interface Exchange<T> {
  request: Buffer;
  /** For messages: "unlock lock 3", "status of all locks". */
  what: string;
  decode: ReplyDecoder<T>;
}

export interface LockBoardCodec {
  unlock(lock: number): Exchange<void>;
  status(lock: number): Exchange<LockState>;
  statusAll(): Exchange<LockState[]>;
}

/** How a set bit of a lock sensor reads: sources disagree per board vendor and wiring. */
export type StatusPolarity = 'set-is-open' | 'set-is-closed';

export function bitMeansOpen(bitSet: boolean, polarity: StatusPolarity): boolean {
  return polarity === 'set-is-open' ? bitSet : !bitSet;
}

export const INCOMPLETE: Decoded<never> = { kind: 'incomplete' };

/** Hex for messages and tests: "8a 01 01 11 9b". */
export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
