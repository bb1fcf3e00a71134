// The kiosk's business day follows only trusted time: with clock.source 'system' (the default) an
// unsigned time beacon from anyone on the hall network — now + 400 days, or 0 — is reported as
// drift and moves neither the day nor the numbering.
import t from 'tap';
import { kioskFixture } from './kiosk-fixture.js';
import { waitFor } from '../../../testkit/wait.js';

const DAY = 86_400_000;

t.test('a forged beacon does not move the business day', async (t) => {
  const k = await kioskFixture(t);
  const first = await k.take('social');
  t.ok(first.ok);
  const day = await waitFor('first ticket.issued', () => k.events('ticket.issued')[0]?.message.data['day']);
  let beacons = 0;
  for (const ts of [Date.now() + 400 * DAY, 0]) {
    await k.server.client.publishTime(ts);
    beacons += 1;
    // Barrier: diag reports the beacon once the device has handled it.
    await waitFor(`beacon ${beacons} handled`, async () => {
      const diag = await k.server.client.command('kiosk-1', 'sys/diag', {});
      const clock = diag.ok ? ((diag.data?.['link'] as Record<string, unknown>)?.['clock'] as Record<string, unknown> | undefined) : undefined;
      return Number(clock?.['beacons'] ?? (clock?.['beaconAgeMs'] !== undefined ? beacons : 0)) >= beacons;
    });
    const next = await k.take('social');
    t.ok(next.ok, 'issued');
    const issued = await waitFor('ticket.issued', () => k.events('ticket.issued')[beacons]);
    t.equal(issued.message.data['day'], day, `still business day ${String(day)} after a beacon of ${ts}`);
    t.equal(issued.message.data['number'], `A00${beacons + 1}`, 'numbering goes on: no new day started');
  }
});
