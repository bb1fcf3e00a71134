// The evaluator role on the real runtime, through aedes and the reference server: one rating
// per case whatever the citizen or the server repeats, low ratings need a reason, timeouts,
// pause across restarts, ratings given offline delivered later, and the GPIO buttons.
import t from 'tap';
import { caseRequest, CONTENT, evaluatorFixture, STAFF } from './evaluator-fixture.js';
import { deviceTime } from '../../../testkit/device-time.js';
import { waitFor } from '../../../testkit/wait.js';
import { CHANNEL } from '../../../protocol/evaluator.js';

t.setTimeout(120_000);

t.test('request → rating → one rating.submitted with every field; repeats change nothing', async (t) => {
  const e = await evaluatorFixture(t);
  t.equal((await e.command('staff', STAFF as unknown as Record<string, unknown>)).ok, true);
  const ack = await e.command('request', caseRequest('case-1'));
  t.equal(ack.ok, true, 'request accepted');
  t.equal((await e.view()).screen, 'rating');

  // A double tap, a second level and a button press all at once: one wins.
  const results = await Promise.all([e.rate('case-1', 4), e.rate('case-1', 4), e.rate('case-1', 3)]);
  const won = results.filter((r) => r.ok && !r.already);
  t.equal(won.length, 1, 'exactly one submission was recorded');
  e.hal.sim.press('btn-1');
  e.hal.sim.release('btn-1');

  const submitted = await waitFor('rating.submitted', () => e.events('rating.submitted')[0]);
  const data = submitted.message.data;
  t.match(data, {
    caseId: 'case-1',
    matterCode: '440100-SB-001',
    ticket: 'A023',
    staffId: 'GZ-0107',
    window: '7号窗口',
    contentVersion: CONTENT.version,
    channel: CHANNEL,
    offline: false,
    items: [],
  });
  t.ok([3, 4].includes(data['level'] as number), 'the level of the winning tap');
  t.equal(data['levelName'], data['level'] === 4 ? '满意' : '基本满意');
  t.type(data['ratingId'], 'string');
  t.ok((data['answeredAt'] as number) >= (data['requestedAt'] as number), 'answered after requested');
  t.equal((await e.view()).screen, 'thanks', 'the thank-you shows after the rating is on disk');

  // The server repeats the request: it gets the stored rating back and nothing starts.
  const again = await e.command('request', caseRequest('case-1'));
  t.equal(again.ok, true);
  t.match(again.ok ? again.data : {}, { state: 'rated', rating: { ratingId: data['ratingId'], level: data['level'] } });
  t.equal((await e.view()).screen, 'thanks', 'no new rating screen');
  // Barrier: a later case's event must arrive after anything the repeats could have sent.
  await e.command('request', caseRequest('case-2'));
  await e.command('cancel', { caseId: 'case-2' });
  await waitFor('case-2 cancelled', () => e.events('rating.cancelled')[0]);
  t.equal(e.events('rating.submitted').length, 1, 'one rating.submitted for case-1');
});

t.test('a low level without an item is refused; with one it counts', async (t) => {
  const e = await evaluatorFixture(t);
  await e.command('request', caseRequest('case-low'));
  const refused = await e.rate('case-low', 1, []);
  t.match(refused, { ok: false, reason: 'item-required' });
  t.match(await e.rate('case-low', 2, ['skill']), { ok: false, reason: 'unknown-item' }, 'an item not offered at that level');
  t.equal((await e.view()).screen, 'rating', 'still waiting for a rating');
  t.match(await e.rate('case-low', 1, ['attitude', 'efficiency']), { ok: true, already: false });
  const ev = await waitFor('rating.submitted', () => e.events('rating.submitted')[0]);
  t.match(ev.message.data, { level: 1, levelName: '非常不满意', items: ['attitude', 'efficiency'] });
});

t.test('content with an empty low level is refused; a good one replaces the config\'s', async (t) => {
  const e = await evaluatorFixture(t);
  const bad = await e.command('content', { version: 'x', levels: { ...CONTENT.levels, '2': [] } });
  t.match(bad, { ok: false, error: { code: 'BAD_REQUEST' } });
  t.match(bad.ok ? '' : bad.error.message, /\/levels\/2/);
  t.equal((await e.command('content', { ...CONTENT, version: 'gd-2026.2' })).ok, true);
  t.equal((await e.view()).contentVersion, 'gd-2026.2');
});

t.test('no answer within the timeout → rating.expired, and the card is back', async (t) => {
  const time = deviceTime(t);
  const e = await evaluatorFixture(t, { time });
  await e.command('request', caseRequest('case-slow', { timeoutMs: 30_000 }));
  time.tick(29_000);
  t.equal((await e.view()).screen, 'rating');
  time.tick(1_000);
  const ev = await waitFor('rating.expired', () => e.events('rating.expired')[0]);
  t.same(ev.message.data, { caseId: 'case-slow' });
  t.equal((await e.view()).screen, 'idle');
  t.match(await e.rate('case-slow', 5), { ok: false, reason: 'no-case' }, 'too late to rate');
});

t.test('a restart mid-rating shows the case again and still counts one rating', async (t) => {
  const e = await evaluatorFixture(t);
  await e.command('request', caseRequest('case-r'));
  await e.restart();
  const view = await e.view();
  t.equal(view.screen, 'rating');
  t.equal(view.case?.caseId, 'case-r');
  t.match(await e.rate('case-r', 5, ['fast']), { ok: true });
  await e.restart();
  t.match(await e.rate('case-r', 5), { ok: true, already: true }, 'after a restart the stored rating answers');
  await waitFor('rating.submitted', () => e.events('rating.submitted')[0]);
  await e.command('request', caseRequest('case-barrier'));
  await e.command('cancel', { caseId: 'case-barrier' });
  await waitFor('barrier', () => e.events('rating.cancelled')[0]);
  t.equal(e.events('rating.submitted').length, 1);
});

t.test('pause refuses requests and survives a restart; resume', async (t) => {
  const e = await evaluatorFixture(t);
  t.equal((await e.command('pause', { reason: '午休' })).ok, true);
  t.equal((await e.view()).screen, 'paused');
  await e.restart();
  const view = await e.view();
  t.equal(view.screen, 'paused');
  t.equal(view.pausedReason, '午休');
  t.match(await e.command('request', caseRequest('case-p')), { ok: false, error: { code: 'BUSY' } });
  t.equal((await e.command('resume', {})).ok, true);
  t.equal((await e.view()).screen, 'idle');
});

t.test('started online, rated while the network is down: kept and delivered once it returns', async (t) => {
  const e = await evaluatorFixture(t);
  await e.command('request', caseRequest('case-off'));
  await e.brokerDown();
  await waitFor('device sees the link down', async () => (await e.view()).online === false);
  t.match(await e.rate('case-off', 2, ['efficiency']), { ok: true, already: false });
  t.equal(e.events('rating.submitted').length, 0, 'nothing reached the server yet');
  await e.brokerUp();
  const ev = await waitFor('rating.submitted after reconnect', () => e.events('rating.submitted')[0], 30_000);
  t.match(ev.message.data, { caseId: 'case-off', level: 2, items: ['efficiency'], offline: true });
  await e.command('request', caseRequest('case-barrier'));
  await e.command('cancel', { caseId: 'case-barrier' });
  await waitFor('barrier', () => e.events('rating.cancelled')[0]);
  t.equal(e.events('rating.submitted').length, 1, 'delivered once');
});

t.test('GPIO buttons: all LEDs blink while requested, the pressed one lights; same event as the page', async (t) => {
  const time = deviceTime(t);
  const e = await evaluatorFixture(t, { time });
  const lit = (level: number) => e.hal.sim.outputHistory(`led-${level}`).at(-1)?.active;
  await e.command('request', caseRequest('case-b'));
  await waitFor('all LEDs on at the request', () => [5, 4, 3, 2, 1].every((l) => lit(l) === true));
  time.tick(500);
  await waitFor('blink: off', () => [5, 4, 3, 2, 1].every((l) => lit(l) === false));
  time.tick(500);
  await waitFor('blink: on again', () => [5, 4, 3, 2, 1].every((l) => lit(l) === true));
  e.hal.sim.press('btn-4');
  time.tick(50); // the debounce
  const ev = await waitFor('rating.submitted', () => e.events('rating.submitted')[0]);
  t.match(ev.message.data, { caseId: 'case-b', level: 4, levelName: '满意', channel: CHANNEL });
  await waitFor('led-4 lit', () => lit(4) === true);
  t.same([5, 3, 2, 1].map(lit), [false, false, false, false], 'the others are off');
});
