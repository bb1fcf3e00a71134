// The kiosk page's identity paths in headless Chromium against the kiosk server and a fake
// backend: the swipe hint and the "card read" banner, the SMS-reminder phone entry (validated,
// shown masked on screen, sent with the take and then forgotten), and a kiosk without a reader
// or SMS that shows today's home screen. Masking is judged on what Chromium renders (the
// page's visible text), contrast and sizes measured in the browser.
import t from 'tap';
import type { Browser } from 'playwright-core';
import { startKioskServer } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-page-plugin.js';
import type { KioskView } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-types.js';
import { FakeKioskBackend } from './fake-kiosk-backend.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { LANDSCAPE, launchChromium, openTouchPage, PORTRAIT } from '../../../testkit/chromium.js';
import { boxOf, describeBox, describeContrasts, insideViewport, lowContrast, textContrasts } from '../../../testkit/page-measure.js';

t.setTimeout(120_000);

const WITH_READER: Partial<KioskView> = { identity: { reader: true, identified: null, problem: null }, sms: true };

async function open(t: Parameters<typeof openTouchPage>[0], browser: Browser, view: Partial<KioskView> = {}, viewport = PORTRAIT) {
  const backend = new FakeKioskBackend(view);
  const server = await startKioskServer({ backend, timers: globalTimers });
  t.teardown(() => server.close());
  const touch = await openTouchPage(t, browser, { viewport });
  await touch.page.goto(server.url);
  await touch.tid('home').waitFor();
  return { backend, ...touch };
}

const browser = await launchChromium(t);
if (browser) {
  t.test('a kiosk without a reader or SMS keeps today\'s home screen', async (t) => {
    const { tid, errors } = await open(t, browser);
    await tid('checkin-entry').waitFor();
    t.equal(await tid('swipe-hint').count(), 0, 'no swipe hint');
    t.equal(await tid('sms-entry').count(), 0, 'no SMS path');
    t.equal(await tid('identified').count(), 0);
    t.same(errors, []);
  });

  t.test('a swipe: the hint gives way to "card read", a misread asks again', async (t) => {
    const { backend, tid, errors } = await open(t, browser, WITH_READER);
    await tid('swipe-hint').waitFor();
    t.match((await tid('swipe-hint').textContent()) ?? '', /刷身份证/);
    backend.update({ identity: { reader: true, identified: 'card', problem: null } });
    await tid('identified').waitFor();
    t.match((await tid('identified').textContent()) ?? '', /已读取身份证/);
    t.equal(await tid('swipe-hint').count(), 0, 'the hint is gone while a card waits');
    backend.update({ identity: { reader: true, identified: null, problem: 'unreadable' } });
    await tid('identity-problem').waitFor();
    t.match((await tid('identity-problem').textContent()) ?? '', /重新放置/);
    t.same(errors, []);
  });

  t.test('a card read while the last visitor\'s ticket shows brings this visitor the menu', async (t) => {
    const { backend, tid } = await open(t, browser, WITH_READER);
    await tid('cat-social').click();
    await tid('ticket-number').waitFor();
    backend.update({ identity: { reader: true, identified: 'card', problem: null } });
    await tid('identified').waitFor();
    t.pass('home with the banner, not the old ticket');
  });

  t.test('SMS reminder: 11 digits starting 13-19, masked as typed, sent with the take, then forgotten', async (t) => {
    const { backend, page, tid, errors } = await open(t, browser, WITH_READER);
    const typeDigits = async (digits: string) => {
      for (const d of digits) await tid(`key-${d}`).click();
    };
    await tid('sms-entry').click();
    await tid('phone').waitFor();
    await typeDigits('12');
    await page.locator('[data-testid="phone-problem"]', { hasText: '13 至 19' }).waitFor();
    t.ok(await tid('phone-submit').isDisabled(), '12… cannot be confirmed');
    await tid('key-clear').click();

    await typeDigits('1381234');
    t.equal(((await tid('phone-display').textContent()) ?? '').trim(), '138****', 'the middle digits masked while typing');
    t.match((await tid('phone-problem').textContent()) ?? '', /还需输入 4 位/);
    t.ok(await tid('phone-submit').isDisabled(), 'seven digits cannot be confirmed');
    await typeDigits('56789');
    t.equal(((await tid('phone-display').textContent()) ?? '').trim(), '138****5678', 'no more than 11 digits, shown masked');
    const visible = await page.locator('body').innerText();
    t.notOk(visible.includes('1381234') || visible.includes('12345678'), 'the whole number is nowhere on the screen');

    for (const viewport of [PORTRAIT, LANDSCAPE]) {
      await page.setViewportSize(viewport);
      const low = lowContrast(await textContrasts(page));
      t.same(low.length, 0, `phone screen ${viewport.width}×${viewport.height}: every text at least 4.5:1${low.length ? `; ${describeContrasts(low)}` : ''}`);
      for (const id of ['phone-display', 'phone-submit', 'key-0', 'back']) {
        const box = await boxOf(tid(id));
        t.ok(insideViewport(box, viewport), `${id} on screen: ${describeBox(box)}`);
      }
      const key = await boxOf(tid('key-5'));
      t.ok(key !== null && key.width >= 80 && key.height >= 80, `a key is a finger's size: ${describeBox(key)}`);
    }
    await page.setViewportSize(PORTRAIT);

    await tid('phone-submit').click();
    await tid('sms-set').waitFor();
    t.match((await tid('sms-set').textContent()) ?? '', /138\*\*\*\*5678/, 'home says where reminders go, masked');
    await tid('cat-social').click();
    await tid('ticket-number').waitFor();
    t.same(backend.takes.at(-1), { category: 'social', priority: false, phone: '13812345678' }, 'the number goes with the take');
    await tid('result-done').click();
    await tid('home').waitFor();
    t.equal(await tid('sms-set').count(), 0, 'the next visitor starts without it');
    await tid('cat-social').click();
    await tid('ticket-number').waitFor();
    t.same(backend.takes.at(-1), { category: 'social', priority: false }, 'and their take carries none');
    t.same(errors, []);
  });
}
