// The `sys` role every device has: ping, diag, identify, restart (docs/protocol.md "Commands every
// device answers").
import { Type } from '@sinclair/typebox';
import { sysContract } from '../../../protocol/sys.js';
import { defineRole, roleCommands } from '../role-module.js';

const SysConfig = Type.Object(
  {
    identifyMs: Type.Integer({ minimum: 500, maximum: 120_000, default: 10_000, description: 'how long sys/identify blinks and beeps' }),
  },
  { default: {}, description: 'the runtime itself (every device has it)' },
);

/** Time for the ack (and its journal row) to go out before the runtime restarts. */
const RESTART_AFTER_ACK_MS = 200;

export const sysRole = defineRole({
  role: 'sys',
  contract: sysContract,
  configSchema: SysConfig,
  async start(ctx, config) {
    let identifyMs = config.identifyMs;
    return {
      commands: roleCommands(sysContract, {
        ping: {
          effect: 'none',
          timeoutMs: 1_000,
          run: async (data) => {
            ctx.runtime.update.notePing();
            return data;
          },
        },
        diag: {
          effect: 'none',
          timeoutMs: 30_000,
          run: async (data) => ({ ...(await ctx.runtime.diagnose(data.include ?? [])) }),
        },
        identify: {
          effect: 'none',
          timeoutMs: 5_000,
          run: async (data) => ({ ...(await ctx.runtime.identify(data.durationMs ?? identifyMs)), durationMs: data.durationMs ?? identifyMs }),
        },
        // Lets a technician (and the delivery tests) push N events through the whole path —
        // outbox, broker, server, evt-ack — and watch them arrive in order.
        'test-events': {
          effect: 'state',
          timeoutMs: 60_000,
          run: async (data, cmd) => {
            for (let i = 0; i < data.count; i++) cmd.emit('test-event', { i, of: data.count, cmd: cmd.id, ...(data.tag ? { tag: data.tag } : {}) }, { durable: data.durable ?? true });
            return { emitted: data.count };
          },
        },
        restart: {
          effect: 'state',
          run: async (data) => {
            // Restart after the ack is out: the journal row is committed with the ack first.
            ctx.timers.setTimeout(() => ctx.runtime.restart(data.reason ?? 'sys/restart'), RESTART_AFTER_ACK_MS).unref();
            return { restarting: true };
          },
        },
        // Ships code to the board: signed by the server, bound to this device's topic, expiring
        // (and then checked again against the release key, which the server's key is not).
        update: {
          effect: 'state',
          secure: true,
          timeoutMs: 30_000,
          run: async (data, cmd) => ({ ...(await ctx.runtime.update.start(cmd.id, data)) }),
        },
        // Unsigned on purpose: a chunk is only bytes; the signed sys/update's size and SHA-256
        // decide whether they become a release.
        'update-chunk': {
          effect: 'none',
          timeoutMs: 30_000,
          run: async (data) => ({ ...(await ctx.runtime.update.chunk(data.sha256, data.offset, Buffer.from(data.data, 'base64'))) }),
        },
      }),
      async reconfigure(next) {
        identifyMs = next.identifyMs;
      },
      async stop() {},
    };
  },
});
