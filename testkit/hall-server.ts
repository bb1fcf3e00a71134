// A test-side central server: a HallClient that records every delivered event and status.
import { HallClient, type DeviceEvent, type HallClientOptions } from '../protocol/hall-client.js';
import type { Status, StatusOnline } from '../protocol/messages.js';
import { waitFor } from './wait.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface TestServer {
  client: HallClient;
  events: DeviceEvent[];
  statuses: Status[];
  waitOnline(device: string, after?: { boot?: number; conn?: number }): Promise<StatusOnline>;
  eventsNamed(name: string): DeviceEvent[];
  close(): Promise<void>;
}

export async function testServer(t: Teardown, options: Omit<HallClientOptions, 'hall'> & { hall?: string }): Promise<TestServer> {
  const client = new HallClient({ hall: 'test-hall', ...options });
  const events: DeviceEvent[] = [];
  const statuses: Status[] = [];
  client.onEvent((e) => void events.push(e));
  client.onStatus((s) => void statuses.push(s.status));
  await client.connect();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.close();
  };
  t.teardown(close);
  return {
    client,
    events,
    statuses,
    close,
    eventsNamed: (name) => events.filter((e) => e.name === name),
    waitOnline: (device, after = {}) =>
      waitFor(`${device} online`, () => {
        const s = client.status(device);
        if (!s || !s.online) return undefined;
        if (after.boot !== undefined && s.boot < after.boot) return undefined;
        if (after.conn !== undefined && s.boot === (after.boot ?? s.boot) && s.conn < after.conn) return undefined;
        return s;
      }, 15_000),
  };
}

/** Delivered events must be strictly increasing in seq with no gap. */
export function seqProblems(events: DeviceEvent[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < events.length; i++) {
    const a = events[i - 1]?.message.seq ?? 0;
    const b = events[i]?.message.seq ?? 0;
    if (b !== a + 1) problems.push(`seq ${a} followed by ${b}`);
  }
  return problems;
}
