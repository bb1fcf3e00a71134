// The rating screen as a citizen meets it on the evaluator's screen sizes (10" 1280×800 and its
// portrait 800×1280, 7" 1024×600 and 800×480), in normal and large text (大字), measured in
// Chromium: all five levels and the submit control inside the viewport without a page scroll,
// levels as one row of equal tiles in landscape and five rows sharing the height in portrait,
// the staff member on one line, every text at least 4.5:1 (WCAG AA), one font on every button.
import t from 'tap';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { caseRequest, CONTENT, evaluatorFixture, STAFF } from './evaluator-fixture.js';
import { launchChromium, openTouchPage } from '../../../testkit/chromium.js';
import { screenshotDir } from '../../../testkit/docs-screenshots.js';
import { boxOf, describeBox, describeContrasts, fontFamilies, insideViewport, lowContrast, pageOverflows, textContrasts, type Box } from '../../../testkit/page-measure.js';

t.setTimeout(240_000);

/** A province's full list for the two low levels: the longest item list a citizen meets. */
const REASONS = [
  { id: 'attitude', name: '服务态度', nameEn: 'Attitude' },
  { id: 'efficiency', name: '服务效率', nameEn: 'Efficiency' },
  { id: 'skill', name: '业务水平', nameEn: 'Competence' },
  { id: 'process', name: '办事流程', nameEn: 'Procedure' },
  { id: 'policy', name: '政策规定', nameEn: 'Rules and policies' },
  { id: 'facilities', name: '环境设施', nameEn: 'Facilities' },
  { id: 'other', name: '其他', nameEn: 'Other' },
];
const FULL_CONTENT = { version: CONTENT.version, levels: { ...CONTENT.levels, '2': REASONS, '1': REASONS } };
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 800, height: 1280 },
  { width: 1024, height: 600 },
  { width: 800, height: 480 },
];
const LEVELS = [5, 4, 3, 2, 1];

async function boxes(page: Page, ids: readonly string[]): Promise<Map<string, Box | null>> {
  const out = new Map<string, Box | null>();
  for (const id of ids) out.set(id, await boxOf(page.locator(`[data-testid="${id}"]`)));
  return out;
}

const browser = await launchChromium(t);
if (browser) {
  const shots = await screenshotDir(t, 'evaluator');
  const e = await evaluatorFixture(t, { role: { content: FULL_CONTENT } });
  await e.command('staff', STAFF as unknown as Record<string, unknown>);
  // Open for the whole file: the default timeout would close the case halfway through.
  await e.command('request', caseRequest('case-A012-20260507-0001', { timeoutMs: 3_600_000 }));

  for (const viewport of VIEWPORTS) {
    for (const large of [false, true]) {
      const name = `${viewport.width}×${viewport.height}${large ? ' 大字' : ''}`;
      t.test(`${name}: five levels and submit on screen, no scroll, AA contrast, one font`, async (t) => {
        const { page, tid, errors } = await openTouchPage(t, browser, { viewport });
        await page.goto(e.url);
        await tid('screen-rating').waitFor();
        if (large) {
          await tid('large-toggle').click();
          await page.waitForFunction('document.documentElement.classList.contains("large")');
        }
        const landscape = viewport.width > viewport.height;
        const levelIds = LEVELS.map((l) => `level-${l}`);

        const check = async (state: string, extra: readonly string[]) => {
          const found = await boxes(page, [...levelIds, 'submit', ...extra]);
          for (const [id, box] of found) t.ok(insideViewport(box, viewport), `${state}: ${id} inside the viewport (${describeBox(box)})`);
          const overflow = await pageOverflows(page);
          t.notOk(overflow.overflows, `${state}: no page scroll (content ${overflow.scrollWidth}×${overflow.scrollHeight} in ${overflow.width}×${overflow.height})`);
          const low = lowContrast(await textContrasts(page));
          t.same(low.length, 0, `${state}: every text at least 4.5:1${low.length ? `; below: ${describeContrasts(low)}` : ''}`);
          return found;
        };

        const found = await check('five levels', []);
        const tiles = levelIds.map((id) => found.get(id)).filter((b): b is Box => b !== null && b !== undefined);
        t.equal(tiles.length, 5, 'five level tiles');
        const first = tiles[0];
        if (first) {
          if (landscape) {
            t.ok(tiles.every((b) => Math.abs(b.y - first.y) < 1 && Math.abs(b.height - first.height) < 1), `landscape: one row (${tiles.map(describeBox).join(' | ')})`);
            t.ok(tiles.every((b) => Math.abs(b.width - first.width) < 1), 'landscape: equal widths');
            t.ok(tiles.every((b, i) => i === 0 || b.x > (tiles[i - 1]?.x ?? 0)), 'landscape: 非常满意 on the left, 非常不满意 on the right');
          } else {
            t.ok(tiles.every((b) => Math.abs(b.x - first.x) < 1 && Math.abs(b.width - first.width) < 1), `portrait: five rows (${tiles.map(describeBox).join(' | ')})`);
            t.ok(tiles.every((b) => Math.abs(b.height - first.height) < 1), 'portrait: the rows share the height equally');
            t.ok(tiles.every((b, i) => i === 0 || b.y > (tiles[i - 1]?.y ?? 0)), 'portrait: 非常满意 on top');
          }
        }
        const staff = await boxes(page, ['staff-photo', 'staff-name', 'staff-number', 'staff-window']);
        const middles = [...staff.values()].map((b) => (b ? b.y + b.height / 2 : NaN));
        const line = staff.get('staff-name');
        t.ok(
          line != null && [...staff.values()].every((b) => b !== null && Math.abs(b.y + b.height / 2 - (line.y + line.height / 2)) < line.height / 2),
          `photo, name, number and window on one line (middles ${middles.map(Math.round).join(', ')})`,
        );
        t.same(await fontFamilies(page, 'button'), [await page.evaluate('getComputedStyle(document.body).fontFamily')], 'every button in the page font');
        await page.screenshot({ path: join(shots, `rating-${viewport.width}x${viewport.height}${large ? '-large' : ''}.png`) });

        await tid('level-1').click();
        await check('非常不满意 with its reasons', REASONS.map((r) => `item-${r.id}`));
        await tid('item-attitude').click();
        t.equal(await tid('item-attitude').getAttribute('aria-pressed'), 'true', 'a chosen reason says so');
        await check('a reason chosen', []);
        t.same(errors, []);
      });
    }
  }

  t.test('English in large text at 800×480: the longest labels still fit', async (t) => {
    const viewport = { width: 800, height: 480 };
    const { page, tid } = await openTouchPage(t, browser, { viewport });
    await page.goto(e.url);
    await tid('screen-rating').waitFor();
    await tid('lang-toggle').click();
    await tid('large-toggle').click();
    await tid('level-1').click();
    for (const id of [...LEVELS.map((l) => `level-${l}`), 'submit', ...REASONS.map((r) => `item-${r.id}`)]) {
      const box = await boxOf(tid(id));
      t.ok(insideViewport(box, viewport), `${id} inside (${describeBox(box)})`);
    }
    t.notOk((await pageOverflows(page)).overflows, 'no page scroll');
    const clipped = (await page.evaluate(`[...document.querySelectorAll('button')].filter((b) => b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1).map((b) => b.textContent)`)) as string[];
    t.same(clipped, [], 'no button label overflows its button');
    await page.screenshot({ path: join(shots, 'rating-800x480-large-en.png') });
  });
}
