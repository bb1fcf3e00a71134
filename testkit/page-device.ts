// A role's device for page tests: started by the caller's `start`, online on the hall server
// (its birth for this boot seen), and the URL of its touch page known (read from the role's
// retained state, `state.data[pageField]`: with port 0 each boot serves on a new port).
// `restart()` stops it cleanly and starts it again on the same data.
import type { HallClient } from '../protocol/hall-client.js';
import type { Role } from '../protocol/topics.js';
import type { Runtime } from '../firmware/runtime.js';
import { waitFor } from './wait.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface PageDeviceOptions {
  client: HallClient;
  device: string;
  role: Role;
  /** The field of the role's retained state that holds the page URL (`kiosk`, `page`). */
  pageField: string;
  start(): Promise<Runtime>;
  /** Called at every boot once the device is online and its page URL is known. */
  onReady(runtime: Runtime, url: string): void;
}

export interface PageDevice {
  restart(): Promise<void>;
}

export async function startPageDevice(t: Teardown, o: PageDeviceOptions): Promise<PageDevice> {
  let runtime: Runtime | undefined;
  const urls = new Map<number, string>();
  o.client.onState((device, role, state) => {
    const url = state.data[o.pageField];
    if (device === o.device && role === o.role && typeof url === 'string') urls.set(runtime?.boot ?? 0, url);
  });
  const boot = async (): Promise<void> => {
    const started = await o.start();
    runtime = started;
    const b = started.boot;
    await waitFor('device online', () => {
      const s = o.client.status(o.device);
      return s?.online === true && s.boot === b;
    });
    o.onReady(started, await waitFor(`${o.role} page url`, () => urls.get(b)));
  };
  await boot();
  t.teardown(() => runtime?.stop('test end'));
  return {
    restart: async () => {
      await runtime?.stop('test restart');
      await boot();
    },
  };
}
