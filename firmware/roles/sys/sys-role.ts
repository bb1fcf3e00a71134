// The `sys` role every device has: ping, diag, identify, restart (PROTOCOL.md "Commands every
// device answers").
import { Type } from '@sinclair/typebox';
import { defineRole } from '../role-module.js';
import { command } from '../../link/command-types.js';

const SysConfig = Type.Object(
  {
    identifyMs: Type.Integer({ minimum: 500, maximum: 120_000, default: 10_000, description: 'how long sys/identify blinks and beeps' }),
  },
  { default: {}, description: 'the runtime itself (every device has it)' },
);

export const sysRole = defineRole({
  role: 'sys',
  configSchema: SysConfig,
  async start(ctx, config) {
    let identifyMs = config.identifyMs;
    return {
      commands: {
        ping: command({
          schema: Type.Record(Type.String(), Type.Unknown()),
          effect: 'none',
          timeoutMs: 1_000,
          run: async (data) => data,
        }),
        diag: command({
          schema: Type.Object({
            include: Type.Optional(
              Type.Array(Type.String({ pattern: '^[a-z-]+/[a-z0-9.-]+$' }), { maxItems: 32, description: 'manual self-tests to run too, e.g. "ticket-printer/test-print"' }),
            ),
          }),
          effect: 'none',
          timeoutMs: 30_000,
          run: async (data) => ({ ...(await ctx.runtime.diagnose(data.include ?? [])) }),
        }),
        identify: command({
          schema: Type.Object({ durationMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })) }),
          effect: 'none',
          timeoutMs: 5_000,
          run: async (data) => ({ ...(await ctx.runtime.identify(data.durationMs ?? identifyMs)), durationMs: data.durationMs ?? identifyMs }),
        }),
        // Lets a technician (and the delivery tests) push N events through the whole path —
        // outbox, broker, server, evt-ack — and watch them arrive in order.
        'test-events': command({
          schema: Type.Object({
            count: Type.Integer({ minimum: 1, maximum: 10_000 }),
            durable: Type.Optional(Type.Boolean()),
            tag: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          effect: 'state',
          timeoutMs: 60_000,
          run: async (data, cmd) => {
            for (let i = 0; i < data.count; i++) cmd.emit('test-event', { i, of: data.count, cmd: cmd.id, ...(data.tag ? { tag: data.tag } : {}) }, { durable: data.durable ?? true });
            return { emitted: data.count };
          },
        }),
        restart: command({
          schema: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }),
          effect: 'state',
          run: async (data) => {
            // Restart after the ack is out: the journal row is committed with the ack first.
            setTimeout(() => ctx.runtime.restart(data.reason ?? 'sys/restart'), 200).unref();
            return { restarting: true };
          },
        }),
      },
      async reconfigure(next) {
        identifyMs = next.identifyMs;
      },
      async stop() {},
    };
  },
});
