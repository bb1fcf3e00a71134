// One small hall for a role's tests, the setup every role fixture shared: an embedded broker on an
// ephemeral port (which a test can stop and start again on the same port: the hall network
// going down), the reference server on it, a temp folder, and one device's config on that broker.
// Everything is removed when the test ends. What the device runs is the fixture's business.
import { join } from 'node:path';
import { startAedesBroker, type EmbeddedBroker } from '../simulators/hall/aedes-broker.js';
import { ReferenceServer, type ReferenceServerOptions } from '../simulators/hall/reference-server.js';
import { parseConfig } from '../firmware/config/parse-config.js';
import type { DeviceConfig } from '../firmware/config/schema.js';
import type { RuntimeOptions } from '../firmware/runtime.js';
import { silentLogger } from '../firmware/log.js';
import type { Hal } from '../drivers/hal/types.js';
import type { DeviceTime } from './device-time.js';
import { tempDir } from './temp.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface RoleHall {
  readonly hall: string;
  readonly dir: string;
  readonly url: string;
  readonly server: ReferenceServer;
  /** The broker now (undefined while it is down). */
  broker(): EmbeddedBroker | undefined;
  /** Stops the broker / starts it again on the same port. */
  brokerDown(): Promise<void>;
  brokerUp(): Promise<EmbeddedBroker>;
  /**
   * A device's config on this hall's broker: the sim board, a data dir in the temp folder and a
   * fast reconnect, with `fields` (roles, io, board, ...) over them.
   */
  config(device: string, fields: Record<string, unknown>): DeviceConfig;
}

export async function startRoleHall(t: Teardown, options: { prefix: string; hall?: string; server?: Omit<ReferenceServerOptions, 'url' | 'hall'> }): Promise<RoleHall> {
  const hall = options.hall ?? 'test-hall';
  const dir = await tempDir(t, options.prefix);
  let broker: EmbeddedBroker | undefined = await startAedesBroker({ port: 0 });
  const { port, url } = broker;
  t.teardown(() => broker?.close());
  const server = new ReferenceServer({ url, hall, ...options.server });
  await server.start();
  t.teardown(() => server.stop());
  return {
    hall,
    dir,
    url,
    server,
    broker: () => broker,
    brokerDown: async () => {
      await broker?.close();
      broker = undefined;
    },
    brokerUp: async () => {
      broker = await startAedesBroker({ port });
      return broker;
    },
    config: (device, fields) =>
      parseConfig({ hall, device, board: 'sim', dataDir: join(dir, 'data'), ...fields, broker: { url, reconnectMinMs: 100, ...(fields['broker'] as object | undefined) } }),
  };
}

/** Runtime.start's options in a role test: no log output, the board's HAL when not the sim one, the device's time when the test drives it. */
export function roleRuntimeOptions(options: { hal?: Hal; time?: DeviceTime | undefined } = {}): RuntimeOptions {
  return { log: silentLogger(), ...(options.hal ? { hal: options.hal } : {}), ...(options.time ? { timers: options.time.timers, clock: options.time.clock } : {}) };
}
