// A DeviceLink over a real Store and an in-process aedes broker, with a second plain MQTT client
// playing whoever else is on the hall network (the server, or an attacker without credentials).
// Ordering barrier: messages one client publishes reach the device in order, and the device
// handles a `ping` after everything that came before it, so "nothing happened" is checked after a
// later ping's ack instead of after a sleep.
import { createRequire } from 'node:module';
import type { MqttClient } from 'mqtt';
import type { KeyObject } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { DeviceLink, type ConfigVerdict } from '../../../firmware/link/device-link.js';
import { TrustedClock, type ClockSource } from '../../../firmware/link/trusted-clock.js';
import { Store } from '../../../firmware/store/store.js';
import { silentLogger } from '../../../firmware/log.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { startAedesBroker } from '../../../simulators/hall/aedes-broker.js';
import { parseJsonObject } from '../../../protocol/validate.js';
import { tempDir } from '../../../testkit/temp.js';
import { waitFor } from '../../../testkit/wait.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';

const mqtt = createRequire(import.meta.url)('mqtt') as typeof import('mqtt');

interface Teardown {
  teardown(fn: () => unknown): void;
}

export const ROOT = 'halld/v1/h1/d1';

export interface Seen {
  topic: string;
  body: Record<string, unknown>;
}

export interface LinkRigOptions {
  source?: ClockSource;
  serverPublicKey?: KeyObject;
  /** The board's wall clock (system source reads it). */
  wall?: () => number;
  /** Runs before the device connects (retained messages waiting for it). */
  before?: (other: MqttClient) => Promise<void>;
}

export async function linkRig(t: Teardown, options: LinkRigOptions = {}) {
  const broker = await startAedesBroker();
  t.teardown(() => broker.close());
  const store = await Store.open(await tempDir(t), { clock: systemClock });
  t.teardown(() => store.close());
  const other = await mqtt.connectAsync(broker.url, { clientId: 'other', protocolVersion: 4 });
  t.teardown(() => other.endAsync(true));
  const seen: Seen[] = [];
  other.on('message', (topic, payload) => {
    const parsed = parseJsonObject(payload);
    if (parsed.ok) seen.push({ topic, body: parsed.value });
  });
  await other.subscribeAsync(`${ROOT}/#`, { qos: 1 });
  if (options.before) await options.before(other);

  const wall = options.wall ?? (() => Date.now());
  const clock = new TrustedClock(options.source ?? 'system', { now: wall, monotonicMs: () => performance.now() });
  let configRev = 0;
  const applied: { rev: number; data: Record<string, unknown> }[] = [];
  const link = new DeviceLink({
    address: { hall: 'h1', device: 'd1' },
    fw: 'test',
    board: 'sim',
    roles: ['sys'],
    broker: { url: broker.url, keepaliveS: 5, reconnectMinMs: 100, reconnectMaxMs: 1000 },
    store,
    clock,
    timers: globalTimers,
    publisher: { window: 100, resendMs: 600_000, batch: 100 },
    serverPublicKey: options.serverPublicKey,
    extraSecure: new Set(),
    security: { maxSecureLifetimeMs: 300_000, maxClockSkewMs: 60_000 },
    log: silentLogger(),
    configRev: () => configRev,
    applyConfig: async (rev, data): Promise<ConfigVerdict> => {
      applied.push({ rev, data });
      configRev = rev;
      return { ok: true };
    },
  });
  link.registerCommand('sys', 'ping', { schema: Type.Record(Type.String(), Type.Unknown()), effect: 'none', run: async (data) => data as Record<string, unknown> });
  t.teardown(() => link.stop());
  await link.start();
  await waitFor('device online', () => seen.some((m) => m.topic === `${ROOT}/status` && m.body['online'] === true));

  let barriers = 0;
  /** Publishes a ping after whatever the test sent, and waits for its ack. */
  const barrier = async (): Promise<void> => {
    const id = `barrier-${++barriers}`;
    const ts = Date.now();
    await other.publishAsync(`${ROOT}/cmd/sys/ping`, JSON.stringify({ v: 1, id, ts, exp: ts + 60_000, data: {} }), { qos: 1 });
    await waitFor(`ack ${id}`, () => seen.some((m) => m.topic === `${ROOT}/ack` && m.body['id'] === id));
  };
  const publish = async (topic: string, body: unknown, retain = false): Promise<void> => {
    await other.publishAsync(topic, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1, retain });
  };
  const events = (name: string) => seen.filter((m) => m.topic === `${ROOT}/evt/sys/${name}`).map((m) => m.body);
  return { broker, store, other, seen, link, clock, applied, barrier, publish, events, configRev: () => configRev };
}
