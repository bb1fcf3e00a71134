// The touchscreen page on the real role, not a fake backend: a visitor taps a category in
// headless Chromium, the role asks the reference server, the real ESC/POS driver prints to
// the byte-level simulator; paper-out replaces the menu and the refill brings it back. The
// header clock shows the hall's time zone, not the browser's.
import t from 'tap';
import { kioskFixture, ticketText } from './kiosk-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { launchChromium, openTouchPage } from '../../../testkit/chromium.js';

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
