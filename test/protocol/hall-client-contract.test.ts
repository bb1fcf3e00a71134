// The server side of the typed contract at run time: HallClient hands a typed handler only
// data that fits the contract's schema (a device with a bug, or an old firmware, cannot feed
// it garbage), and answers a request that does not fit with BAD_REQUEST before its handler runs.
import t, { type Test } from 'tap';
import { createRequire } from 'node:module';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { HallClient, type DeviceEvent } from '../../protocol/hall-client.js';
import type { PrinterOkEvent } from '../../protocol/ticket-printer.js';
import type { Static } from '@sinclair/typebox';
import { waitFor } from '../../testkit/wait.js';

const mqtt = createRequire(import.meta.url)('mqtt') as typeof import('mqtt');
const ROOT = 'halld/v1/test-hall/dev-1';

async function setup(t: Test) {
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const client = new HallClient({ url: broker.url, hall: 'test-hall', ackDelayMs: 1 });
  await client.connect();
  t.teardown(() => client.close());
  // The device side, by hand: whatever bytes a buggy device might send.
  const device = await mqtt.connectAsync(broker.url, { clientId: 'dev-1', protocolVersion: 4 });
  t.teardown(() => device.endAsync());
  const responses: Record<string, unknown>[] = [];
  device.on('message', (_topic, payload) => void responses.push(JSON.parse(payload.toString()) as Record<string, unknown>));
  await device.subscribeAsync(`${ROOT}/res`, { qos: 1 });
  return { client, device, responses };
}

t.test('onEventOf hands on only events whose data fits the contract; the others are counted', async (t) => {
  const { client, device } = await setup(t);
  const typed: Static<typeof PrinterOkEvent>[] = [];
  const all: DeviceEvent[] = [];
  client.onEventOf('ticket-printer', 'printer.ok', (data) => void typed.push(data));
  client.onEvent((e) => void all.push(e));
  const send = (seq: number, data: unknown) =>
    device.publishAsync(`${ROOT}/evt/ticket-printer/printer.ok`, JSON.stringify({ v: 1, id: `e${seq}`, seq, prev: seq - 1, boot: 1, up: seq, ts: Date.now(), data }), { qos: 1 });
  await send(1, { printer: 'main', cleared: ['paper-out'] });
  await send(2, { printer: 5, cleared: 'all' });
  await send(3, { printer: 'main', cleared: ['cover-open'] });
  // Barrier: events are delivered in seq order, so once the third is in, the second was handled.
  await waitFor('three events delivered', () => all.length >= 3);
  t.same(
    typed.map((d) => d.cleared),
    [['paper-out'], ['cover-open']],
    'the event that does not fit never reached the typed handler',
  );
  t.equal(client.stats()['invalidEvents'], 1);
  t.equal(all.length, 3, 'the untyped stream still sees (and acknowledges) every event');
});

t.test('onRequest answers data that does not fit with BAD_REQUEST without calling the handler', async (t) => {
  const { client, device, responses } = await setup(t);
  const calls: string[] = [];
  client.onRequest('ticket.take', (_device, data) => {
    calls.push(data.category);
    return { number: 'A001', waiting: 0 };
  });
  const ask = (id: string, data: unknown) => device.publishAsync(`${ROOT}/req/ticket.take`, JSON.stringify({ v: 1, id, ts: Date.now(), data }), { qos: 1 });
  await ask('r1', { takeId: 't1', category: 5 });
  await ask('r2', { takeId: 't2', category: 'social', priority: false });
  const [bad, good] = await waitFor('two answers', () => (responses.length >= 2 ? [responses.find((r) => r['id'] === 'r1'), responses.find((r) => r['id'] === 'r2')] : undefined));
  t.match(bad, { id: 'r1', ok: false, error: { code: 'BAD_REQUEST', message: /ticket\.take: .*category/ } });
  t.same(good, { v: 1, id: 'r2', ok: true, data: { number: 'A001', waiting: 0 } });
  t.same(calls, ['social'], 'the handler ran only for the request that fits');
});

t.test('a subscription or a request handler for a name no contract has is refused at once', async (t) => {
  const client = new HallClient({ url: 'mqtt://127.0.0.1:1', hall: 'test-hall' });
  // Names that escaped the compiler (built at run time) still cannot register silently.
  const role = 'ticket-printer' as const;
  const event = ['printer', 'okay'].join('.') as 'printer.ok';
  t.throws(() => client.onEventOf(role, event, () => undefined), /no event printer\.okay/);
  const request = ['ticket', 'takes'].join('.') as 'ticket.take';
  t.throws(() => client.onRequest(request, () => ({ number: 'A001', waiting: 0 })), /no contract declares request ticket\.takes/);
});
