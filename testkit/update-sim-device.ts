// A simulated device for rollout tests: on the real broker it does what a board's halld does
// for an update, as the server sees it — checks sys/update's signature (topic-bound, against
// the server key), answers, "restarts" with a new boot and the new version in its birth,
// waits for the server's ping, and reports update.committed; or, when told to fail, reports
// update.rolled-back and comes back on the old version. Twenty of these cost nothing; the
// real update path is tested with real halld processes in test/update/.
import mqtt, { type MqttClient } from 'mqtt';
import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { verifyForTopic } from '../protocol/signing.js';
import { topics } from '../protocol/topics.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface SimUpdateDevice {
  readonly device: string;
  readonly version: () => string;
  readonly updates: number;
}

export interface SimUpdateOptions {
  readonly url: string;
  readonly hall: string;
  readonly device: string;
  readonly serverKey: KeyObject | string;
  readonly version: string;
  /** Roll back instead of committing (the release does not work on this device). */
  readonly fails?: boolean;
  /** ms between the command and the "restarted" birth. */
  readonly restartMs?: number;
}

export async function simUpdateDevice(t: Teardown, o: SimUpdateOptions): Promise<SimUpdateDevice> {
  const address = { hall: o.hall, device: o.device };
  let version = o.version;
  let boot = 1;
  let seq = 0;
  let updates = 0;
  let trying: { from: string; to: string } | undefined;
  const client: MqttClient = await mqtt.connectAsync(o.url, { clientId: `sim-${o.device}`, clean: true, protocolVersion: 4, reconnectPeriod: 200 });
  t.teardown(() => client.endAsync(true));
  const birth = () => client.publishAsync(topics.status(address), JSON.stringify({ v: 1, online: true, boot, conn: 1, fw: version, roles: ['sys'], board: 'sim', configRev: 0, ts: Date.now() }), { qos: 1, retain: true });
  const emit = async (name: string, data: Record<string, unknown>) => {
    seq += 1;
    const message = { v: 1, id: randomUUID(), seq, prev: seq - 1, boot, up: 0, ts: Date.now(), data };
    await client.publishAsync(topics.event(address, 'sys', name), JSON.stringify(message), { qos: 1 });
  };
  const ack = (id: string, body: Record<string, unknown>) => client.publishAsync(topics.ack(address), JSON.stringify({ v: 1, id, ...body }), { qos: 1 });
  client.on('message', (topic, payload) => {
    void (async () => {
      const msg = JSON.parse(payload.toString('utf8')) as Record<string, unknown> & { id: string; data: Record<string, unknown> };
      if (topic.endsWith('/cmd/sys/update')) {
        const check = verifyForTopic(msg, o.serverKey, topic);
        if (!check.ok) return void (await ack(msg.id, { ok: false, error: { code: 'UNAUTHORIZED', message: check.reason } }));
        const to = String(msg.data['version']);
        updates += 1;
        await ack(msg.id, { ok: true, data: { accepted: true, version: to, when: 'now', have: 0 } });
        await emit('update.applied', { from: version, to });
        trying = { from: version, to };
        setTimeout(() => {
          boot += 1;
          if (o.fails) {
            // Never healthy: back on the old release, which reports it.
            trying = undefined;
            void birth().then(() => emit('update.rolled-back', { from: to, to: version, reason: 'crash loop: 3 starts without passing the health check (simulated)' }));
          } else {
            version = to;
            void birth();
          }
        }, o.restartMs ?? 50);
      } else if (topic.endsWith('/cmd/sys/ping')) {
        await ack(msg.id, { ok: true, data: msg.data });
        if (trying && version === trying.to) {
          const done = trying;
          trying = undefined;
          await emit('update.committed', done);
        }
      }
    })();
  });
  await client.subscribeAsync(`${topics.status(address).replace(/\/status$/, '')}/cmd/+/+`, { qos: 1 });
  await birth();
  return {
    device: o.device,
    version: () => version,
    get updates() {
      return updates;
    },
  };
}
