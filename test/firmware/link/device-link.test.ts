// DeviceLink on fake time over a real Store, with a fake connection the test drives: requests
// time out on fake time and fail OFFLINE when the connection drops, a res answers only a waiting
// request and only once, retained server messages are ignored, a forged evt-ack changes nothing.
import t from 'tap';
import { Type } from '@sinclair/typebox';
import { DeviceLink } from '../../../firmware/link/device-link.js';
import { DeviceError } from '../../../firmware/link/device-error.js';
import { TrustedClock } from '../../../firmware/link/trusted-clock.js';
import type { ConnectionHandlers, LinkConnection } from '../../../firmware/link/mqtt-connection.js';
import { Store } from '../../../firmware/store/store.js';
import { silentLogger } from '../../../firmware/log.js';
import { tempDir } from '../../../testkit/temp.js';
import { fakeLinkTime, until } from './fake-link-time.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';

const ROOT = 'halld/v1/h1/d1';

class FakeConnection implements LinkConnection {
  connected = false;
  readonly published: { topic: string; body: Record<string, unknown>; retain: boolean }[] = [];
  constructor(readonly handlers: ConnectionHandlers) {}
  start(): void {
    this.connected = true;
    void this.handlers.onConnect(1);
  }
  publish(topic: string, payload: string, options: { retain?: boolean } = {}): Promise<void> {
    if (!this.connected) return Promise.reject(new Error('not connected'));
    this.published.push({ topic, body: JSON.parse(payload) as Record<string, unknown>, retain: options.retain === true });
    return Promise.resolve();
  }
  async stop(): Promise<void> {
    this.connected = false;
  }
  destroy(): void {
    this.connected = false;
  }
  drop(): void {
    this.connected = false;
    this.handlers.onDisconnect('test drop');
  }
  deliver(topic: string, body: unknown, retained = false): void {
    this.handlers.onMessage(topic, Buffer.from(JSON.stringify(body)), retained);
  }
  on(topic: string) {
    return this.published.filter((p) => p.topic === topic).map((p) => p.body);
  }
}

async function rig(t: { teardown(fn: () => unknown): void }) {
  const store = await Store.open(await tempDir(t), { clock: systemClock });
  t.teardown(() => store.close());
  const time = fakeLinkTime();
  let connection!: FakeConnection;
  const link = new DeviceLink({
    address: { hall: 'h1', device: 'd1' },
    fw: 'test',
    board: 'sim',
    roles: ['sys'],
    broker: { url: 'mqtt://unused', keepaliveS: 5, reconnectMinMs: 100, reconnectMaxMs: 1000 },
    store,
    clock: new TrustedClock('beacon', time.clock),
    timers: time.timers,
    publisher: { window: 10, resendMs: 10_000, batch: 100 },
    serverPublicKey: undefined,
    extraSecure: new Set(),
    security: { maxSecureLifetimeMs: 300_000, maxClockSkewMs: 60_000 },
    log: silentLogger(),
    configRev: () => 0,
    applyConfig: async () => ({ ok: true }),
    connect: (handlers) => (connection = new FakeConnection(handlers)),
  });
  let runs = 0;
  link.registerCommand('sys', 'ping', { schema: Type.Object({}), effect: 'none', run: async () => void (runs += 1) });
  await link.start();
  t.teardown(() => link.stop());
  const requestId = () => {
    const req = connection.published.filter((p) => p.topic.startsWith(`${ROOT}/req/`)).at(-1);
    return String(req?.body['id']);
  };
  return { link, store, time, connection, requestId, runs: () => runs };
}

t.test('a request times out on fake time, and fails OFFLINE when the connection drops', async (t) => {
  const r = await rig(t);
  const slow = r.link.request('ticket.take', {}, 3_000);
  let settled: unknown;
  slow.then(
    () => (settled = 'resolved'),
    (err: unknown) => (settled = err),
  );
  await r.time.tick(2_999);
  t.equal(settled, undefined, 'still waiting');
  await r.time.tick(1);
  t.ok(settled instanceof DeviceError);
  t.match(settled, { code: 'TIMEOUT' });
  const dropped = r.link.request('ticket.take', {}, 3_000);
  r.connection.drop();
  await t.rejects(dropped, { code: 'OFFLINE' });
  await t.rejects(r.link.request('ticket.take', {}, 3_000), { code: 'OFFLINE', message: /not connected/ });
});

t.test('a res answers a waiting request once; forged, duplicate and retained ones are counted, not taken', async (t) => {
  const r = await rig(t);
  r.connection.deliver(`${ROOT}/res`, { v: 1, id: 'r-forged', ok: true, data: { number: 'Z999' } });
  const asked = r.link.request('ticket.take', {}, 3_000);
  const id = r.requestId();
  r.connection.deliver(`${ROOT}/res`, { v: 1, id, ok: true, data: { number: 'A001' } }, true);
  r.connection.deliver(`${ROOT}/res`, { v: 1, id, ok: true, data: { number: 'A001' } });
  r.connection.deliver(`${ROOT}/res`, { v: 1, id, ok: true, data: { number: 'Z999' } });
  t.same(await asked, { number: 'A001' });
  const refused = r.link.request('ticket.take', {}, 3_000);
  r.connection.deliver(`${ROOT}/res`, { v: 1, id: r.requestId(), ok: false, error: { code: 'BUSY', message: 'no', details: { reason: 'exhausted' } } });
  await t.rejects(refused, { code: 'BUSY', details: { reason: 'exhausted' } });
  t.match(r.link.stats(), { unexpectedResponses: 2, retainedIgnored: 1, pendingRequests: 0 });
});

t.test('retained cmd, evt-ack and time are ignored; live ones are handled', async (t) => {
  const r = await rig(t);
  const now = r.time.clock.now();
  r.connection.deliver('halld/v1/h1/time', { v: 1, ts: now }, true);
  t.equal(r.link.stats()['clock'] && (r.link.stats()['clock'] as { trusted: boolean }).trusted, false, 'a retained beacon did not set the clock');
  r.connection.deliver('halld/v1/h1/time', { v: 1, ts: now });
  t.equal((r.link.stats()['clock'] as { trusted: boolean }).trusted, true);
  r.connection.deliver(`${ROOT}/cmd/sys/ping`, { v: 1, id: 'p-retained', ts: now, exp: now + 10_000, data: {} }, true);
  r.connection.deliver(`${ROOT}/cmd/sys/ping`, { v: 1, id: 'p-live', ts: now, exp: now + 10_000, data: {} });
  await until(() => r.connection.on(`${ROOT}/ack`).length > 0);
  t.same(r.connection.on(`${ROOT}/ack`).map((a) => a['id']), ['p-live']);
  t.equal(r.runs(), 1);
  await r.link.emit('sys', 'ticket', {});
  await until(() => r.connection.on(`${ROOT}/evt/sys/ticket`).length > 0);
  r.connection.deliver(`${ROOT}/evt-ack`, { v: 1, upTo: 1 }, true);
  t.match(r.link.stats(), { retainedIgnored: 3, publisher: { ackedUpTo: 0 } });
  t.equal(r.store.outboxStats().pending, 1);
});

t.test('a forged evt-ack is reported as protocol.error and deletes nothing; unacked events are re-sent on fake time', async (t) => {
  const r = await rig(t);
  await r.link.emit('sys', 'ticket', { n: 1 });
  const out = () => r.connection.on(`${ROOT}/evt/sys/ticket`);
  await until(() => out().length > 0);
  r.connection.deliver(`${ROOT}/evt-ack`, { v: 1, upTo: 1e12 });
  await until(() => r.connection.on(`${ROOT}/evt/sys/protocol.error`).length > 0);
  t.match(r.connection.on(`${ROOT}/evt/sys/protocol.error`)[0], { data: { topic: 'evt-ack', reason: /above the highest seq/ } });
  t.equal(r.store.outboxStats().pending, 2, 'the ticket and the error event are both still held');
  // Barrier: the resend timer is armed when a pass ends (after its next outbox read); ticking
  // before that would move fake time past a timer that does not exist yet.
  await until(() => r.time.fake.countTimers() > 0, 'resend timer armed');
  await r.time.tick(10_000);
  await until(() => out().length >= 2);
  t.match(out()[1], { seq: 1, replay: true }, 'sent again as a replay');
});
