// The `sys` role every device has (docs/protocol.md "Commands every device answers"): its
// commands, and the events the runtime itself reports under `evt/sys/…`. JSON Schema files
// in protocol/schema/sys/ via `npm run schema`.
import { Type } from '@sinclair/typebox';
import { defineContract } from './contract.js';

export const PingCommand = Type.Record(Type.String(), Type.Unknown(), { $id: 'SysPingCommand', description: 'cmd/sys/ping data: any object, echoed in the ack' });

export const DiagCommand = Type.Object(
  {
    include: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z-]+/[a-z0-9.-]+$' }), { maxItems: 32, description: 'manual self-tests to run too, e.g. "ticket-printer/test-print"' }),
    ),
  },
  { $id: 'SysDiagCommand', description: 'cmd/sys/diag data: run the self-tests, answer with the report' },
);

export const IdentifyCommand = Type.Object(
  { durationMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })) },
  { $id: 'SysIdentifyCommand', description: 'cmd/sys/identify data: blink and beep so a technician finds the box' },
);

export const TestEventsCommand = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 10_000 }),
    durable: Type.Optional(Type.Boolean()),
    tag: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { $id: 'SysTestEventsCommand', description: 'cmd/sys/test-events data: emit `count` test-event events through the whole delivery path' },
);

export const RestartCommand = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { $id: 'SysRestartCommand', description: 'cmd/sys/restart data: restart after the ack is out' },
);

export const TestEvent = Type.Object(
  { i: Type.Integer({ minimum: 0 }), of: Type.Integer({ minimum: 1 }), cmd: Type.String({ description: 'id of the test-events command' }), tag: Type.Optional(Type.String()) },
  { $id: 'SysTestEvent', description: 'evt/sys/test-event data: number i of `of`' },
);

export const ProtocolErrorEvent = Type.Object(
  { topic: Type.String({ description: 'the topic (below the device root) the bad message came on' }), reason: Type.String() },
  { $id: 'SysProtocolError', description: 'evt/sys/protocol.error data: a message the device could not use and could not answer' },
);

export const ConfigAppliedEvent = Type.Object({ rev: Type.Integer({ minimum: 1 }) }, { $id: 'SysConfigApplied', description: 'evt/sys/config.applied data' });

export const ConfigRejectedEvent = Type.Object(
  {
    rev: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'null when the message was not a readable config' }),
    reasons: Type.Array(Type.String()),
  },
  { $id: 'SysConfigRejected', description: 'evt/sys/config.rejected data: the old config is kept' },
);

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the release tarball, lowercase hex' });
const Version = Type.String({ pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$', maxLength: 64 });

export const UpdateCommand = Type.Object(
  {
    version: Version,
    arch: Type.Union([Type.Literal('arm64'), Type.Literal('x64')]),
    size: Type.Integer({ minimum: 1, description: 'bytes of the tarball' }),
    sha256: Sha256,
    signature: Type.String({ maxLength: 200, description: "the release's manifest.sig (base64 Ed25519 over its manifest.json): must be the one in the tarball" }),
    source: Type.Union([
      Type.Object({ url: Type.String({ pattern: '^https?://', maxLength: 2000, description: 'the tarball on the hall server; fetched with Range to resume' }) }, { additionalProperties: false }),
      Type.Object({ chunks: Type.Literal(true, { description: 'the server pushes the tarball with sys/update-chunk' }) }, { additionalProperties: false }),
    ]),
    when: Type.Optional(Type.Union([Type.Literal('now'), Type.Literal('quiet')], { description: "'quiet': wait for the config's quiet window (default: now, unless a role is busy)" })),
  },
  { $id: 'SysUpdateCommand', description: 'cmd/sys/update data: fetch, verify, try and commit a signed release (secure: signed, topic-bound, expiring)', additionalProperties: false },
);

export const UpdateChunkCommand = Type.Object(
  {
    sha256: Sha256,
    offset: Type.Integer({ minimum: 0, description: 'where this chunk starts in the tarball' }),
    data: Type.String({ maxLength: 180_000, description: 'base64 of the bytes (at most 128 KiB)' }),
  },
  { $id: 'SysUpdateChunkCommand', description: 'cmd/sys/update-chunk data: one piece of a pushed release; the ack says how many bytes the device has (resume from there)', additionalProperties: false },
);

export const UpdateDownloadedEvent = Type.Object(
  { version: Version, bytes: Type.Integer({ minimum: 0 }), sha256: Sha256, via: Type.Union([Type.Literal('http'), Type.Literal('chunks')]) },
  { $id: 'SysUpdateDownloaded', description: 'evt/sys/update.downloaded data: the tarball is complete and its size and hash match' },
);
export const UpdateAppliedEvent = Type.Object(
  { from: Version, to: Version },
  { $id: 'SysUpdateApplied', description: 'evt/sys/update.applied data: verified, unpacked, self-tested; current switched, restarting into it' },
);
export const UpdateCommittedEvent = Type.Object(
  { from: Version, to: Version },
  { $id: 'SysUpdateCommitted', description: 'evt/sys/update.committed data: the new release published its birth, answered the ping and passed its self-tests' },
);
export const UpdateFailedEvent = Type.Object(
  { version: Version, phase: Type.String(), reason: Type.String() },
  { $id: 'SysUpdateFailed', description: 'evt/sys/update.failed data: refused or failed before the switch; the running release is untouched' },
);
export const UpdateRolledBackEvent = Type.Object(
  {
    from: Version,
    to: Version,
    reason: Type.String(),
    store: Type.Optional(
      Type.Object(
        { restored: Type.Boolean(), detail: Type.String() },
        { description: 'what the rollback did to the store: put back the copy from before the trial or kept it; what the trial wrote that was carried over (kept) and not (lost) (docs/update.md)' },
      ),
    ),
  },
  { $id: 'SysUpdateRolledBack', description: 'evt/sys/update.rolled-back data: the tried release did not become healthy; the board went back by itself' },
);

export const sysContract = defineContract({
  role: 'sys',
  events: {
    'test-event': TestEvent,
    'protocol.error': ProtocolErrorEvent,
    'config.applied': ConfigAppliedEvent,
    'config.rejected': ConfigRejectedEvent,
    'update.downloaded': UpdateDownloadedEvent,
    'update.applied': UpdateAppliedEvent,
    'update.committed': UpdateCommittedEvent,
    'update.failed': UpdateFailedEvent,
    'update.rolled-back': UpdateRolledBackEvent,
  },
  commands: {
    ping: PingCommand,
    diag: DiagCommand,
    identify: IdentifyCommand,
    'test-events': TestEventsCommand,
    restart: RestartCommand,
    update: UpdateCommand,
    'update-chunk': UpdateChunkCommand,
  },
  // Ships code to the board; a chunk is only bytes, judged by the signed update's size and hash.
  secure: ['update'],
});
export type SysContract = typeof sysContract;
