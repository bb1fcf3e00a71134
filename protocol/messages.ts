// One schema per message of docs/protocol.md. These TypeBox schemas are the single source: the
// TypeScript types below are derived from them, the device validates input with them, the
// server client builds output with them, and `npm run schema` writes them as JSON Schema
// files to protocol/schema/ for servers written in other languages.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const V = Type.Literal(1, { description: 'Protocol version; any other value is refused.' });
const EpochMs = Type.Integer({ minimum: 0, description: 'Unix epoch milliseconds' });
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Unique message id' });
const Data = Type.Record(Type.String(), Type.Unknown(), { description: 'Message-specific payload' });
const To = Type.String({
  minLength: 1,
  maxLength: 256,
  description: 'Signed messages: the exact topic the signer published on; the device refuses a signed message that arrived on any other',
});
const Sig = Type.String({ description: 'base64 Ed25519 signature over the canonical message without sig (keys sorted at every level, no whitespace)' });

export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_COMMAND',
  'EXPIRED',
  'UNAUTHORIZED',
  'BUSY',
  'NOT_FOUND',
  'HARDWARE',
  'TIMEOUT',
  'INDETERMINATE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = Type.Object(
  {
    code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const StatusOnline = Type.Object(
  {
    v: V,
    online: Type.Literal(true),
    boot: Type.Integer({ minimum: 1, description: 'Boot counter, new at every start' }),
    conn: Type.Integer({ minimum: 1, description: 'Connection counter within this boot' }),
    fw: Type.String(),
    roles: Type.Array(Type.String()),
    board: Type.String(),
    configRev: Type.Integer({ minimum: 0 }),
    ts: EpochMs,
    store: Type.Optional(
      Type.Object(
        {
          ok: Type.Boolean(),
          fault: Type.Optional(Type.String({ description: '"storage full", "storage read-only", "storage I/O error" or "storage unavailable"' })),
          since: Type.Optional(EpochMs),
        },
        { description: 'health of the device\'s durable store; re-published when it changes. While not ok, commands that write answer INTERNAL with the fault as message' },
      ),
    ),
  },
  { $id: 'StatusOnline', description: 'Retained birth on {root}/status' },
);
export const StatusOffline = Type.Object(
  {
    v: V,
    online: Type.Literal(false),
    boot: Type.Integer({ minimum: 1 }),
    conn: Type.Integer({ minimum: 1 }),
    ts: Type.Optional(EpochMs),
    reason: Type.Optional(Type.String()),
  },
  { $id: 'StatusOffline', description: 'Retained will (LWT) or clean stop on {root}/status' },
);
export const Status = Type.Union([StatusOnline, StatusOffline], { $id: 'Status' });
export type StatusOnline = Static<typeof StatusOnline>;
export type StatusOffline = Static<typeof StatusOffline>;
export type Status = Static<typeof Status>;

export const StateMessage = Type.Object({ v: V, ts: EpochMs, data: Data }, { $id: 'State', description: 'Retained {root}/state/{role}' });
export type StateMessage = Static<typeof StateMessage>;

export const EventMessage = Type.Object(
  {
    v: V,
    id: Id,
    seq: Type.Integer({ minimum: 1, description: 'Per-device, persisted, never wraps or restarts' }),
    prev: Type.Integer({
      minimum: 0,
      description:
        'seq of the event the device sent before this one and still holds; 0 when every earlier event was acknowledged or dropped by the outbox bound (telemetry only). A server delivers in order: it waits for prev unless prev <= the last seq it has.',
    }),
    boot: Type.Integer({ minimum: 1 }),
    up: Type.Integer({ minimum: 0, description: 'Milliseconds since this boot started when the event was made' }),
    ts: EpochMs,
    data: Data,
    replay: Type.Optional(Type.Boolean({ description: 'Sent again after a reconnect or an ack timeout' })),
  },
  { $id: 'Event', description: '{root}/evt/{role}/{event}' },
);
export type EventMessage = Static<typeof EventMessage>;

export const AckOk = Type.Object(
  {
    v: V,
    id: Id,
    ok: Type.Literal(true),
    data: Type.Optional(Data),
    dup: Type.Optional(Type.Boolean()),
    dataOmitted: Type.Optional(
      Type.Literal(true, { description: 'on a dup answer: the first answer carried data too large for the command journal (limits.journalAckMaxBytes); it is not repeated' }),
    ),
  },
  { $id: 'AckOk' },
);
export const AckError = Type.Object(
  { v: V, id: Id, ok: Type.Literal(false), error: ErrorBody, dup: Type.Optional(Type.Boolean()) },
  { $id: 'AckError' },
);
export const Ack = Type.Union([AckOk, AckError], { $id: 'Ack', description: '{root}/ack' });
export type AckOk = Static<typeof AckOk>;
export type AckError = Static<typeof AckError>;
export type Ack = Static<typeof Ack>;

export const RequestMessage = Type.Object({ v: V, id: Id, ts: EpochMs, data: Data }, { $id: 'Request', description: '{root}/req/{name}' });
export type RequestMessage = Static<typeof RequestMessage>;

export const CommandMessage = Type.Object(
  {
    v: V,
    id: Id,
    ts: EpochMs,
    exp: EpochMs,
    data: Data,
    to: Type.Optional(To),
    sig: Type.Optional(Sig),
  },
  { $id: 'Command', description: '{root}/cmd/{role}/{command} and halld/v1/{hall}/all/cmd/{role}/{command}' },
);
export type CommandMessage = Static<typeof CommandMessage>;

export const ResponseMessage = Type.Object(
  { v: V, id: Id, ok: Type.Boolean(), data: Type.Optional(Data), error: Type.Optional(ErrorBody) },
  { $id: 'Response', description: '{root}/res: the server answers a device request' },
);
export type ResponseMessage = Static<typeof ResponseMessage>;

export const EventAckMessage = Type.Object(
  { v: V, upTo: Type.Integer({ minimum: 0, description: 'Every event with seq <= upTo is stored by the server' }) },
  { $id: 'EventAck', description: '{root}/evt-ack' },
);
export type EventAckMessage = Static<typeof EventAckMessage>;

export const ConfigMessage = Type.Object(
  { v: V, rev: Type.Integer({ minimum: 1, description: 'Must be newer than the applied revision' }), data: Data, to: Type.Optional(To), sig: Type.Optional(Sig) },
  { $id: 'Config', description: 'Retained {root}/config: desired role configuration' },
);
export type ConfigMessage = Static<typeof ConfigMessage>;

export const TimeBeacon = Type.Object({ v: V, ts: EpochMs, to: Type.Optional(To), sig: Type.Optional(Sig) }, { $id: 'Time', description: 'halld/v1/{hall}/time' });
export type TimeBeacon = Static<typeof TimeBeacon>;

/** Every message schema, by the file name it is exported under. */
export const MESSAGE_SCHEMAS: Record<string, TSchema> = {
  status: Status,
  state: StateMessage,
  event: EventMessage,
  ack: Ack,
  request: RequestMessage,
  command: CommandMessage,
  response: ResponseMessage,
  'event-ack': EventAckMessage,
  config: ConfigMessage,
  time: TimeBeacon,
};
