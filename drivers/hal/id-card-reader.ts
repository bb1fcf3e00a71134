// The IdCardReader HAL interface: a second-generation resident ID-card reader (居民身份证阅读器),
// a GA 467 SAM module on RS-232 or USB-serial. The SAM does the card's cryptography; the host
// only asks it to find, select and read a card and gets the text and photo back. Roles (the
// kiosk, the cabinet) see this interface only; drivers/id-card-reader/ implements it over a
// serial part, simulators/id-card-reader/ answers the same bytes.
//
// Rules every implementation follows (checked by test/contracts/id-card-reader.ts):
// - Once opened the reader watches for cards by itself (a find-card every pollMs). A card placed
//   on it is selected and read and the listeners hear one 'read' event; a card found but not
//   read after readAttempts tries gives one 'unreadable' event instead. A card left lying on the
//   reader is not read again; lifted off and placed again, it is.
// - A card whose number fails its GB 11643 check character is 'unreadable' (a misread), never
//   'read'. Validity dates are passed on as the card states them: an expired card is read, and
//   the role decides with its trusted clock (IdCard.validOn).
// - No method rejects and no listener is called with an exception: outcomes are results the
//   caller branches on by `code`. A reader that stops answering, or whose SAM reports a fault,
//   is a fault in health() and an onHealth() event; polling goes on and the reader comes back
//   by itself (a port that went away is reopened, a SAM that failed its self-test is asked again).
// - The reader never logs or keeps a card: it hands each IdCard to the listeners and drops it.
// - samStatus() and resetSam() take their turn with the polling on the line (one request in
//   flight at a time) and are never retried.
// - After close() no listener is called again and every call resolves CLOSED.

import type { IdCard } from './id-card.js';

export type IdCardReaderFaultCode =
  | 'TIMEOUT' // no complete reply before the deadline
  | 'CHECKSUM' // a reply with a wrong XOR checksum
  | 'BAD_REPLY' // a well-formed reply that does not answer the request, or an unexpected SW1/SW2
  | 'SAM' // the SAM answered with an error status (SW3): self-test failed, not authorised, refused the frame
  | 'IO' // the serial write failed
  | 'CLOSED'; // the reader or its serial port is closed (unplugged)

/** The SAM's answer to its status command (11 FF). */
export interface SamStatus {
  /** SW3 = 0x90: the SAM passed its self-test and takes commands. */
  ready: boolean;
  sw3: number;
  /** What the SAM's documentation says the SW3 means, in Chinese as the vendors write it. */
  meaning: string;
}

export type IdCardReaderResult<T> = { ok: true; value: T } | { ok: false; code: IdCardReaderFaultCode; message: string; sw3?: number };

export type IdCardEvent =
  /** A card was read: its fields and photo, number checked. */
  | { kind: 'read'; card: IdCard; atMs: number }
  /** A card was found but could not be read (moved away too early, a damaged card, a misread): place it again. */
  | { kind: 'unreadable'; code: IdCardReaderFaultCode | 'SELECT_FAILED' | 'READ_FAILED' | 'BAD_DATA'; detail: string; atMs: number };

export interface IdCardReaderHealth {
  /** false only in state 'fault'. */
  ok: boolean;
  /** 'unknown' until the first reply or failure. */
  state: 'unknown' | 'ok' | 'fault';
  /** What the last failed exchange ended with, while in 'fault'. */
  code?: IdCardReaderFaultCode;
  detail?: string;
  /** Clock.monotonicMs() when `state` last changed. */
  sinceMs: number;
  /** Failed exchanges since the last good reply. */
  consecutiveFailures: number;
}

export interface IdCardReader {
  /** The io.idCardReaders key ("desk"). */
  readonly name: string;
  /** Each card read (or found and not readable), see the rules above. Returns the unsubscribe function. */
  onCard(listener: (event: IdCardEvent) => void): () => void;
  /** Asks the SAM for its status (11 FF) once. */
  samStatus(): Promise<IdCardReaderResult<SamStatus>>;
  /** Resets the SAM (10 FF), as if it were powered up again; ok when it answers 0x90. */
  resetSam(): Promise<IdCardReaderResult<void>>;
  /** What the reader knows now, without I/O. */
  health(): IdCardReaderHealth;
  /** Called on every change of health().state. A listener that throws is reported, not propagated. */
  onHealth(listener: (health: IdCardReaderHealth) => void): () => void;
  /** Stops polling; later calls resolve CLOSED; the serial port closes. */
  close(): Promise<void>;
}
