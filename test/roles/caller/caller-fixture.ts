// A whole caller in one process for the role tests: embedded broker, the reference server, and
// a `caller` device on the sim board with a window panel (128x16), a hall panel (128x32) and a
// five-key keypad on sim GPIO.
import type { ReferenceServer } from '../../../simulators/hall/reference-server.js';
import { Runtime } from '../../../firmware/runtime.js';
import { isSimHal, type SimHal } from '../../../simulators/hal/sim-hal.js';
import type { DeviceEvent } from '../../../protocol/hall-client.js';
import type { Hal } from '../../../drivers/hal/types.js';
import type { Ack } from '../../../protocol/messages.js';
import type { DeviceTime } from '../../../testkit/device-time.js';
import { waitFor } from '../../../testkit/wait.js';
import { roleRuntimeOptions, startRoleHall } from '../../../testkit/role-hall.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export const DEVICE = 'caller-5';
export const KEYS = ['next', 'recall', 'pause', 'transfer', 'no-show'] as const;

export const IO = {
  inputs: Object.fromEntries(KEYS.map((k, i) => [`key-${k}`, { pin: `GPIO${5 + i}`, debounceMs: 20 }])),
  matrices: { win: { rows: 16, cols: 64, chain: 2 }, hall: { rows: 32, cols: 64, chain: 2 } },
};

export interface CallerFixture {
  server: ReferenceServer;
  runtime: Runtime;
  hal: SimHal;
  dataDir: string;
  command(name: string, data: Record<string, unknown>): Promise<Ack>;
  events(name: string): DeviceEvent[];
  /** The latest retained caller state the server has seen. */
  state(): Record<string, unknown> | undefined;
  restart(): Promise<void>;
}

export async function callerFixture(
  t: Teardown,
  options: {
    role?: Record<string, unknown>;
    time?: DeviceTime;
    io?: Record<string, unknown>;
    /** Another board than the sim one (its id and a HAL factory); `hal` in the fixture is then unset. */
    board?: { id: string; hal: () => Promise<Hal> };
  } = {},
): Promise<CallerFixture> {
  const hall = await startRoleHall(t, { prefix: 'halld-caller-' });
  const { server } = hall;
  let latest: Record<string, unknown> | undefined;
  server.client.onState((device, role, state) => {
    if (device === DEVICE && role === 'caller') latest = state.data;
  });
  const config = hall.config(DEVICE, {
    board: options.board?.id ?? 'sim',
    io: options.io ?? IO,
    roles: {
      sys: {},
      caller: {
        window: '5',
        panels: { window: 'win', hall: ['hall'] },
        keys: Object.fromEntries(KEYS.map((k) => [k, `key-${k}`])),
        voice: { repeat: 2, repeatGapMs: 500 },
        ...options.role,
      },
    },
  });
  const { dataDir } = config;
  const fixture = { server, dataDir } as CallerFixture;
  const boot = async () => {
    const hal = options.board ? await options.board.hal() : undefined;
    const runtime = await Runtime.start(config, roleRuntimeOptions({ ...(hal ? { hal } : {}), time: options.time }));
    fixture.runtime = runtime;
    if (isSimHal(runtime.hal)) fixture.hal = runtime.hal;
    else if (!options.board) throw new Error('expected the sim board');
    await waitFor('device online', () => {
      const s = server.client.status(DEVICE);
      return s?.online === true && s.boot === runtime.boot;
    });
  };
  await boot();
  t.teardown(() => fixture.runtime.stop('test end'));
  Object.assign(fixture, {
    command: (name: string, data: Record<string, unknown>) => server.client.commandUnchecked(DEVICE, `caller/${name}`, data),
    events: (name: string) => server.events.filter((e) => e.device === DEVICE && e.role === 'caller' && e.name === name),
    state: () => latest,
    restart: async () => {
      await fixture.runtime.stop('test restart');
      await boot();
    },
  });
  return fixture;
}
