// The device's idea of "now" after the hall's time beacon: carried by the monotonic clock, and
// whole milliseconds, as every protocol timestamp must be.
import t from 'tap';
import { TrustedClock } from '../../firmware/link/trusted-clock.js';
import { RequestMessage } from '../../protocol/messages.js';
import { validate } from '../../protocol/validate.js';

function fakeClock(wall: number, mono: number) {
  const c = { wall, mono, now: () => c.wall, monotonicMs: () => c.mono };
  return c;
}

t.test('after a beacon, time is the beacon plus monotonic time, in whole milliseconds', async (t) => {
  const hw = fakeClock(0, 1000.25);
  const clock = new TrustedClock('beacon', hw);
  t.equal(clock.now(), undefined, 'nothing trusted before the beacon');
  clock.beacon(1_795_441_061_488);
  hw.mono += 6295.7183;
  t.equal(clock.now(), 1_795_441_067_784);
  t.ok(Number.isInteger(clock.bestGuess()));
  const request = { v: 1, id: 'r-1', ts: clock.bestGuess(), data: {} };
  t.equal(validate(RequestMessage, request).ok, true, 'a request stamped with it is valid');
});

t.test('system source: the OS clock is trusted and a beacon never moves it; the drift is reported', async (t) => {
  const hw = fakeClock(1_700_000_000_000, 5.5);
  const clock = new TrustedClock('system', hw);
  t.equal(clock.now(), 1_700_000_000_000);
  clock.beacon(1_800_000_000_000);
  hw.mono += 0.4;
  t.equal(clock.now(), 1_700_000_000_000, 'a beacon far ahead is not the time');
  clock.beacon(0);
  t.equal(clock.now(), 1_700_000_000_000, 'nor is a beacon of 0');
  t.match(clock.describe(), { source: 'system', trusted: true, driftMs: -1_700_000_000_000, beacons: 2 });
});

t.test('beacon source: each beacon sets the time; the drift from the previous time is reported', async (t) => {
  const hw = fakeClock(0, 0);
  const clock = new TrustedClock('beacon', hw);
  clock.beacon(1_800_000_000_000);
  t.notOk('driftMs' in clock.describe(), 'no drift to report before the first anchor');
  hw.mono += 1000;
  clock.beacon(1_800_000_001_250);
  t.equal(clock.now(), 1_800_000_001_250);
  t.match(clock.describe(), { source: 'beacon', trusted: true, driftMs: 250, beacons: 2 });
});
