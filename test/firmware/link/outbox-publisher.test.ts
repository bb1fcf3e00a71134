// OutboxPublisher over a real Store and fake time: events go out in seq order, an evt-ack above
// the highest seq ever published is refused and deletes nothing, and events are re-sent (marked
// replay) when the server's watermark has not moved for resendMs.
import t from 'tap';
import { OutboxPublisher } from '../../../firmware/link/outbox-publisher.js';
import { Store, type OutboxEvent } from '../../../firmware/store/store.js';
import { tempDir } from '../../../testkit/temp.js';
import { fakeLinkTime, until } from './fake-link-time.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';

async function rig(t: { teardown(fn: () => unknown): void }) {
  const store = await Store.open(await tempDir(t), { clock: systemClock });
  t.teardown(() => store.close());
  const time = fakeLinkTime();
  const sent: { seq: number; prev: number; replay: boolean }[] = [];
  const publish = (event: OutboxEvent, prev: number, replay: boolean) => {
    sent.push({ seq: event.seq, prev, replay });
    return Promise.resolve();
  };
  const publisher = new OutboxPublisher(store, publish, { window: 10, resendMs: 10_000, batch: 100 }, () => undefined, time.timers);
  t.teardown(() => publisher.stop());
  const emit = (n: number) => store.commit([], Array.from({ length: n }, (_, i) => ({ role: 'sys', name: 'ticket', data: { i }, durable: true })));
  const drained = (count: number) => until(() => sent.length >= count, `${count} events sent`);
  return { store, publisher, sent, emit, drained, time };
}

t.test('an evt-ack above the highest published seq is refused and deletes nothing', async (t) => {
  const r = await rig(t);
  await r.emit(3);
  r.publisher.onConnect();
  await r.drained(3);
  t.same(r.sent.map((s) => [s.seq, s.prev]), [[1, 0], [2, 1], [3, 2]]);
  const refused = await r.publisher.onAck(1e12);
  t.match(refused, { ok: false, reason: /1000000000000.*highest.*3/ });
  t.match(await r.publisher.onAck(4), { ok: false, reason: /upTo 4 .*highest.*\(3\)/ }, 'one above the highest is already too many');
  t.equal(r.store.outboxStats().pending, 3, 'nothing deleted');
  t.equal(r.publisher.stats().ackedUpTo, 0);
  const ok = await r.publisher.onAck(3);
  t.match(ok, { ok: true });
  t.equal(r.store.outboxStats().pending, 0, 'the real ack deletes');
});

t.test('events made while offline were never sent and cannot be acknowledged; an earlier boot\'s can', async (t) => {
  const r = await rig(t);
  r.publisher.onConnect();
  await r.emit(2);
  await r.drained(2);
  r.publisher.onDisconnect();
  await r.emit(1);
  t.match(await r.publisher.onAck(3), { ok: false }, 'seq 3 was made while offline and never sent');
  t.match(await r.publisher.onAck(2), { ok: true });
  // The next boot cannot know what the last one sent: everything it left may have been.
  const next = new OutboxPublisher(r.store, () => Promise.resolve(), { window: 10, resendMs: 10_000, batch: 100 }, () => undefined, r.time.timers);
  t.teardown(() => next.stop());
  t.match(await next.onAck(3), { ok: true });
  t.match(await next.onAck(4), { ok: false });
});

t.test('no evt-ack progress for resendMs: unacknowledged events go out again as replays', async (t) => {
  const r = await rig(t);
  r.publisher.onConnect();
  await r.emit(2);
  await r.drained(2);
  // Barrier: the pass arms its resend timer only after its next (empty) outbox read; ticking
  // before that would move fake time past a timer that does not exist yet.
  await until(() => r.time.fake.countTimers() === 1, 'resend timer armed');
  t.same(r.sent.map((s) => s.replay), [false, false]);
  await r.time.tick(9_999);
  t.equal(r.sent.length, 2, 'not before resendMs');
  await r.time.tick(1);
  await r.drained(4);
  t.same(r.sent.slice(2).map((s) => [s.seq, s.prev, s.replay]), [[1, 0, true], [2, 1, true]]);
  await r.publisher.onAck(2);
  await r.time.tick(600_000);
  t.equal(r.sent.length, 4, 'nothing is re-sent once acknowledged');
});
