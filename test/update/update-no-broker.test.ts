// A release that never reaches the broker (here: the broker is down from the moment the new
// release starts) cannot publish its birth, so it cannot prove itself: at the deadline it
// switches back by itself, and the old release reports the rollback once the broker is back
// (the event waits in the durable outbox).
import t from 'tap';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '../../testkit/wait.js';
import { missing, SLOW_MS, updateFixture } from './update-fixture.js';

t.test('no broker for the new release: rolled back at the deadline, reported when the broker is back', { skip: missing() }, async (t) => {
  const f = await updateFixture(t, { healthDeadlineMs: 15_000 });
  await f.onlineAndPinged('0.1.0');
  const { since } = await f.applied(t, '0.1.1');
  await f.broker.stop();
  await waitFor('0.1.1 started', () => f.board.starts.some((s) => s.version === '0.1.1'), SLOW_MS, 100);
  await waitFor('back on 0.1.0', () => f.board.starts.at(-1)?.version === '0.1.0' && f.board.starts.length >= 3, SLOW_MS, 100);
  t.equal(await readlink(join(f.root, 'current')), '0.1.0', 'switched back without any message from the server');
  await f.broker.restart();
  const rolled = await f.event('update.rolled-back', since);
  t.match(rolled.message.data, { from: '0.1.1', to: '0.1.0', reason: /not healthy within 15 s: no birth on the broker/ });
  t.same(f.board.starts.map((s) => s.version), ['0.1.0', '0.1.1', '0.1.0']);
  await f.onlineAndPinged('0.1.0');
});
