// The server's event order on its own: out-of-order arrivals wait for `prev`, copies are dropped
// and acknowledged again, a gap the device made on purpose is crossed, and a cursor kept
// elsewhere is where delivery resumes.
import t from 'tap';
import { OrderedDelivery, type DeviceEvent } from '../../protocol/ordered-delivery.js';

function event(seq: number, prev: number, device = 'd1'): DeviceEvent {
  return { device, role: 'sys', name: 'beat', message: { v: 1, seq, prev, ts: 0, data: {} } } as unknown as DeviceEvent;
}

function rig(stored = new Map<string, number>()) {
  const delivered: number[] = [];
  const acks: [string, number][] = [];
  const counters = { events: 0, duplicates: 0, buffered: 0 };
  const delivery = new OrderedDelivery({
    cursors: { get: (d) => stored.get(d), set: (d, s) => void stored.set(d, s) },
    ackDelayMs: 1,
    counters,
    deliver: async (e) => void delivered.push(e.message.seq),
    sendAck: (device, upTo) => void acks.push([device, upTo]),
  });
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { delivery, delivered, acks, counters, stored, settle };
}

t.test('events that arrive out of order are delivered in seq order, once, and acknowledged', async (t) => {
  const r = rig();
  t.teardown(() => r.delivery.close());
  for (const e of [event(1, 0), event(3, 2), event(2, 1), event(2, 1)]) r.delivery.receive(e);
  await r.settle();
  t.same(r.delivered, [1, 2, 3]);
  t.same(r.counters, { events: 3, duplicates: 1, buffered: 1 });
  t.same(r.acks.at(-1), ['d1', 3], 'one ack up to the last');
  t.equal(r.delivery.lastSeq('d1'), 3);
});

t.test('a gap the device made on purpose is crossed: prev names where the chain goes on', async (t) => {
  const r = rig();
  t.teardown(() => r.delivery.close());
  r.delivery.receive(event(1, 0));
  r.delivery.receive(event(5, 1)); // 2-4 were telemetry dropped by the device
  await r.settle();
  t.same(r.delivered, [1, 5]);
});

t.test('delivery resumes after the stored cursor; an old copy is acknowledged again, not delivered', async (t) => {
  const r = rig(new Map([['d1', 7]]));
  t.teardown(() => r.delivery.close());
  r.delivery.receive(event(7, 6));
  await r.settle();
  t.same(r.delivered, []);
  t.same(r.acks, [['d1', 7]], 'the device that missed the ack hears it again');
  r.delivery.receive(event(8, 7));
  await r.settle();
  t.same(r.delivered, [8]);
  t.equal(r.stored.get('d1'), 8);
});
