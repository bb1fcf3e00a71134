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

export const sysContract = defineContract({
  role: 'sys',
  events: {
    'test-event': TestEvent,
    'protocol.error': ProtocolErrorEvent,
    'config.applied': ConfigAppliedEvent,
    'config.rejected': ConfigRejectedEvent,
  },
  commands: {
    ping: PingCommand,
    diag: DiagCommand,
    identify: IdentifyCommand,
    'test-events': TestEventsCommand,
    restart: RestartCommand,
  },
});
export type SysContract = typeof sysContract;
