// abortableDelay: the one pause on injected timers that an AbortSignal cuts short (the locker's
// door polls, the evaluator's and the caller's self-tests use it).
import t from 'tap';
import sinon from 'sinon';
import { abortableDelay, globalTimers } from '../../../drivers/clock/timers.js';

t.test('resolves true after the time, false when aborted first, and leaves nothing behind', async (t) => {
  const clock = sinon.useFakeTimers();
  t.teardown(() => clock.restore());

  const full = abortableDelay(globalTimers, 500);
  await clock.tickAsync(499);
  let settled = false;
  void full.then(() => (settled = true));
  await clock.tickAsync(0);
  t.notOk(settled, 'not before the time');
  await clock.tickAsync(1);
  t.equal(await full, true);

  const abort = new AbortController();
  const cut = abortableDelay(globalTimers, 500, abort.signal);
  await clock.tickAsync(100);
  abort.abort();
  t.equal(await cut, false, 'aborted');
  t.equal(clock.countTimers(), 0, 'its timer was cleared');

  t.equal(await abortableDelay(globalTimers, 500, abort.signal), false, 'an already aborted signal resolves at once');
  t.equal(clock.countTimers(), 0, 'and sets no timer');

  const late = new AbortController();
  const removed = sinon.spy(late.signal, 'removeEventListener');
  const done = abortableDelay(globalTimers, 10, late.signal);
  await clock.tickAsync(10);
  t.equal(await done, true);
  t.equal(removed.callCount, 1, 'the abort listener is removed when the time passed');
});
