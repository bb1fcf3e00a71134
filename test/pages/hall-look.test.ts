// One look for the four pages (ticket kiosk, evaluator, locker, hall TV), in a Chromium that sees
// no CJK font of its own, as on a board without Debian's fonts-noto-cjk: each page takes
// /shared/hall.css (the same palette and font family), and every character it shows is drawn
// with a real glyph — compared, pixel for pixel, with what the browser draws for a character no
// font has (the "tofu" box).
import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { globalTimers } from '../../drivers/clock/timers.js';
import { startPageServer } from '../../firmware/pages/page-server.js';
import { findPackageDir } from '../../firmware/pages/static-files.js';
import { PUBLIC_DIR_IN_PACKAGE as KIOSK_DIR } from '../../firmware/roles/ticket-printer/kiosk/kiosk-page-plugin.js';
import { PUBLIC_DIR_IN_PACKAGE as EVALUATOR_DIR } from '../../firmware/roles/evaluator/page/evaluator-page.js';
import { PUBLIC_DIR_IN_PACKAGE as LOCKER_DIR, type LockerView } from '../../firmware/roles/locker/page/locker-page.js';
import { PUBLIC_DIR_IN_PACKAGE as CALLER_DIR, type CallerView } from '../../firmware/roles/caller/page/caller-page.js';
import type { EvaluatorView } from '../../firmware/roles/evaluator/page/evaluator-view.js';
import { hallView } from '../roles/ticket-printer/fake-kiosk-backend.js';
import { launchChromium, openTouchPage } from '../../testkit/chromium.js';
import { tempDir } from '../../testkit/temp.js';

t.setTimeout(120_000);

const SYSTEM_FONTS = '/usr/share/fonts/truetype/dejavu';

const EVALUATOR: EvaluatorView = {
  rev: 1,
  screen: 'rating',
  online: true,
  idleMs: 60_000,
  thanksMs: 3000,
  pausedReason: null,
  staff: { name: '李晓梅', number: 'GZ-0107', window: '7号窗口', matters: ['社会保障卡申领'], guide: [] },
  case: { caseId: 'case-1', matterName: '社会保障卡申领', ticket: 'A023', staffId: 'GZ-0107', window: '7号窗口' },
  thanks: null,
  contentVersion: 'v1',
  levels: [
    { level: 5, name: '非常满意', nameEn: 'Very satisfied', needsItem: false, items: [] },
    { level: 4, name: '满意', nameEn: 'Satisfied', needsItem: false, items: [] },
    { level: 3, name: '基本满意', nameEn: 'Fair', needsItem: false, items: [] },
    { level: 2, name: '不满意', nameEn: 'Dissatisfied', needsItem: true, items: [{ id: 'attitude', name: '服务态度', nameEn: 'Attitude' }] },
    { level: 1, name: '非常不满意', nameEn: 'Very dissatisfied', needsItem: true, items: [{ id: 'attitude', name: '服务态度', nameEn: 'Attitude' }] },
  ],
};
const LOCKER: LockerView = { free: { S: 1, M: 2, L: 0, XL: 1 }, lockedOutUntil: null, lockoutLeftMs: null, offline: true, lastDropOff: null, openDropOff: null, keypad: null, pickup: null };
const call = (ticket: string, window: string) => ({ ticket, window, priority: false });
/** The caller's view as the TV page gets it. */
const CALLER: CallerView = {
  rev: 1, lang: 'zh', window: '5', hallName: '城关镇便民服务中心', timeZone: 'Asia/Shanghai', now: Date.UTC(2026, 11, 7, 2, 30),
  next: [], current: call('A023', '5'), last: [call('A023', '5'), call('B007', '2')], notice: '今日下午16:00停止取号，请合理安排办事时间。', paused: false, mode: 'voice',
};
const PAGES = [
  { name: 'kiosk', dir: KIOSK_DIR, view: hallView({ notice: { zh: '请携带身份证原件', en: 'Bring your ID card' } }) },
  { name: 'evaluator', dir: EVALUATOR_DIR, view: EVALUATOR },
  { name: 'locker', dir: LOCKER_DIR, view: LOCKER },
  { name: 'caller', dir: CALLER_DIR, view: CALLER },
] as const;

/** Characters drawn as the tofu box (no font has them), and whether the browser has a CJK font of its own. */
const GLYPH_SCRIPT = String.raw`(async () => {
  await document.fonts.ready;
  const family = getComputedStyle(document.body).fontFamily;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const chars = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && n.parentElement.getClientRects().length > 0) for (const ch of n.textContent) if (ch.codePointAt(0) > 0x7e && !/\s/u.test(ch)) chars.add(ch);
  }
  const all = [...chars].join('');
  // A font that fails to load must show as missing glyphs below, not as an error here.
  await Promise.allSettled(['400', '700'].map((w) => document.fonts.load(w + ' 40px ' + family, all)));
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const draw = (ch, font) => {
    g.clearRect(0, 0, 64, 64);
    g.font = font;
    g.fillStyle = '#000';
    g.textBaseline = 'top';
    g.fillText(ch, 4, 4);
    const d = g.getImageData(0, 0, 64, 64).data;
    let h = 0;
    for (let i = 3; i < d.length; i += 4) h = (h * 31 + d[i] * (i + 1)) >>> 0;
    return h;
  };
  const missing = [];
  for (const weight of ['400', '700']) {
    const font = weight + ' 40px ' + family;
    const tofu = draw('\uE000', font);
    for (const ch of chars) if (draw(ch, font) === tofu) missing.push(weight + ':' + ch);
  }
  return { chars: chars.size, missing, systemHasCjk: draw('政', '40px sans-serif') !== draw('\uE000', '40px sans-serif') };
})()`;

const rootStyle = (page: Page) =>
  page.evaluate(`(() => { const s = getComputedStyle(document.documentElement); return { palette: ['--ink', '--paper', '--brand', '--green', '--danger', '--off-bg'].map((v) => s.getPropertyValue(v).trim()).join(' '), font: getComputedStyle(document.body).fontFamily, sheets: [...document.styleSheets].map((x) => new URL(x.href).pathname) }; })()`) as Promise<{ palette: string; font: string; sheets: string[] }>;

const dir = await tempDir(t, 'halld-no-cjk-');
await mkdir(join(dir, 'cache'));
const fontsConf = join(dir, 'fonts.conf');
await writeFile(fontsConf, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${SYSTEM_FONTS}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>\n`);
const browser = await launchChromium(t, { env: { FONTCONFIG_FILE: fontsConf } });
if (browser) {
  const looks: { name: string; palette: string; font: string }[] = [];
  for (const p of PAGES) {
    t.test(`${p.name}: /shared/hall.css, and every character a real glyph on a board without CJK fonts`, async (t) => {
      const publicDir = findPackageDir(p.dir, import.meta.filename);
      if (publicDir === null) throw new Error(`no ${p.dir} in the package`);
      const server = await startPageServer({ plugin: { name: p.name, publicDir, events: (send) => (send('view', p.view), () => {}) }, timers: globalTimers });
      t.teardown(() => server.close());
      const { page, errors } = await openTouchPage(t, browser, { viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
      await page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(p.name === 'locker' ? '空闲' : p.name === 'caller' ? 'A023' : p.name === 'kiosk' ? '社保医保' : '非常满意')})`);
      const look = await rootStyle(page);
      t.same(look.sheets.slice(0, 2), ['/shared/hall.css', '/style.css'], 'the shared look, then the page\'s own layout');
      t.match(look.font, /^"Halld Sans SC"/, `the page font is the one halld ships (${look.font})`);
      looks.push({ name: p.name, palette: look.palette, font: look.font });
      const glyphs = (await page.evaluate(GLYPH_SCRIPT)) as { chars: number; missing: string[]; systemHasCjk: boolean };
      t.notOk(glyphs.systemHasCjk, 'this browser has no CJK font of its own (a board without fonts-noto-cjk)');
      t.ok(glyphs.chars > 10, `${glyphs.chars} distinct non-ASCII characters on the page`);
      t.same(glyphs.missing, [], 'every one drawn with a real glyph, regular and bold');
      t.same(errors, []);
    });
  }
  t.test('the four pages share one palette and one font', async (t) => {
    t.equal(looks.length, PAGES.length, 'every page was measured');
    t.equal(new Set(looks.map((l) => l.palette)).size, 1, `one palette (${looks.map((l) => `${l.name}: ${l.palette}`).join('; ')})`);
    t.equal(new Set(looks.map((l) => l.font)).size, 1, 'one font family');
  });
}
