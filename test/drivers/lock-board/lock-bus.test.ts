// The shared bus on its own, over an in-memory cable on fake time: stray bytes, the quiet
// turnaround before a request, a line that closes or fails mid-transaction, a decoder that throws.
import t from 'tap';
import { HalError, type SerialLink } from '../../../drivers/hal/types.js';
import { FRAME_GAP_MS, LockBus } from '../../../drivers/lock-board/lock-bus.js';
import { create8a80Codec } from '../../../drivers/lock-board/frame-8a80.js';
import type { Exchange } from '../../../drivers/lock-board/codec.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';
import { createMemoryLinkPair } from '../../../simulators/escpos-printer/sim-serial-cable.js';
import { useFakeTime, settle, type Teardown } from '../fake-time.js';

const codec = create8a80Codec({ address: 1, locks: 24, polarity: 'set-is-open', statusByteOrder: 'ch1-last' });
const STATUS_1_REPLY = Buffer.from('8001011191', 'hex');

function rig(t: Teardown) {
  const clock = useFakeTime(t);
  const { host, device } = createMemoryLinkPair('/dev/ttyRS485-mem');
  const bus = new LockBus({ link: host, clock: systemClock, timers: globalTimers });
  const requests: Array<{ atMs: number; bytes: string }> = [];
  device.onData((chunk) => requests.push({ atMs: systemClock.monotonicMs(), bytes: chunk.toString('hex') }));
  t.teardown(() => bus.close());
  return { clock, host, device, bus, requests };
}

void t.test('bytes that arrive while nothing waits are dropped and counted, never read as a reply', async (t) => {
  const r = rig(t);
  await r.device.write(STATUS_1_REPLY); // a stale reply from before
  await settle();
  t.equal(r.bus.discardedBytes, 5);
  r.clock.tick(FRAME_GAP_MS);
  const pending = r.bus.exclusive(() => r.bus.transact(codec.status(1), 200));
  await settle();
  t.equal(r.requests.length, 1, 'the request went out');
  await r.clock.tickAsync(200);
  const outcome = await pending;
  t.same(outcome.ok ? 'ok' : outcome.code, 'TIMEOUT', 'the stale reply did not answer it');
});

void t.test('after stray bytes a request waits for the line to be quiet for the frame gap; after a clean reply it does not', async (t) => {
  const r = rig(t);
  await r.device.write(Buffer.from([0x00, 0x13])); // noise, still arriving
  await settle();
  const sentAt = systemClock.monotonicMs();
  const pending = r.bus.exclusive(() => r.bus.transact(codec.status(1), 500));
  await settle();
  await r.clock.tickAsync(FRAME_GAP_MS - 1);
  await settle();
  t.equal(r.requests.length, 0, 'not before the gap has passed');
  await r.clock.tickAsync(1);
  await settle();
  t.same(r.requests.map((q) => [q.atMs - sentAt, q.bytes]), [[FRAME_GAP_MS, '80010133b3']]);
  await r.device.write(STATUS_1_REPLY);
  await settle();
  const outcome = await pending;
  t.same(outcome, { ok: true, value: { lock: 1, open: true } });
  const again = r.bus.exclusive(() => r.bus.transact(codec.status(1), 500));
  await settle();
  t.equal(r.requests.length, 2, 'after a clean reply the next request goes out at once, with no time passing');
  await r.device.write(STATUS_1_REPLY);
  await settle();
  t.ok((await again).ok);
});

void t.test('the line closing mid-transaction ends it CLOSED (sent), and later ones CLOSED (not sent)', async (t) => {
  const r = rig(t);
  const pending = r.bus.exclusive(() => r.bus.transact(codec.unlock(1), 1000));
  await settle();
  await r.device.close();
  const outcome = await pending;
  t.same(outcome.ok ? 'ok' : [outcome.code, outcome.sent], ['CLOSED', true], 'an unlock that left is reported as sent');
  const later = await r.bus.exclusive(() => r.bus.transact(codec.unlock(1), 1000));
  t.same(later.ok ? 'ok' : [later.code, later.sent], ['CLOSED', false]);
  t.ok(r.bus.isClosed());
});

void t.test('a failed write is IO; a decoder that throws is BAD_REPLY; the queue goes on', async (t) => {
  const clock = useFakeTime(t);
  let fail = true;
  const written: string[] = [];
  const dataListeners = new Set<(chunk: Buffer) => void>();
  const link: SerialLink = {
    name: 'flaky',
    path: '/dev/flaky',
    write: async (bytes) => {
      if (fail) throw new HalError('IO', 'EIO');
      written.push(Buffer.from(bytes).toString('hex'));
      queueMicrotask(() => dataListeners.forEach((l) => l(Buffer.from('800101008' + '0', 'hex'))));
    },
    onData: (l) => {
      dataListeners.add(l);
      return () => dataListeners.delete(l);
    },
    onClose: () => () => undefined,
    isOpen: () => true,
    close: async () => undefined,
  };
  const bus = new LockBus({ link, clock: systemClock, timers: globalTimers });
  const io = await bus.exclusive(() => bus.transact(codec.status(1), 100));
  t.same(io.ok ? 'ok' : [io.code, io.sent], ['IO', true]);
  fail = false;
  const throwing: Exchange<number> = {
    request: Buffer.from([1]),
    what: 'a broken decoder',
    decode: () => {
      throw new Error('bug');
    },
  };
  const bad = await bus.exclusive(() => bus.transact(throwing, 100));
  t.match(bad, { ok: false, code: 'BAD_REPLY', message: /decoder failed: bug/ });
  const pending = bus.exclusive(() => bus.transact(codec.status(1), 100));
  await clock.tickAsync(FRAME_GAP_MS); // the turnaround after the last reply
  const good = await pending;
  t.same(good, { ok: true, value: { lock: 1, open: false } });
});
