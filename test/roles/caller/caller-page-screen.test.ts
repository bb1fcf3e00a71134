// The hall TV page as people in the hall see it, measured in Chromium: on the real role, the
// current call clearly the largest thing and not repeated in the list beside it, no empty band
// when there is no notice, every text at least 4.5:1. On a view that carries what the caller
// adds for the TV (hallName, timeZone, next: the calls still waiting for their announcement,
// `current` being the one announced now), the page shows the hall's name, a clock in the hall's
// time zone rather than the browser's, and the waiting calls as next.
import t from 'tap';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { callerFixture } from './caller-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { launchChromium, openTouchPage, LANDSCAPE } from '../../../testkit/chromium.js';
import { screenshotDir } from '../../../testkit/docs-screenshots.js';
import { describeContrasts, lowContrast, textContrasts } from '../../../testkit/page-measure.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { startPageServer } from '../../../firmware/pages/page-server.js';
import { findPackageDir } from '../../../firmware/pages/static-files.js';
import { PUBLIC_DIR_IN_PACKAGE, type CallerView } from '../../../firmware/roles/caller/page/caller-page.js';

interface Call {
  ticket: string;
  window: string;
  priority: boolean;
}
/** The caller's view with the fields it gains for the TV (documented on CallerView where the caller sets them). */
type TvView = CallerView & { hallName: string; timeZone: string; next: Call[]; now: number };

t.setTimeout(120_000);

const HALL_ZONE = 'Asia/Shanghai';
/** A board whose system zone is not the hall's. */
const BROWSER_ZONE = 'America/New_York';

/** "HH:MM" now and a minute from now in a zone (the clock may tick between the two reads). */
function hallMinutes(zone: string): string[] {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  // The page drew its clock a moment before this is asked: the minute before counts too.
  return [f.format(Date.now()), f.format(Date.now() - 60_000), f.format(Date.now() + 60_000)];
}

const rendered = (page: Page, rev: number) => page.waitForFunction(`Number(document.body.dataset.rev) >= ${rev}`);
const fontPx = (page: Page, selector: string) => page.evaluate(`parseFloat(getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fontSize)`) as Promise<number>;
const bottomOf = (page: Page, testid: string) => page.evaluate(`document.querySelector('[data-testid=${testid}]').getBoundingClientRect().bottom`) as Promise<number>;

const browser = await launchChromium(t);
if (browser) {
  const shots = await screenshotDir(t, 'caller');

  t.test('the current call dominant and not repeated, no empty band, AA contrast', async (t) => {
    const f = await callerFixture(t, { role: { page: { enabled: true, port: 0 } } });
    const url = await waitFor('page url', () => f.state()?.['page'] as string | undefined);
    const { page, tid, errors } = await openTouchPage(t, browser, { viewport: LANDSCAPE });
    await page.goto(url);
    await rendered(page, 0);
    await f.command('call', { ticket: 'A021', window: '3' });
    await f.command('call', { ticket: 'V002', window: '7', priority: true });
    await f.command('call', { ticket: 'A023', window: '5' });
    await page.waitForFunction(`document.querySelector('[data-testid=current]')?.textContent.includes('A023') && document.querySelectorAll('[data-testid=last-call]').length === 2`);
    const listed = await tid('last-call').allTextContents();
    t.notOk(listed.some((row) => row.includes('A023')), `the current call is not repeated in the list (${listed.join(' | ')})`);
    t.ok(listed.some((row) => row.includes('V002')) && listed.some((row) => row.includes('A021')), 'the earlier calls are');
    const ratio = (await fontPx(page, '[data-testid=current] .num')) / (await fontPx(page, '[data-testid=last-call]'));
    t.ok(ratio >= 2.5, `the current number is ${ratio.toFixed(2)}× the list rows (at least 2.5)`);

    t.ok((await bottomOf(page, 'hall')) >= LANDSCAPE.height - 1, `without a notice the calls reach the bottom (${await bottomOf(page, 'hall')} of ${LANDSCAPE.height})`);
    await f.command('notice', { text: '今日下午16:00停止取号，请合理安排办事时间。' });
    await tid('notice-bar').waitFor({ state: 'visible' });
    t.ok((await bottomOf(page, 'notice-bar')) >= LANDSCAPE.height - 1, 'the notice bar sits at the bottom');
    const low = lowContrast(await textContrasts(page));
    t.same(low.length, 0, `every text at least 4.5:1${low.length ? `; below: ${describeContrasts(low)}` : ''}`);
    t.same(errors, []);
  });

  t.test('with hallName, timeZone and next in the view: the hall name, a clock in hall time, the waiting calls as next', async (t) => {
    const publicDir = findPackageDir(PUBLIC_DIR_IN_PACKAGE, import.meta.filename);
    if (publicDir === null) throw new Error('no TV page in the package');
    const call = (ticket: string, window: string, priority = false): Call => ({ ticket, window, priority });
    // The voice still reads A021 while A022 and A023 wait for theirs: the screen follows the voice.
    const view: TvView = {
      rev: 3, lang: 'zh', window: '5', hallName: '城关镇便民服务中心', timeZone: HALL_ZONE, now: Date.now(),
      current: call('A021', '3'), next: [call('A022', '4'), call('A023', '5', true)],
      last: [call('A021', '3'), call('A020', '2'), call('B007', '6')],
      notice: '今日下午16:00停止取号，请合理安排办事时间。', paused: false, mode: 'voice',
    };
    const server = await startPageServer({ plugin: { name: 'caller', publicDir, events: (send) => (send('view', view), () => {}) }, timers: globalTimers });
    t.teardown(() => server.close());
    const { page, tid, errors } = await openTouchPage(t, browser, { viewport: LANDSCAPE, timezoneId: BROWSER_ZONE });
    await page.goto(server.url);
    await rendered(page, 3);
    t.equal(await tid('hall-name').textContent(), '城关镇便民服务中心', 'the hall name');
    const clock = (await tid('clock').textContent()) ?? '';
    t.ok(hallMinutes(HALL_ZONE).some((hm) => clock.includes(hm)), `the clock (${clock}) shows hall time ${hallMinutes(HALL_ZONE)[0]}, not the browser's ${hallMinutes(BROWSER_ZONE)[0]}`);
    t.match(await tid('current').textContent(), /A021.*3/, 'the call being announced is the big one');
    t.same((await tid('next-call').allTextContents()).map((x) => x.replace(/\s+/g, '')), ['A0224号窗口', 'A0235号窗口'], 'the waiting calls as next, in the order they will be heard');
    const listed = (await tid('last-call').allTextContents()).join(' | ');
    t.notMatch(listed, /A021|A022|A023/, `the list holds neither the call on screen nor the waiting ones (${listed})`);
    t.match(listed, /A020.*B007/, 'only the calls announced before it, newest first');
    const low = lowContrast(await textContrasts(page));
    t.same(low.length, 0, `every text at least 4.5:1${low.length ? `; below: ${describeContrasts(low)}` : ''}`);
    await page.screenshot({ path: join(shots, 'tv-page.png') });
    t.same(errors, []);
  });
}
