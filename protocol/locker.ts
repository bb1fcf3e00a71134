// The locker role's messages (智能存储柜, docs/protocol.md "Role messages"): the `data` of its commands
// and events. TypeScript types here, JSON Schema files in protocol/schema/locker/ via `npm run schema`.
// Every command that changes who may open a door (`open`, `deposit`, `revoke`, `disable`,
// `enable`) is secure: signed by the hall server for the exact topic, short-lived (docs/protocol.md
// "Signed messages"). An unsigned deposit or revoke would let anyone on the broker swap a
// citizen's pickup code for their own; the contract marks them so and HallClient signs them.
// The device never sees a plain pickup code: `deposit` carries an scrypt hash with its salt and
// parameters, and the cabinet checks a typed or scanned code against it locally (offline too).
import { Type, type Static } from '@sinclair/typebox';
import { defineContract } from './contract.js';

export const DOOR_SIZES = ['S', 'M', 'L', 'XL'] as const;
export type DoorSize = (typeof DOOR_SIZES)[number];

const Door = Type.Integer({ minimum: 1, maximum: 999, description: 'door number as configured in roles.locker.doors' });
const DepositId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'the server\'s (or, for a drop-off, the device\'s) deposit id' });
export const Size = Type.Union(
  DOOR_SIZES.map((s) => Type.Literal(s)),
  { description: 'compartment size' },
);
const Hex = (min: number, max: number, description: string) => Type.String({ pattern: `^[0-9a-f]{${min},${max}}$`, description });
/** How a door was opened, in events and the audit table. */
export const OpenedBy = Type.Union([Type.Literal('command'), Type.Literal('code'), Type.Literal('keypad'), Type.Literal('scan'), Type.Literal('drop-off'), Type.Literal('self-test'), Type.Literal('id-card')]);
export type OpenedBy = Static<typeof OpenedBy>;

export const OpenCommand = Type.Object(
  {
    door: Door,
    reason: Type.String({ minLength: 1, maxLength: 100, description: 'why the server opens it (staff deposit, 刷脸 pickup, maintenance); kept in the audit table' }),
    depositId: Type.Optional({ ...DepositId, description: 'the deposit this open hands out: it is marked picked up once the door is seen open' }),
  },
  { additionalProperties: false, $id: 'LockerOpen', description: 'cmd/locker/open data (signed): pulse the door\'s lock once; answered ok {opened:true} only after the door sensor reads open, else HARDWARE with evt door.open-not-detected' },
);
export type OpenCommand = Static<typeof OpenCommand>;

export const ScryptParams = Type.Object(
  {
    N: Type.Integer({ minimum: 1024, maximum: 1_048_576, description: 'CPU/memory cost, a power of two' }),
    r: Type.Integer({ minimum: 1, maximum: 32, description: 'block size' }),
    p: Type.Integer({ minimum: 1, maximum: 16, description: 'parallelism (lanes)' }),
    keylen: Type.Integer({ minimum: 16, maximum: 64, description: 'bytes of the derived key (codeHash is twice this many hex digits)' }),
  },
  { additionalProperties: false, description: 'node:crypto scrypt parameters; N * r * 128 must stay under 64 MiB' },
);
export type ScryptParams = Static<typeof ScryptParams>;

export const DepositCommand = Type.Object(
  {
    door: Door,
    depositId: DepositId,
    codeHash: Hex(32, 128, 'hex scrypt(code, salt, keylen, {N, r, p}) of the pickup code'),
    salt: Hex(16, 128, 'hex salt, new for every deposit'),
    scrypt: ScryptParams,
    expiresAt: Type.Integer({ minimum: 0, description: 'epoch ms after which the code no longer opens the door' }),
    overdueAt: Type.Integer({ minimum: 0, description: 'epoch ms at which the device reports item.overdue if the item is still there' }),
    kind: Type.Union([Type.Literal('certificate'), Type.Literal('drop-off')], { description: 'certificate: staff deposited it for a citizen; drop-off: a citizen left it for staff' }),
    identity: Type.Optional(
      Type.Object(
        {
          hash: Hex(32, 128, 'hex scrypt(ID number, salt, keylen, {N, r, p}) of the citizen the item belongs to (protocol/identity-hash.ts: the 18 characters, X upper-case)'),
          salt: Hex(16, 128, 'hex salt, new for every deposit'),
          scrypt: ScryptParams,
        },
        { additionalProperties: false, description: 'a certificate deposit bound to a citizen: their ID card laid on the cabinet\'s reader opens the door too (checked on the device, offline as well); the device never receives the number' },
      ),
    ),
  },
  { additionalProperties: false, $id: 'LockerDeposit', description: 'cmd/locker/deposit data (signed): an item is in the door; its pickup code is given as a salted scrypt hash' },
);
export type DepositCommand = Static<typeof DepositCommand>;

export const RevokeCommand = Type.Object({ depositId: DepositId }, { additionalProperties: false, $id: 'LockerRevoke', description: 'cmd/locker/revoke data (signed): the deposit\'s code stops opening its door' });
export const DoorCommand = Type.Object({ door: Door }, { additionalProperties: false, $id: 'LockerDoor', description: 'cmd/locker/disable and enable data (signed, one cabinet only): a disabled door is offered for no code or drop-off (a signed open still opens it)' });


export const DoorOpened = Type.Object(
  {
    door: Door,
    by: OpenedBy,
    commandId: Type.Optional(Type.String()),
    depositId: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    late: Type.Optional(Type.Literal(true, { description: 'seen open after its open had ended HARDWARE/INDETERMINATE/not detected, within lateOpenWindowMs' })),
    alreadyOpen: Type.Optional(Type.Literal(true, { description: 'the sensor read open before the pulse (the lock was pulsed anyway)' })),
  },
  { $id: 'LockerDoorOpened', description: 'evt/locker/door.opened data: the sensor confirmed a door opened after a command, a code or a drop-off (late: after that open had been answered as not seen open)' },
);
export const DoorClosed = Type.Object({ door: Door, openMs: Type.Integer({ minimum: 0, description: 'how long it was open' }) }, { $id: 'LockerDoorClosed', description: 'evt/locker/door.closed data' });
export const DoorOpenNotDetected = Type.Object({ door: Door, by: OpenedBy, waitedMs: Type.Integer({ minimum: 0 }), boardAck: Type.Boolean({ description: 'the board acknowledged the unlock (false: no or a bad reply)' }), commandId: Type.Optional(Type.String()), depositId: Type.Optional(Type.String()) }, { $id: 'LockerDoorOpenNotDetected', description: 'evt/locker/door.open-not-detected data: the lock was pulsed but the sensor never read open (jammed lock, stuck sensor)' });
export const DoorForced = Type.Object({ door: Door }, { $id: 'LockerDoorForced', description: 'evt/locker/door.forced data: the door opened with no command or code (tamper)' });
export const DoorLeftOpen = Type.Object({ door: Door, openMs: Type.Integer({ minimum: 0 }) }, { $id: 'LockerDoorLeftOpen', description: 'evt/locker/door.left-open data: open for longer than leftOpenAfterMs' });
export const ItemDeposited = Type.Object({ door: Door, depositId: DepositId, kind: Type.String(), expiresAt: Type.Integer(), overdueAt: Type.Integer(), commandId: Type.String() }, { $id: 'LockerItemDeposited', description: 'evt/locker/item.deposited data' });
export const ItemPickedUp = Type.Object({ door: Door, depositId: DepositId, by: OpenedBy, offline: Type.Boolean({ description: 'the link was down when the door opened' }), commandId: Type.Optional(Type.String()), late: Type.Optional(Type.Literal(true, { description: 'its door was seen open only after the open had ended unconfirmed' })) }, { $id: 'LockerItemPickedUp', description: 'evt/locker/item.picked-up data: the door of the deposit was seen open after a valid code or a signed open for it' });
export const ItemDroppedOff = Type.Object({ door: Door, depositId: DepositId, size: Size, receiptCode: Type.String({ description: 'shown to the citizen on the page' }) }, { $id: 'LockerItemDroppedOff', description: 'evt/locker/item.dropped-off data: a citizen put something in a free door and closed it' });
export const DepositUnusable = Type.Object(
  { door: Door, depositId: DepositId, reason: Type.String({ description: 'why its code cannot be checked here (node:crypto\'s refusal)' }) },
  { $id: 'LockerDepositUnusable', description: 'evt/locker/deposit.unusable data: a stored deposit whose pickup code cannot be checked on this device (kept from an older firmware that took any parameters); codes skip it and other deposits still open. Once per deposit: revoke it and deposit again' },
);
export const ItemOverdue = Type.Object({ door: Door, depositId: DepositId, overdueAt: Type.Integer() }, { $id: 'LockerItemOverdue', description: 'evt/locker/item.overdue data: 超期存放预警, once per deposit' });
export const CodeRejected = Type.Object(
  { via: Type.Union([Type.Literal('code'), Type.Literal('keypad'), Type.Literal('scan'), Type.Literal('id-card')], { description: 'code: typed on the touch page; keypad: on the cabinet keypad; scan: the QR scanner; id-card: an ID card on the reader that matches no deposit' }), tries: Type.Integer({ minimum: 1, description: 'wrong codes in a row' }), remaining: Type.Integer({ minimum: 0, description: 'tries left before the lockout' }) },
  { $id: 'LockerCodeRejected', description: 'evt/locker/code.rejected data: a code that matches no deposit (never the code itself)' },
);
export const CodeLockout = Type.Object(
  { until: Type.Integer({ description: 'epoch ms code entry opens again' }), lockoutMs: Type.Integer(), tries: Type.Integer() },
  { $id: 'LockerCodeLockout', description: 'evt/locker/code.lockout data: maxCodeTries wrong codes in a row; code entry is closed until `until` (kept across restarts)' },
);
export const BoardFault = Type.Object(
  { board: Type.String(), code: Type.String({ description: 'TIMEOUT, CHECKSUM, BAD_REPLY, IO, CLOSED or OPEN_FAILED' }), detail: Type.String() },
  { $id: 'LockerBoardFault', description: 'evt/locker/board.fault data: a lock board stopped answering; its doors show fault' },
);
export const BoardOk = Type.Object({ board: Type.String() }, { $id: 'LockerBoardOk', description: 'evt/locker/board.ok data: a faulted board answers again' });

export const DoorState = Type.Object({
  door: Door,
  size: Size,
  enabled: Type.Boolean(),
  open: Type.Union([Type.Boolean(), Type.Null()], { description: 'null until the sensor was read' }),
  occupied: Type.Boolean({ description: 'from the infrared sensor where the board has one, else from the deposits' }),
  fault: Type.Union([Type.String(), Type.Null()], { description: 'why the door cannot be used now (its board does not answer), or null' }),
  depositId: Type.Union([Type.String(), Type.Null()]),
});
export const LockerState = Type.Object(
  {
    doors: Type.Array(DoorState),
    lockoutUntil: Type.Union([Type.Integer(), Type.Null()], { description: 'code entry closed until this epoch ms, or null' }),
    boards: Type.Record(Type.String(), Type.Object({ ok: Type.Boolean(), state: Type.String() })),
    page: Type.Union([Type.String(), Type.Null()]),
    keypad: Type.Optional(
      Type.Union([Type.Object({ typed: Type.Integer({ minimum: 0, description: 'digits typed so far (never the digits themselves)' }) }), Type.Null()], { description: 'the physical keypad, or null when the cabinet has none' }),
    ),
  },
  { $id: 'LockerState', description: 'state/locker data (retained)' },
);
export type LockerState = Static<typeof LockerState>;

export const lockerContract = defineContract({
  role: 'locker',
  events: {
    'door.opened': DoorOpened,
    'door.closed': DoorClosed,
    'door.open-not-detected': DoorOpenNotDetected,
    'door.forced': DoorForced,
    'door.left-open': DoorLeftOpen,
    'item.deposited': ItemDeposited,
    'item.picked-up': ItemPickedUp,
    'item.dropped-off': ItemDroppedOff,
    'item.overdue': ItemOverdue,
    'deposit.unusable': DepositUnusable,
    'code.rejected': CodeRejected,
    'code.lockout': CodeLockout,
    'board.fault': BoardFault,
    'board.ok': BoardOk,
  },
  commands: { open: OpenCommand, deposit: DepositCommand, revoke: RevokeCommand, disable: DoorCommand, enable: DoorCommand },
  requests: {},
  secure: ['open', 'deposit', 'revoke', 'disable', 'enable'],
});
export type LockerContract = typeof lockerContract;
