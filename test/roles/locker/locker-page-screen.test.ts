// The cabinet's touch page as a visitor sees it, measured in Chromium on the real role: it fills
// a portrait cabinet screen (1080×1920) and a landscape one with readable hints and big keys,
// every text at least 4.5:1; a code lockout stays on screen for its whole duration, after a
// reload too, with the time left; disabled keys look disabled.
import t from 'tap';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { lockerFixture, type LockerFixture } from './locker-fixture.js';
import { LANDSCAPE, launchChromium, openTouchPage, PORTRAIT } from '../../../testkit/chromium.js';
import { screenshotDir } from '../../../testkit/docs-screenshots.js';
import { boxOf, describeBox, describeContrasts, insideViewport, lowContrast, pageOverflows, textContrasts } from '../../../testkit/page-measure.js';

t.setTimeout(180_000);

/** The kiosk's measures: body text never under 24 px, digit keys at least 96 px high. */
const MIN_TEXT_PX = 24;
const MIN_KEY_PX = 96;

/** Wrong codes until the cabinet locks code entry (the fixture's maxCodeTries). */
async function lockOut(e: LockerFixture): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const r = await e.page<{ ok: boolean; reason?: string }>('code', { code: '000000' });
    if (r.reason === 'locked-out') return;
  }
  throw new Error('the cabinet never locked out');
}

/** Computed look of the first digit key. */
const keyLook = (page: Page) =>
  page.evaluate(`(() => { const s = getComputedStyle(document.querySelector('.keys button')); return [s.backgroundColor, s.color, s.borderStyle, s.borderColor].join(' | '); })()`) as Promise<string>;

/** "4分59秒" → seconds. */
function secondsLeft(text: string): number {
  const m = /(\d+)\s*分\s*(\d+)\s*秒/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

const browser = await launchChromium(t);
if (browser) {
  const shots = await screenshotDir(t, 'locker');

  for (const [name, viewport] of [['portrait 1080×1920', PORTRAIT], ['landscape 1920×1080', LANDSCAPE]] as const) {
    t.test(`${name}: the page fills the screen, hints readable, keys big, AA contrast`, async (t) => {
      const e = await lockerFixture(t);
      const { page, tid, errors } = await openTouchPage(t, browser, { viewport });
      await page.goto(e.url);
      await e.run(tid('size-L').waitFor());
      const pickup = await boxOf(tid('pickup'));
      const dropOff = await boxOf(tid('drop-off'));
      t.ok(insideViewport(pickup, viewport) && insideViewport(dropOff, viewport), `both cards on screen (${describeBox(pickup)}; ${describeBox(dropOff)})`);
      const used = (await page.evaluate(`(() => { const r = [...document.querySelectorAll('[data-testid=pickup], [data-testid=drop-off]')].map((e) => e.getBoundingClientRect()); return { w: Math.max(...r.map((b) => b.right)) - Math.min(...r.map((b) => b.left)), h: Math.max(...r.map((b) => b.bottom)) - Math.min(...r.map((b) => b.top)) }; })()`)) as { w: number; h: number };
      t.ok(used.w >= viewport.width * 0.9, `the cards span the width (${Math.round(used.w)} of ${viewport.width} px)`);
      t.ok(used.h >= viewport.height * 0.75, `and most of the height (${Math.round(used.h)} of ${viewport.height} px)`);
      const hintPx = (await page.evaluate(`Math.min(...[...document.querySelectorAll('.hint')].map((e) => parseFloat(getComputedStyle(e).fontSize)))`)) as number;
      t.ok(hintPx >= MIN_TEXT_PX, `hints are ${hintPx} px (at least ${MIN_TEXT_PX})`);
      const keys = (await page.evaluate(`[...document.querySelectorAll('.keys button')].map((b) => b.getBoundingClientRect().height)`)) as number[];
      t.equal(keys.length, 12, 'twelve keys');
      t.ok(Math.min(...keys) >= MIN_KEY_PX, `keys are ${Math.round(Math.min(...keys))} px high (at least ${MIN_KEY_PX})`);
      const outside = [];
      for (const b of await page.locator('button').all()) if (!insideViewport(await b.boundingBox(), viewport)) outside.push(await b.textContent());
      t.same(outside, [], 'every button on screen');
      t.notOk((await pageOverflows(page)).overflows, 'no page scroll');
      const low = lowContrast(await textContrasts(page));
      t.same(low.length, 0, `every text at least 4.5:1${low.length ? `; below: ${describeContrasts(low)}` : ''}`);
      await page.screenshot({ path: join(shots, `${viewport.width > viewport.height ? 'landscape' : 'portrait'}.png`) });
      t.same(errors, []);
    });
  }

  t.test('a lockout is shown for its whole duration, after a reload too, with the time left; its keys look disabled', async (t) => {
    const e = await lockerFixture(t);
    const { page, tid, errors } = await openTouchPage(t, browser, { viewport: PORTRAIT });
    await page.clock.install();
    await page.goto(e.url);
    await e.run(tid('size-L').waitFor());
    const enabledLook = await keyLook(page);

    await lockOut(e);
    await page.locator('.keys button:disabled').first().waitFor();
    const disabledLook = await keyLook(page);
    t.not(disabledLook, enabledLook, `a disabled key looks different (${enabledLook} → ${disabledLook})`);
    await tid('lockout').waitFor();
    const first = secondsLeft((await tid('lockout').textContent()) ?? '');
    t.ok(first > 280 && first <= 300, `the time left is shown (${first} s of 300)`);
    const low = lowContrast(await textContrasts(page));
    t.same(low.length, 0, `locked out, every text at least 4.5:1${low.length ? `; below: ${describeContrasts(low)}` : ''}`);
    await page.screenshot({ path: join(shots, 'lockout.png') });

    await page.clock.runFor(60_000);
    t.ok(await tid('lockout').isVisible(), 'still shown a minute later');
    const later = secondsLeft((await tid('lockout').textContent()) ?? '');
    t.ok(later <= first - 59 && later >= first - 61, `and it counts down (${first} → ${later} s)`);

    await page.reload();
    await e.run(tid('lockout').waitFor());
    const reloaded = secondsLeft((await tid('lockout').textContent()) ?? '');
    t.ok(reloaded > 0 && reloaded <= 300, `after a reload it is still shown, with the time left (${reloaded} s)`);
    t.ok(await page.locator('.keys button').first().isDisabled(), 'and the keys are still off');

    // The cabinet's lockout ends (device time); the page counts down to it by itself.
    e.time.tick(300_000);
    await page.clock.runFor(reloaded * 1000 + 1000);
    await tid('lockout').waitFor({ state: 'hidden' });
    t.ok(await page.locator('.keys button').first().isEnabled(), 'when it ends the keys come back');
    t.equal(await keyLook(page), enabledLook, 'looking enabled again');
    t.same(errors, []);
  });
}
