// A CommandDispatcher on a real Store in a temp folder, with the sys role's ping and a
// state command, collecting acks and protocol errors: the dispatcher's rules without a broker.
import { Type } from '@sinclair/typebox';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { Store, type StoreOptions } from '../../../firmware/store/store.js';
import { CommandDispatcher, type DispatcherOptions } from '../../../firmware/link/command-dispatcher.js';
import { silentLogger } from '../../../firmware/log.js';
import { command } from '../../../firmware/link/command-types.js';
import { TrustedClock } from '../../../firmware/link/trusted-clock.js';
import type { Ack } from '../../../protocol/messages.js';
import type { Clock } from '../../../drivers/hal/types.js';
import { globalTimers } from '../../../drivers/clock/timers.js';

export const NOW = 1_800_000_000_000;
const fixedClock: Clock = { now: () => NOW, monotonicMs: () => 0 };

export interface Rig {
  store: Store;
  dispatcher: CommandDispatcher;
  acks: Ack[];
  errors: Record<string, unknown>[];
  ran: string[];
  send(name: string, id: string | undefined, data: unknown, extra?: Record<string, unknown>): Promise<void>;
  sendRaw(name: string, payload: Buffer | string): Promise<void>;
  acksFor(id: string): Ack[];
  dbBytes(): number;
}

export async function dispatcherRig(dir: string, options: Partial<DispatcherOptions> = {}, storeOptions: StoreOptions = { clock: fixedClock }): Promise<Rig> {
  const store = await Store.open(dir, storeOptions);
  const acks: Ack[] = [];
  const errors: Record<string, unknown>[] = [];
  const ran: string[] = [];
  const dispatcher = new CommandDispatcher({
    store,
    clock: new TrustedClock('system', fixedClock),
    timers: globalTimers,
    security: { maxSecureLifetimeMs: 300_000, maxClockSkewMs: 60_000 },
    publishAck: (json) => void acks.push(JSON.parse(json) as Ack),
    protocolError: (data) => void errors.push(data),
    serverPublicKey: undefined,
    extraSecure: new Set(),
    logger: silentLogger(),
    ...options,
  });
  dispatcher.register('sys', 'ping', command({ schema: Type.Record(Type.String(), Type.Unknown()), effect: 'none', run: async (data) => data }));
  dispatcher.register(
    'sys',
    'note',
    command({
      schema: Type.Object({ n: Type.Integer() }),
      effect: 'state',
      run: async (data, ctx) => {
        ran.push(ctx.id);
        ctx.emit('noted', { n: data.n });
        return { n: data.n };
      },
    }),
  );
  await dispatcher.recoverUnfinished();
  const sendRaw = (name: string, payload: Buffer | string) => dispatcher.handle({ role: 'sys', name, hallWide: false, topic: `halld/v1/hall-1/dev-1/cmd/sys/${name}` }, Buffer.from(payload));
  return {
    store,
    dispatcher,
    acks,
    errors,
    ran,
    sendRaw,
    send: (name, id, data, extra = {}) => sendRaw(name, JSON.stringify({ v: 1, ...(id !== undefined ? { id } : {}), ts: NOW, exp: NOW + 60_000, data, ...extra })),
    acksFor: (id) => acks.filter((a) => a.id === id),
    dbBytes: () => ['halld.db', 'halld.db-wal'].reduce((sum, f) => sum + (statSafe(join(dir, f)) ?? 0), 0),
  };
}

function statSafe(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}
