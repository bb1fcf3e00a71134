// The kiosk page in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
// what a visitor sees and touches, against the kiosk server and a fake backend. Waits are
// Playwright's own (waitFor / waitForSelector) or polls with a deadline, never fixed sleeps.
import t from 'tap';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startKioskServer, type KioskServer } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-page-plugin.js';
import type { KioskView } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-types.js';
import { FakeKioskBackend } from './fake-kiosk-backend.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { tempDir } from '../../../testkit/temp.js';
import { waitFor } from '../../../testkit/wait.js';
import { LANDSCAPE, launchChromium, openTouchPage, PORTRAIT } from '../../../testkit/chromium.js';
import { describeContrasts, lowContrast, textContrasts } from '../../../testkit/page-measure.js';

interface Test {
  teardown(fn: () => unknown): void;
}

interface Kiosk {
  page: Page;
  backend: FakeKioskBackend;
  server: KioskServer;
  /** POST /api/take requests the browser sent. */
  takeRequests: number;
  /** Uncaught errors in the page. */
  errors: string[];
  tid(id: string): ReturnType<Page['locator']>;
}

async function openKiosk(t: Test, browser: Browser, options: { view?: Partial<KioskView>; viewport?: { width: number; height: number } } = {}): Promise<Kiosk> {
  const backend = new FakeKioskBackend(options.view);
  const server = await startKioskServer({ backend, timers: globalTimers });
  t.teardown(() => server.close());
  const { page, errors, tid } = await openTouchPage(t, browser, { viewport: options.viewport });
  const kiosk: Kiosk = { page, backend, server, takeRequests: 0, errors, tid };
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/api/take')) kiosk.takeRequests += 1;
  });
  await page.goto(server.url);
  await kiosk.tid('home').waitFor();
  return kiosk;
}

async function text(k: Kiosk, id: string): Promise<string> {
  const loc = k.tid(id);
  await loc.waitFor();
  return ((await loc.textContent()) ?? '').trim();
}

// A real browser and a dozen page loads: more than tap's default 30 s per file on a slow board.
t.setTimeout(180_000);

const browser = await launchChromium(t);
if (browser) {
  const shotsDir = process.env['KIOSK_SCREENSHOT_DIR'] ?? (await tempDir(t, 'halld-kiosk-shots-'));
  await mkdir(shotsDir, { recursive: true });

  t.test('home shows the hall and every category in Chinese, large and without scrolling', async (t) => {
    const k = await openKiosk(t, browser);
    t.equal(await text(k, 'hall-name'), '城关镇便民服务中心');
    t.equal(await k.page.locator('button.cat').count(), 15, 'fifteen category buttons');
    const social = await text(k, 'cat-social');
    for (const part of ['A', '社保医保', '服务时间 08:30-12:00, 13:30-17:30', '12 人等候']) t.match(social, part, `category button shows ${part}`);
    t.notMatch(await text(k, 'cat-traffic'), /人等候/, 'no count when the server did not give one');
    t.match(await text(k, 'priority-entry'), /绿色通道.*老年人 · 残疾人 · 孕妇 · 军人/s);
    t.match(await text(k, 'checkin-entry'), /预约签到/);
    t.equal(await text(k, 'lang-toggle'), 'English');
    t.ok(await k.tid('offline-indicator').isHidden(), 'no offline indicator online');
    t.ok(await k.tid('paper-low').isHidden(), 'no paper hint');
    t.ok(await k.tid('reconnecting').isHidden(), 'connected');

    await k.page.screenshot({ path: join(shotsDir, 'home-portrait.png') });
    for (const [name, viewport] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
      await k.page.setViewportSize(viewport);
      await k.page.waitForFunction(`document.querySelector('.grid').dataset.cols === '${name === 'portrait' ? 3 : 5}'`);
      const fits = (await k.page.evaluate(`(() => {
        const grid = document.querySelector('.grid');
        const r = (el) => el.getBoundingClientRect();
        const inside = [...document.querySelectorAll('button')].every((b) => r(b).top >= 0 && r(b).bottom <= innerHeight && r(b).left >= 0 && r(b).right <= innerWidth);
        const small = [...document.querySelectorAll('button')].filter((b) => r(b).height < 48 || r(b).width < 48).length;
        const fonts = [...document.querySelectorAll('.cat-hours, .cat-waiting, .cat-state, .foot-hint')].map((el) => parseFloat(getComputedStyle(el).fontSize));
        return { scrolls: grid.scrollHeight > grid.clientHeight + 1, inside, small, minFont: Math.min(...fonts), minCat: Math.min(...[...document.querySelectorAll('button.cat')].map((b) => r(b).height)) };
      })()`)) as { scrolls: boolean; inside: boolean; small: number; minFont: number; minCat: number };
      t.notOk(fits.scrolls, `${name}: the grid does not scroll`);
      t.ok(fits.inside, `${name}: every button is on screen`);
      t.equal(fits.small, 0, `${name}: no touch target under 48 px`);
      t.ok(fits.minFont >= 24, `${name}: small text is ${fits.minFont} px (at least 24)`);
      t.ok(fits.minCat >= 150, `${name}: category buttons are ${Math.round(fits.minCat)} px high`);
    }
    await k.page.screenshot({ path: join(shotsDir, 'home-landscape.png') });
    const png = await readFile(join(shotsDir, 'home-portrait.png'));
    t.equal(png.readUInt32BE(16), 1080, 'screenshot is 1080 wide');
    t.equal(png.readUInt32BE(20), 1920, 'and 1920 high');
    t.comment(`screenshots in ${shotsDir}`);
    t.same(k.errors, [], 'no page errors');
  });

  t.test('the language switch shows English and keeps the screen', async (t) => {
    const k = await openKiosk(t, browser);
    await k.tid('lang-toggle').click();
    await k.page.locator('[data-testid="cat-social"] .cat-name', { hasText: 'Social & medical insurance' }).waitFor();
    t.equal(await text(k, 'hall-name'), 'Chengguan Town Service Center');
    t.match(await text(k, 'cat-tax'), /Taxes.*Hours 08:30.*9 waiting/s);
    t.match(await text(k, 'cat-marriage'), /Service paused/);
    t.match(await text(k, 'priority-entry'), /Priority lane/);
    t.equal(await text(k, 'lang-toggle'), '中文');
    const shown = `${await k.tid('hall-name').innerText()}\n${await k.page.locator('#main').innerText()}\n${await k.page.locator('.foot').innerText()}\n${await k.page.locator('#clock').innerText()}`;
    t.notMatch(shown, /[\u3000-\u9fff\uff00-\uffef]/, 'no Chinese left on the English home screen (the switch itself says 中文)');

    await k.tid('checkin-entry').click();
    await k.tid('key-7').click();
    await k.tid('lang-toggle').click();
    await k.page.locator('.screen-title', { hasText: '预约签到' }).waitFor();
    t.ok(await k.tid('checkin').isVisible(), 'still the check-in screen after switching');
    t.equal(await text(k, 'checkin-code'), '7', 'the typed code is kept');
    await k.tid('lang-toggle').click();
    await k.page.locator('.scan-text', { hasText: 'Hold your appointment QR code up to the scanner' }).waitFor();
    t.same(k.errors, []);
  });

  t.test('a tap on a category takes one ticket and shows it', async (t) => {
    const k = await openKiosk(t, browser);
    await k.tid('cat-tax').click();
    t.equal(await text(k, 'ticket-number'), 'F001');
    t.same(k.backend.takes, [{ category: 'tax', priority: false }]);
    t.equal(await text(k, 'result-category'), '税务');
    t.equal(await text(k, 'result-waiting'), '前面还有 9 人等候');
    t.match(await text(k, 'take-ticket'), '请取走您的号票');
    t.ok(await k.tid('result-offline').isHidden(), 'not an offline ticket');
    await k.page.screenshot({ path: join(shotsDir, 'result-portrait.png') });
    await k.tid('result-done').click();
    await k.tid('menu').waitFor();
    t.pass('done goes home');
    t.same(k.errors, []);
  });

  t.test('a double tap takes one ticket', async (t) => {
    const k = await openKiosk(t, browser);
    let release = () => {};
    k.backend.gate = new Promise<void>((r) => (release = r));
    await k.tid('cat-fund').dblclick();
    await waitFor('the take to reach the backend', () => k.backend.takes.length >= 1);
    await k.tid('busy').waitFor();
    t.match(await text(k, 'busy'), '正在出号，请稍候…', 'the page says it is printing');
    release();
    t.equal(await text(k, 'ticket-number'), 'B001');
    t.equal(k.backend.takes.length, 1, 'one take for two taps while in flight');
    t.equal(k.takeRequests, 1, 'the browser sent one request');

    // A fast answer: the second tap lands on the result screen and must not carry over.
    k.backend.gate = null;
    await k.tid('result-done').click();
    // Buttons of a new screen wake up after a short settle time (so a double tap cannot carry over).
    await k.page.waitForSelector('[data-testid="cat-exit"]:enabled');
    const box = await k.tid('cat-exit').boundingBox();
    if (!box) throw new Error('no box for cat-exit');
    await k.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await k.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    t.equal(await text(k, 'ticket-number'), 'E001');
    t.equal(k.takeRequests, 2, 'one more request for the second double tap');
    t.same(k.backend.takes.map((x) => x.category), ['fund', 'exit']);
    t.same(k.errors, []);
  });

  t.test('paused, closed and exhausted categories are shown and cannot be taken', async (t) => {
    const k = await openKiosk(t, browser);
    for (const [id, label] of [['marriage', '暂停服务'], ['notary', '已下班(非服务时间)'], ['pickup', '今日号已取完']] as const) {
      t.ok(await k.tid(`cat-${id}`).isDisabled(), `${id} is disabled`);
      t.equal(await text(k, `cat-state-${id}`), label, `${id} shows ${label}`);
    }
    await k.tid('cat-marriage').click({ force: true });
    t.ok(await k.tid('cat-tax').isEnabled(), 'an open one is enabled');
    k.backend.updateCategory('tax', { state: 'paused' });
    await k.page.waitForSelector('[data-testid="cat-tax"][data-state="paused"]:disabled');
    t.equal(await text(k, 'cat-state-tax'), '暂停服务', 'a pushed pause shows without reload');
    t.same(k.backend.takes, [], 'no take for a disabled button');
    t.same(k.errors, []);
  });

  t.test('a blocked printer replaces the menu with the reason; clearing it brings the menu back', async (t) => {
    const k = await openKiosk(t, browser);
    await k.page.evaluate('window.__sameDocument = true');
    k.backend.update({ blocked: 'paper-out' });
    await k.tid('blocked').waitFor();
    await k.tid('menu').waitFor({ state: 'detached' });
    t.equal(await text(k, 'blocked-reason'), '打印机缺纸');
    t.match(await text(k, 'blocked'), /暂停取号.*请到服务台取号/s);
    t.ok(await k.tid('priority-entry').count() === 0 && (await k.tid('checkin-entry').count()) === 0, 'no other path either');
    await k.page.screenshot({ path: join(shotsDir, 'blocked-portrait.png') });
    await k.tid('lang-toggle').click();
    await k.page.locator('[data-testid="blocked-reason"]', { hasText: 'The printer is out of paper' }).waitFor();
    t.match(await text(k, 'blocked'), /Please ask at the information desk/);
    await k.tid('lang-toggle').click();

    const reasons = { 'cover-open': '打印机盖打开', offline: '打印机离线', cutter: '切刀故障', 'no-printer': '打印机未就绪' } as const;
    for (const [reason, label] of Object.entries(reasons)) {
      k.backend.update({ blocked: reason as keyof typeof reasons });
      await k.page.locator(`[data-testid="blocked"][data-reason="${reason}"]`).waitFor();
      t.equal(await text(k, 'blocked-reason'), label, `${reason}: ${label}`);
    }

    k.backend.update({ blocked: null });
    await k.tid('menu').waitFor();
    t.ok(await k.tid('blocked').count() === 0, 'the block message is gone');
    t.equal(await k.page.locator('button.cat').count(), 15, 'the whole menu is back');
    t.equal(await k.page.evaluate('window.__sameDocument'), true, 'without a reload');

    // Blocked while on the check-in screen: the screen gives way to the reason too.
    await k.tid('checkin-entry').click();
    k.backend.update({ blocked: 'cover-open' });
    await k.tid('blocked').waitFor();
    k.backend.update({ blocked: null });
    await k.tid('menu').waitFor();
    t.pass('back on the home menu after the block');
    t.same(k.errors, []);
  });

  t.test('paper low and offline are small hints; offline tickets are marked', async (t) => {
    const k = await openKiosk(t, browser);
    k.backend.update({ paperLow: true, online: false });
    t.equal(await text(k, 'paper-low'), '纸张将尽');
    t.equal(await text(k, 'offline-indicator'), '离线取号');
    t.ok(await k.tid('menu').isVisible(), 'the menu stays');
    await k.tid('cat-social').click();
    t.equal(await text(k, 'ticket-number'), 'A001');
    t.equal(await text(k, 'result-offline'), '离线号');
    t.same(k.errors, []);
  });

  t.test('the priority path takes a priority ticket', async (t) => {
    const k = await openKiosk(t, browser);
    await k.tid('priority-entry').click();
    await k.tid('priority').waitFor();
    t.equal(await k.page.locator('button.cat').count(), 6, 'only the categories with a green channel');
    t.match(await k.page.locator('.lead').innerText(), /老年人、残疾人、孕妇、军人/);
    await k.tid('cat-disability').click();
    t.equal(await text(k, 'ticket-number'), 'M001');
    t.same(k.backend.takes, [{ category: 'disability', priority: true }]);
    t.match(await text(k, 'result'), /绿色通道/, 'the result says priority');

    await k.tid('result-done').click();
    await k.tid('priority-entry').click();
    await k.tid('back').click();
    await k.tid('menu').waitFor();
    t.ok(await k.tid('home').isVisible(), 'back goes home');
    t.same(k.errors, []);
  });

  t.test('a code typed on the keypad reaches checkIn', async (t) => {
    const k = await openKiosk(t, browser);
    await k.tid('checkin-entry').click();
    t.match(await text(k, 'checkin'), /请将预约二维码对准扫码器/);
    t.ok(await k.tid('checkin-submit').isDisabled(), 'nothing to submit yet');
    for (const key of ['2', '0', '2', '4', '0', '5', '1', '9', 'back', '8']) await k.tid(`key-${key}`).click();
    t.equal(await text(k, 'checkin-code'), '20240518');
    await k.tid('checkin-submit').click();
    t.equal(await text(k, 'ticket-number'), 'F001');
    t.same(k.backend.checkIns, ['20240518']);
    t.match(await text(k, 'result'), /预约/);

    await k.tid('result-done').click();
    await k.tid('checkin-entry').click();
    for (const ch of 'A1B2C3') {
      const letter = /[A-Z]/.test(ch);
      const keypad = k.page.locator(`[data-testid="keypad"].${letter ? 'keypad-letters' : 'keypad-digits'}`);
      if ((await keypad.count()) === 0) await k.tid('key-mode').click();
      await k.tid(`key-${ch}`).click();
    }
    t.equal(await text(k, 'checkin-code'), 'A1B2C3');
    await k.tid('checkin-submit').click();
    t.equal(await text(k, 'ticket-number'), 'C001');
    t.same(k.backend.checkIns, ['20240518', 'A1B2C3']);

    await k.tid('result-done').click();
    await k.tid('checkin-entry').click();
    for (const key of ['9', '9', '9']) await k.tid(`key-${key}`).click();
    await k.tid('checkin-submit').click();
    t.equal(await text(k, 'result-message'), '未找到该预约，请核对预约码', 'a refusal shows its message');
    t.same(k.errors, []);
  });

  t.test('a scan pushed by the backend shows its ticket', async (t) => {
    const k = await openKiosk(t, browser);
    k.backend.scan('A1B2C3');
    t.equal(await text(k, 'ticket-number'), 'C001');
    t.equal(await k.tid('result').getAttribute('data-source'), 'scan');
    await k.tid('result-done').click();
    await k.tid('menu').waitFor();
    k.backend.scan('nope');
    t.equal(await text(k, 'result-message'), '未找到该预约，请核对预约码');
    t.same(k.errors, []);
  });

  t.test('without a touch for idleMs any screen goes home, in Chinese', async (t) => {
    const k = await openKiosk(t, browser);
    await k.tid('checkin-entry').click();
    await k.tid('key-5').click();
    await k.tid('lang-toggle').click();
    await k.page.locator('.scan-text', { hasText: 'Hold your appointment QR code' }).waitFor();
    // A new idleMs counts from when it arrives.
    const pushed = Date.now();
    k.backend.update({ idleMs: 800 });
    await k.tid('menu').waitFor({ timeout: 5_000 });
    const after = Date.now() - pushed;
    t.ok(after >= 600, `home after ${after} ms, not at once`);
    t.equal(await text(k, 'lang-toggle'), 'English', 'back in Chinese');

    await k.tid('cat-tax').click();
    await k.tid('ticket-number').waitFor();
    await k.tid('menu').waitFor({ timeout: 5_000 });
    t.pass('the result screen goes home too');
    t.same(k.errors, []);
  });

  t.test('a dropped event stream shows "reconnecting" and recovers by itself', async (t) => {
    const k = await openKiosk(t, browser);
    k.backend.current.rev = 49;
    k.backend.update({});
    await k.page.waitForSelector('#root[data-rev="50"]', { state: 'attached' });
    await k.server.close();
    t.equal(await text(k, 'reconnecting'), '连接中…');
    const backend = new FakeKioskBackend({ hallName: '城关镇便民服务中心(新)', rev: 1 });
    const server = await startKioskServer({ backend, timers: globalTimers, port: k.server.port });
    t.teardown(() => server.close());
    await k.page.locator('[data-testid="hall-name"]', { hasText: '(新)' }).waitFor();
    t.pass('the view of the restarted role is taken although its rev is lower');
    await k.tid('reconnecting').waitFor({ state: 'hidden' });
    t.pass('the indicator goes away');
    t.same(k.errors, []);
  });

  t.test('every text on every screen at least 4.5:1 (WCAG AA), in portrait and landscape', async (t) => {
    const k = await openKiosk(t, browser);
    const check = async (what: string) => {
      const low = lowContrast(await textContrasts(k.page));
      t.same(low.length, 0, `${what}: every text at least 4.5:1${low.length ? `; below: ${describeContrasts(low)}` : ''}`);
    };
    k.backend.update({ paperLow: true, online: false, notice: { zh: '今日下午16:00停止取号', en: 'No tickets after 16:00 today' } });
    await k.tid('paper-low').waitFor();
    for (const viewport of [PORTRAIT, LANDSCAPE]) {
      await k.page.setViewportSize(viewport);
      await check(`home ${viewport.width}×${viewport.height}`);
    }
    await k.tid('priority-entry').click();
    await k.tid('priority').waitFor();
    await check('priority');
    await k.tid('back').click();
    await k.tid('checkin-entry').click();
    await k.page.waitForSelector('[data-testid="key-1"]:enabled');
    await check('check-in, nothing typed');
    await k.tid('key-1').click();
    await check('check-in, a code typed');
    await k.tid('back').click();
    await k.page.waitForSelector('[data-testid="cat-tax"]:enabled');
    await k.tid('cat-tax').click();
    await k.tid('ticket-number').waitFor();
    await check('result');
    await k.tid('result-done').click();
    k.backend.update({ blocked: 'paper-out' });
    await k.tid('blocked').waitFor();
    await check('blocked');
    t.same(k.errors, []);
  });
}
