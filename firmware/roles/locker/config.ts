// The locker section of the device config: which door is which lock on which board, and the
// rules of the cabinet (left-open alarm, wrong-code lockout, open rate limit, sensor polling,
// the touch page, an optional QR scanner and an optional keypad).
import { Type, type Static } from '@sinclair/typebox';
import { Size } from '../../../protocol/locker.js';

const PART_NAME = '^[a-z0-9-]{1,32}$';

export const LockerDoorSchema = Type.Object(
  {
    door: Type.Integer({ minimum: 1, maximum: 999, description: 'the number on the door, used in commands and events' }),
    board: Type.String({ pattern: PART_NAME, description: 'the io.lockBoards board the door\'s lock is wired to' }),
    lock: Type.Integer({ minimum: 1, maximum: 255, description: 'the lock (channel) on that board, 1..locks' }),
    size: Size,
  },
  { additionalProperties: false },
);

/** One io.inputs line per key (GPIO buttons or expander pins; the HAL debounces); no matrix scanning. */
export const LockerKeypadSchema = Type.Object(
  {
    digits: Type.Array(Type.String({ pattern: PART_NAME }), { minItems: 10, maxItems: 10, description: 'the io.inputs lines of the keys 0..9, in that order' }),
    clear: Type.String({ pattern: PART_NAME, description: 'io.inputs line of the clear key (empties what was typed)' }),
    enter: Type.String({ pattern: PART_NAME, description: 'io.inputs line of the enter key (submits the code)' }),
    maxDigits: Type.Integer({ minimum: 4, maximum: 16, default: 8, description: 'digits taken before further ones are ignored (the pickup codes\' length or more)' }),
    idleMs: Type.Integer({ minimum: 1000, maximum: 600_000, default: 30_000, description: 'a half-typed code is cleared after this long without a key' }),
  },
  { additionalProperties: false, description: 'the cabinet\'s physical keypad for pickup codes: one input per key' },
);

export const LockerConfigSchema = Type.Object(
  {
    doors: Type.Array(LockerDoorSchema, { minItems: 1, maxItems: 512, description: 'every compartment of the cabinet' }),
    leftOpenAfterMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 60_000, description: 'a door open this long raises door.left-open' }),
    maxCodeTries: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'wrong pickup codes in a row before code entry locks out' }),
    lockoutMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 300_000, description: 'how long code entry stays locked out (kept across restarts)' }),
    openRateLimit: Type.Object(
      {
        maxOpens: Type.Integer({ minimum: 1, maximum: 100, default: 3, description: 'opens of one door allowed within windowMs' }),
        windowMs: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 60_000, description: 'the sliding window the opens are counted in' }),
      },
      { additionalProperties: false, default: {}, description: 'per-door limit on opens (commands, codes, drop-offs): a flood of valid opens cannot rattle a lock' },
    ),
    pollIntervalMs: Type.Integer({ minimum: 50, maximum: 10_000, default: 500, description: 'how often every board\'s door sensors are read (forced doors, closes, board faults)' }),
    confirmPollMs: Type.Integer({ minimum: 10, maximum: 1000, default: 50, description: 'after an unlock, how often the door\'s sensor is read until it opens' }),
    openConfirmMs: Type.Integer({ minimum: 500, maximum: 30_000, default: 5000, description: 'an unlocked door not seen open within this time is door.open-not-detected' }),
    lateOpenWindowMs: Type.Integer({
      minimum: 0,
      maximum: 600_000,
      default: 30_000,
      description: 'an open whose door was not seen open in time (board silent, latch slow, device restarted) and is then seen open within this time is door.opened {late:true}, not door.forced',
    }),
    scryptBudgetMs: Type.Integer({
      minimum: 10,
      maximum: 10_000,
      default: 250,
      description: "a deposit whose pickup-code check (one scrypt with its parameters) takes longer than this on this board is refused: every code typed is checked against every deposit",
    }),
    scanner: Type.Optional(Type.String({ pattern: PART_NAME, description: 'io.scanners part whose scans are pickup codes (the QR in the SMS)' })),
    idCardReader: Type.Optional(Type.String({ pattern: PART_NAME, description: 'io.idCardReaders reader: an ID card laid on it opens the door of a deposit bound to that citizen (same tries and lockout as codes)' })),
    keypad: Type.Optional(LockerKeypadSchema),
    page: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'serve the cabinet\'s touch page (pickup code, drop-off)' }),
        host: Type.String({ default: '127.0.0.1', description: 'address the page is served on (the screen is on this board)' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8082, description: '0 = any free port (tests)' }),
      },
      { additionalProperties: false, default: {}, description: 'the cabinet\'s touch page' },
    ),
  },
  { additionalProperties: false, description: 'the locker (智能存储柜): doors on RS485 lock boards, pickup codes, drop-off' },
);
export type LockerConfig = Static<typeof LockerConfigSchema>;
export type LockerKeypadConfig = Static<typeof LockerKeypadSchema>;
export type LockerDoorConfig = Static<typeof LockerDoorSchema>;
