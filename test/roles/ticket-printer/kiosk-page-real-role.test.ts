// The touchscreen page on the real role, not a fake backend: a visitor taps a category in
// headless Chromium, the role asks the reference server, the real ESC/POS driver prints to
// the byte-level simulator; paper-out replaces the menu and the refill brings it back. The
// header clock shows the hall's time zone, not the browser's. Local clients holding every
// event stream cannot leave the screen (opened with its per-boot token) on its loading page.
import t from 'tap';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { kioskFixture, ticketText } from './kiosk-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { launchChromium, openTouchPage } from '../../../testkit/chromium.js';
import { openEvents, refusedStream } from '../../../testkit/page-http.js';

t.setTimeout(120_000);

const browser = await launchChromium(t);
if (browser) {
  t.test('tap a category → the server\'s number on screen and on paper', async (t) => {
    const k = await kioskFixture(t);
    const { page, tid } = await openTouchPage(t, browser);
    await page.goto(k.url);
    await tid('cat-social').waitFor();
    t.match((await tid('cat-social').textContent()) ?? '', /社保业务/);
    t.match((await tid('cat-night').textContent()) ?? '', /已下班|非服务时间/, 'a closed category says so');

    await tid('cat-social').click();
    await tid('ticket-number').waitFor();
    t.equal(((await tid('ticket-number').textContent()) ?? '').trim(), 'A001', 'the number on screen');
    t.equal(k.printer.tickets().length, 1, 'one ticket on paper');
    t.match(ticketText(k.printer), /A001/);

    await page.goto(k.url);
    await tid('cat-social').waitFor();
    k.printer.setFaults({ paperOut: true });
    await tid('blocked').waitFor({ timeout: 10_000 });
    t.match((await tid('blocked').textContent()) ?? '', /缺纸/, 'paper out shown instead of the menu');
    t.equal(await tid('cat-social').isVisible(), false, 'no category to tap');
    k.printer.setFaults({ paperOut: false });
    await tid('cat-social').waitFor({ timeout: 10_000 });
    t.equal(k.printer.tickets().length, 1, 'nothing printed while blocked or after the refill');
    await waitFor('printer.ok reported', () => k.events('printer.ok')[0]);
  });

  t.test('four local clients holding event streams cannot starve the screen: its browser, opened with the per-boot token, gets its own', async (t) => {
    const k = await kioskFixture(t);
    const holders = await Promise.all([1, 2, 3, 4].map(() => openEvents(k.url)));
    for (const h of holders) t.teardown(() => h.close());
    t.same(holders.map((h) => h.res.statusCode), [200, 200, 200, 200], 'maxStreams (4) local streams are held');
    t.equal((await refusedStream(k.url)).status, 503, 'one more without the token is refused');
    // What halld opens the screen's browser with: the page URL and the board's per-boot token.
    const tokenFile = join(k.runtime.config.dataDir, 'screen-token');
    const token = (await readFile(tokenFile, 'utf8').catch(() => '')).trim();
    t.match(token, /^[0-9a-f]{64}$/, 'halld wrote the per-boot token');
    t.equal((await stat(tokenFile).catch(() => ({ mode: 0 }))).mode & 0o777, 0o640, "readable by halld's group (the screen's browser unit), nobody else");
    t.notMatch(k.url, token, 'the URL in the retained state has no token');
    const { page, tid } = await openTouchPage(t, browser);
    await page.goto(`${k.url}?screen=${token}`);
    await tid('cat-social').waitFor({ timeout: 15_000 });
    t.pass('the screen shows the categories, not its loading page');
    k.printer.setFaults({ paperOut: true });
    await tid('blocked').waitFor({ timeout: 10_000 });
    t.pass('and its stream is live (paper-out arrives)');
    k.printer.setFaults({ paperOut: false });
    t.equal((await refusedStream(k.url, {}, `/api/events?screen=${'0'.repeat(64)}`)).status, 503, 'a wrong token is no token');
    t.equal((await refusedStream(k.url, { cookie: `halld-screen-${new URL(k.url).port}=${'1'.repeat(64)}` })).status, 503, 'nor is a wrong cookie');
    await k.restart();
    t.equal((await readFile(join(k.runtime.config.dataDir, 'screen-token'), 'utf8')).trim(), token, 'a restart of halld keeps the token of this boot of the board');
  });

  t.test('the header clock shows hall time (the role\'s timeZone) on a browser set to another zone', async (t) => {
    const k = await kioskFixture(t, { role: { timeZone: 'Asia/Shanghai' } });
    const { page, tid } = await openTouchPage(t, browser, { timezoneId: 'America/New_York' });
    await page.goto(k.url);
    await tid('cat-social').waitFor();
    const minutes = (zone: string) => [0, 60_000].map((ahead) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.now() + ahead));
    const clock = (await page.locator('#clock').textContent()) ?? '';
    t.ok(minutes('Asia/Shanghai').some((hm) => clock.includes(hm)), `the clock (${clock}) shows ${minutes('Asia/Shanghai')[0]} in the hall, not ${minutes('America/New_York')[0]} of the browser`);
  });
}
