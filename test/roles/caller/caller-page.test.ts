// The hall TV page in headless Chromium on the real role (aedes + reference server): it shows
// what the panels show, from the same state, and follows each change over SSE: a call, the last
// calls newest first with the priority colour, a notice, the paused window.
import t from 'tap';
import { callerFixture } from './caller-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { launchChromium, openTouchPage, LANDSCAPE } from '../../../testkit/chromium.js';

t.setTimeout(120_000);

const browser = await launchChromium(t);
if (browser) {
  t.test('the TV page follows the calls, the notice and the pause', async (t) => {
    const f = await callerFixture(t, { role: { page: { enabled: true, port: 0 } } });
    const url = await waitFor('page url', () => f.state()?.['page'] as string | undefined);
    const { page, tid, errors } = await openTouchPage(t, browser, { viewport: LANDSCAPE });
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as { document: { body: { dataset: { rev?: string } } } }).document.body.dataset.rev !== undefined);
    t.equal(await tid('current').textContent(), '欢迎光临');

    await f.command('call', { ticket: 'A021', window: '3' });
    await f.command('call', { ticket: 'V002', window: '7', priority: true });
    await f.command('call', { ticket: 'A023', window: '5' });
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=last-call]').length === 2);
    t.equal(await tid('current').textContent(), 'A023请到 5 号窗口');
    t.same(await tid('last-call').allTextContents(), ['V0027号窗口', 'A0213号窗口'], 'the earlier calls, newest first (the one on screen is not repeated)');
    t.equal(await page.locator('[data-testid=last-call] .num').nth(0).getAttribute('class'), 'num priority', 'the priority ticket in its colour');

    await f.command('notice', { text: '今日下午16:00停止取号，请合理安排办事时间。' });
    await tid('notice-bar').waitFor({ state: 'visible' });
    t.equal(await tid('notice').textContent(), '今日下午16:00停止取号，请合理安排办事时间。');

    await f.command('pause', { paused: true });
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('.paused')?.textContent === '暂停服务');
    t.match(await tid('current').textContent(), /5号窗口暂停服务/);
    await f.command('clear', { what: 'notice' });
    await tid('notice-bar').waitFor({ state: 'hidden' });
    t.same(errors, [], 'no error in the page');
  });

  t.test('the TV page off: no server, and the role runs without it', async (t) => {
    const f = await callerFixture(t);
    await f.command('call', { ticket: 'A001', window: '5' });
    const state = await waitFor('state', () => ((f.state()?.['current'] as { ticket?: string } | null)?.ticket === 'A001' ? f.state() : undefined));
    t.equal(state?.['page'], null);
  });
}
