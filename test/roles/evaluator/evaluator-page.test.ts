// The evaluator's touch page in headless Chromium on the real role (aedes + reference server):
// the staff card with its photo, request → rating → rating.submitted with every field, a low
// level refused without an item (the toast goes once a reason is chosen), nothing internal on
// the screen, the timeout, the pause screen. Screenshots for docs/evaluator/ (HALLD_UPDATE_DOCS=1).
import t from 'tap';
import { join } from 'node:path';
import { caseRequest, CONTENT, evaluatorFixture, PHOTO, STAFF } from './evaluator-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { deviceTime } from '../../../testkit/device-time.js';
import { launchChromium, openTouchPage } from '../../../testkit/chromium.js';
import { screenshotDir } from '../../../testkit/docs-screenshots.js';
import { describeContrasts, lowContrast, pageOverflows, textContrasts } from '../../../testkit/page-measure.js';
import type { Page } from 'playwright-core';
import { CHANNEL } from '../../../protocol/evaluator.js';

t.setTimeout(120_000);
/** 15 mm at the 96 CSS px per inch a kiosk browser assumes. */
/** The computed font size of an element, in px (runs in the page; no DOM types here). */
const fontSize = (node: unknown) => parseFloat((globalThis as unknown as { getComputedStyle(n: unknown): { fontSize: string } }).getComputedStyle(node).fontSize);
const MIN_TARGET_PX = (15 / 25.4) * 96;
/** The common evaluator screen: a 10" 1280×800 panel. */
const TEN_INCH = { width: 1280, height: 800 };

/** Every visible text at least 4.5:1 (WCAG AA). */
async function contrastOk(t: { same(a: unknown, b: unknown, m: string): void }, page: Page, what: string): Promise<void> {
  const low = lowContrast(await textContrasts(page));
  t.same(low.length, 0, `${what}: every text at least 4.5:1${low.length ? `; below: ${describeContrasts(low)}` : ''}`);
}

const browser = await launchChromium(t);
if (browser) {
  const shots = await screenshotDir(t, 'evaluator');
  t.test('staff card → rating → low level needs an item → thank-you; every field on the wire', async (t) => {
    const e = await evaluatorFixture(t);
    await e.command('staff', STAFF as unknown as Record<string, unknown>);
    const { page, tid, errors } = await openTouchPage(t, browser, { viewport: TEN_INCH });
    await page.goto(e.url);
    await tid('staff-card').waitFor();
    t.equal(await tid('staff-name').textContent(), '李晓梅');
    t.match(await tid('staff-number').textContent(), /GZ-0107/);
    t.match(await tid('staff-window').textContent(), /7号窗口/);
    t.equal(await tid('staff-stars').textContent(), '★★★★☆');
    t.equal(await tid('staff-photo').getAttribute('src'), PHOTO);
    t.ok(await tid('staff-photo').evaluate((node) => {
      const img = node as unknown as { complete: boolean; naturalWidth: number };
      return img.complete && img.naturalWidth === 2;
    }), 'the photo decoded');
    t.match(await tid('staff-matters').textContent(), /社会保障卡申领/);
    t.match(await tid('guide-text').textContent(), /身份证/);
    await tid('guide-next').click();
    t.match(await tid('guide-text').textContent(), /评价/, 'the guide pages on');
    t.notOk((await pageOverflows(page)).overflows, 'the staff card fits the 10" screen');
    await contrastOk(t, page, 'staff card');
    await page.screenshot({ path: join(shots, 'idle.png') });

    await e.command('request', caseRequest('case-A012-20260507-0001'));
    await tid('screen-rating').waitFor();
    t.notMatch(await page.locator('body').innerText(), /case-A012/, 'the internal case id is not shown to the citizen');
    t.equal(await tid('case-matter').textContent(), '社会保障卡申领');
    t.equal(await tid('case-ticket').textContent(), 'A023');
    for (const level of [5, 4, 3, 2, 1]) {
      const box = await tid(`level-${level}`).boundingBox();
      t.ok(box && box.height >= MIN_TARGET_PX && box.width >= MIN_TARGET_PX, `level ${level} button is at least 15 mm`);
    }
    t.match(await tid('level-5').textContent(), /非常满意/);
    t.match(await tid('level-1').textContent(), /非常不满意/);
    await page.screenshot({ path: join(shots, 'rating.png') });

    await tid('level-1').click();
    await tid('item-attitude').waitFor();
    await tid('submit').click();
    await tid('toast').waitFor();
    t.match(await tid('toast').textContent(), /至少选择一项/, 'refused without an item');
    t.equal(e.events('rating.submitted').length, 0);
    await tid('item-attitude').click();
    t.ok(await tid('toast').isHidden(), 'the "choose a reason" toast goes once a reason is chosen');
    await tid('item-skill').click();
    await page.screenshot({ path: join(shots, 'low-level-items.png') });
    await tid('submit').click();
    await tid('screen-thanks').waitFor();
    t.match(await tid('thanks-level').textContent(), /非常不满意/);
    await contrastOk(t, page, 'thank-you');
    await page.screenshot({ path: join(shots, 'thank-you.png') });

    const ev = await waitFor('rating.submitted', () => e.events('rating.submitted')[0]);
    const d = ev.message.data;
    t.match(d, { caseId: 'case-A012-20260507-0001', matterCode: '440100-SB-001', ticket: 'A023', staffId: 'GZ-0107', window: '7号窗口', level: 1, levelName: '非常不满意', contentVersion: CONTENT.version, channel: CHANNEL, offline: false });
    t.same([...(d['items'] as string[])].sort(), ['attitude', 'skill']);
    t.type(d['ratingId'], 'string');
    t.type(d['requestedAt'], 'number');
    t.type(d['answeredAt'], 'number');
    await tid('screen-idle').waitFor({ timeout: 10_000 });
    t.same(errors, []);
  });

  t.test('a tap on a case rated meanwhile (the page missed the news): the stored level thanks, then the card; one rating', async (t) => {
    const e = await evaluatorFixture(t);
    await e.command('staff', STAFF as unknown as Record<string, unknown>);
    await e.command('request', caseRequest('case-late'));
    // The page's event stream delivers the rating screen and then nothing more: the news of the
    // rating below never reaches it (a dropped connection, a reload from a stale cache).
    const stale = await e.view();
    t.equal(stale.screen, 'rating');
    const { page, tid, errors } = await openTouchPage(t, browser, { viewport: TEN_INCH });
    let served = false;
    await page.route('**/api/events', (route) => {
      // Its reconnects find no server: the page hears nothing after the stale view.
      if (served) return route.abort();
      served = true;
      return route.fulfill({ status: 200, contentType: 'text/event-stream', body: `event: view\ndata: ${JSON.stringify(stale)}\n\n` });
    });
    await page.goto(e.url);
    await tid('screen-rating').waitFor();
    // Rated elsewhere (a second screen; the level buttons take the same path) with 满意 (4).
    t.match(await e.rate('case-late', 4), { ok: true, already: false });
    await tid('level-5').click();
    await tid('submit').click();
    await tid('screen-thanks').waitFor();
    t.equal(await tid('thanks-level').textContent(), '您的评价：满意', 'the stored level (满意), not the tapped one (非常满意)');
    await tid('screen-idle').waitFor({ timeout: 15_000 });
    t.equal(await tid('staff-name').textContent(), '李晓梅', 'back to the staff card');
    const store = e.runtime.store;
    t.equal((await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM ev_rating WHERE case_id = ?', ['case-late']))?.n, 1, 'one rating row for the case');
    await e.command('request', caseRequest('case-late-barrier'));
    await e.command('cancel', { caseId: 'case-late-barrier' });
    await waitFor('barrier', () => e.events('rating.cancelled')[0]);
    t.same(e.events('rating.submitted').map((ev) => ev.message.data['level']), [4], 'one rating.submitted, the first one');
    t.same(errors, []);
  });

  t.test('English switch and large text', async (t) => {
    const e = await evaluatorFixture(t);
    await e.command('request', caseRequest('case-en'));
    const { page, tid, errors } = await openTouchPage(t, browser);
    await page.goto(e.url);
    await tid('screen-rating').waitFor();
    const small = await tid('level-4').evaluate(fontSize);
    await tid('lang-toggle').click();
    t.match(await tid('level-4').textContent(), /Satisfied/);
    await tid('large-toggle').click();
    const large = await tid('level-4').evaluate(fontSize);
    t.ok(large > small, `large text is larger (${small} → ${large} px)`);
    t.same(errors, []);
  });

  t.test('timeout → rating.expired and back to the card', async (t) => {
    const time = deviceTime(t);
    const e = await evaluatorFixture(t, { time });
    const { page, tid } = await openTouchPage(t, browser);
    await page.goto(e.url);
    await e.command('request', caseRequest('case-t', { timeoutMs: 20_000 }));
    await tid('screen-rating').waitFor();
    time.tick(20_000);
    await tid('screen-idle').waitFor();
    const ev = await waitFor('rating.expired', () => e.events('rating.expired')[0]);
    t.same(ev.message.data, { caseId: 'case-t' });
  });

  t.test('pause screen', async (t) => {
    // Real time: a device clock moved ahead by fake ticks would see the server's commands as expired.
    const e = await evaluatorFixture(t);
    const { page, tid } = await openTouchPage(t, browser, { viewport: TEN_INCH });
    await page.goto(e.url);
    await tid('screen-idle').waitFor();

    t.match(await e.command('pause', { reason: '工作人员暂时离开' }), { ok: true });
    t.equal((await e.view()).screen, 'paused', 'the role says paused');
    await tid('screen-paused').waitFor();
    t.match(await tid('screen-paused').textContent(), /暂停服务/);
    await contrastOk(t, page, 'paused');
    await page.screenshot({ path: join(shots, 'paused.png') });
    await e.command('resume', {});
    await tid('screen-idle').waitFor();
  });
}
