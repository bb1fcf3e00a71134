// The evaluator's rating commit on the real runtime: the thank-you shows and the case closes
// only after the rating is on disk (a commit that fails leaves the case open to rate again),
// and each of the two guards against a double count holds on its own: the desk answers a tap
// made while a rating is being committed "busy" without reaching the store, and the store's
// UNIQUE case_id refuses a second rating for a case whatever the desk believes.
import t from 'tap';
import sinon from 'sinon';
import { caseRequest, evaluatorFixture, type EvaluatorFixture } from './evaluator-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import type { Statement, Store } from '../../../firmware/store/store.js';

t.setTimeout(120_000);

const isRatingInsert = (s: Statement) => /^\s*INSERT INTO ev_rating\b/.test(s.sql);

/** Rows of ev_rating for a case, read straight from the device's database. */
async function ratingRows(store: Store, caseId: string): Promise<number> {
  return (await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM ev_rating WHERE case_id = ?', [caseId]))?.n ?? 0;
}

/** Barrier: every event sent before a later case's cancel has reached the server. */
async function settled(e: EvaluatorFixture, barrier: string): Promise<void> {
  await e.command('request', caseRequest(barrier));
  await e.command('cancel', { caseId: barrier });
  await waitFor(`${barrier} cancelled`, () => e.events('rating.cancelled').find((ev) => ev.message.data['caseId'] === barrier));
}

t.test('a rating whose commit fails shows no thank-you and leaves the case open; the retry counts once', async (t) => {
  const e = await evaluatorFixture(t);
  await e.command('request', caseRequest('case-f'));
  const store = e.runtime.store;
  // The rating's transaction fails inside SQLite (as a full or failing disk would make it): the
  // trigger aborts the INSERT, and with it the case's close and the rating.submitted event.
  await store.commit([{ sql: "CREATE TRIGGER ev_rating_fails BEFORE INSERT ON ev_rating BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END" }]);
  const failed = await e.rate('case-f', 5, ['fast']);
  t.match(failed, { ok: false, reason: 'storage', message: { zh: '评价未能保存，请重试' } }, 'the citizen is told it was not saved');
  const view = await e.view();
  t.equal(view.screen, 'rating', 'no thank-you for a rating that is not on disk');
  t.equal(view.case?.caseId, 'case-f', 'the case is still open');
  t.equal(view.thanks, null);
  t.equal(await ratingRows(store, 'case-f'), 0);

  await store.commit([{ sql: 'DROP TRIGGER ev_rating_fails' }]);
  t.match(await e.rate('case-f', 4), { ok: true, already: false, rating: { caseId: 'case-f', level: 4 } }, 'the same case can be rated again');
  t.equal((await e.view()).screen, 'thanks');
  await settled(e, 'case-f-barrier');
  t.same(e.events('rating.submitted').map((ev) => [ev.message.data['caseId'], ev.message.data['level']]), [['case-f', 4]], 'one rating.submitted, the retried one');
});

t.test('a second tap while the first rating is being committed is answered busy and never reaches the store', async (t) => {
  const e = await evaluatorFixture(t);
  await e.command('request', caseRequest('case-b'));
  const store = e.runtime.store;
  const commit = store.commit.bind(store);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let ratingCommits = 0;
  // Only the first rating transaction is held (as a slow SD card holds an fsync); any later one goes straight through.
  const stub = sinon.stub(store, 'commit').callsFake(async (statements, events) => {
    if (statements.some(isRatingInsert) && ++ratingCommits === 1) await held;
    return commit(statements, events);
  });
  t.teardown(() => stub.restore());

  const first = e.rate('case-b', 5);
  await waitFor('the first rating in its commit', () => ratingCommits === 1);
  const second = await e.rate('case-b', 3);
  t.match(second, { ok: false, reason: 'busy', message: { zh: '正在提交，请稍候' } }, 'the second tap waits for the first');
  t.equal(ratingCommits, 1, 'only one rating transaction reached the store');
  release();
  t.match(await first, { ok: true, already: false, rating: { level: 5 } });
  t.equal(ratingCommits, 1);
  t.equal(await ratingRows(store, 'case-b'), 1);
  await settled(e, 'case-b-barrier');
  t.equal(e.events('rating.submitted').length, 1);
});

t.test('a rating already stored for the open case: the store refuses a second one and the tap gets the stored rating', async (t) => {
  const e = await evaluatorFixture(t);
  await e.command('request', caseRequest('case-u'));
  const store = e.runtime.store;
  // Written beside the desk, which still shows the case open: only the store's UNIQUE case_id stands between this and a second count.
  const stored = { ratingId: 'r-stored', caseId: 'case-u', staffId: 'GZ-0107', window: '7号窗口', level: 2, levelName: '不满意', items: ['attitude'] };
  await store.commit([{ sql: 'INSERT INTO ev_rating (rating_id, case_id, event) VALUES (?, ?, ?)', params: ['r-stored', 'case-u', JSON.stringify(stored)] }]);
  t.equal((await e.view()).case?.caseId, 'case-u', 'the desk still has the case open');

  t.match(await e.rate('case-u', 5, ['fast']), { ok: true, already: true, rating: { ratingId: 'r-stored', level: 2 } }, 'answered with the stored rating');
  t.match(await e.view(), { screen: 'thanks', case: null, thanks: { level: 2, name: '不满意' } }, 'the case is over: the thank-you shows the stored level, not the tapped one');
  t.equal(await ratingRows(store, 'case-u'), 1, 'one rating row for the case');
  await settled(e, 'case-u-barrier');
  t.equal(e.events('rating.submitted').length, 0, 'no rating.submitted from the second try (its event was in the refused transaction)');
});
