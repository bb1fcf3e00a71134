// The kiosk's business day follows only trusted time: with clock.source 'system' (the default) an
// unsigned time beacon from anyone on the hall network (now + 400 days, now + 2 days) is reported
// as drift and does not move the business day. (A beacon into the past cannot move the
// day back anyway: the ledger never reuses an earlier day.)
import t from 'tap';
import { kioskFixture } from './kiosk-fixture.js';
import { waitFor } from '../../../testkit/wait.js';

const DAY = 86_400_000;

t.test('a forged beacon does not move the business day', async (t) => {
  // The reference server's own beacons (the real time) would hide a forged one: only ours go out.
  const k = await kioskFixture(t, { timeBeaconMs: 20 * DAY });
  const first = await k.take('social');
  t.ok(first.ok);
  const day = await waitFor('first ticket.issued', () => k.events('ticket.issued')[0]?.message.data['day']);
  let beacons = 0;
  for (const ts of [Date.now() + 400 * DAY, Date.now() + 2 * DAY]) {
    await k.server.client.publishTime(ts);
    beacons += 1;
    // Barrier: any ack to a command sent after the beacon (even EXPIRED, which is what a clock
    // moved 400 days ahead answers) means the device has handled the beacon.
    await k.server.client.command('kiosk-1', 'sys/ping', {});
    const next = await k.take('social');
    t.ok(next.ok, 'issued');
    const issued = await waitFor('ticket.issued', () => k.events('ticket.issued')[beacons]);
    t.equal(issued.message.data['day'], day, `still business day ${String(day)} after a beacon of ${ts}`);
  }
});
