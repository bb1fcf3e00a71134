// The evaluator on a small OLED (config `display`): the real role on the sim board, whose
// simulated SSD1306 decodes the bytes the real driver sends; each screen (idle staff card, the
// five levels while a rating is requested, thanks, 暂停服务) compared pixel-exact with the
// checked-in PNGs in docs/evaluator/oled/. A test run never writes into docs/: on a mismatch
// <name>.actual.png goes to <tmpdir>/halld-golden-actual/evaluator-oled/ (named in the failure);
// after an intended change: HALLD_UPDATE_DOCS=1 node scripts/run-tests.mjs evaluator-oled
// (testkit/docs-screenshots.ts).
import t, { type Test } from 'tap';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseRequest, evaluatorFixture, STAFF } from './evaluator-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { deviceTime } from '../../../testkit/device-time.js';
import { updatingDocs } from '../../../testkit/docs-screenshots.js';
import { pngToMono } from '../../../simulators/ssd1306/oled-png.js';
import type { Ssd1306Chip } from '../../../simulators/ssd1306/ssd1306-chip.js';
import type { MonoFrame } from '../../../drivers/hal/types.js';

t.setTimeout(120_000);

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const goldenDir = join(root, 'docs/evaluator/oled');
const update = updatingDocs();
/** Only a mismatch writes here, and it is kept to be looked at. */
const actualDir = join(tmpdir(), 'halld-golden-actual', 'evaluator-oled');

const oledIo = (height: 32 | 64) => ({ i2c: { oled: { address: 0x3c } }, displays: { status: { i2c: 'oled', height } } });

function differing(a: MonoFrame, b: MonoFrame): number {
  if (a.width !== b.width || a.height !== b.height) return Number.POSITIVE_INFINITY;
  return a.data.reduce((n, v, i) => n + ((v !== 0) !== ((b.data[i] ?? 0) !== 0) ? 1 : 0), 0);
}

/** Waits until the glass holds what the golden does (the role redraws asynchronously), then checks it. */
async function compareGolden(tt: Test, name: string, chip: Ssd1306Chip): Promise<void> {
  const golden = join(goldenDir, `${name}.png`);
  const actual = join(actualDir, `${name}.actual.png`);
  const writeActual = () => {
    mkdirSync(actualDir, { recursive: true });
    writeFileSync(actual, chip.png());
  };
  if (update) {
    mkdirSync(goldenDir, { recursive: true });
    await new Promise((r) => setTimeout(r, 300)); // regeneration only: let the last redraw land
    writeFileSync(golden, chip.png());
    tt.comment(`wrote golden ${golden}`);
  }
  if (!existsSync(golden)) {
    writeActual();
    tt.fail(`${name}: no golden ${golden}; look at ${actual} and regenerate with HALLD_UPDATE_DOCS=1`);
    return;
  }
  const want = pngToMono(readFileSync(golden));
  const diff = await waitFor(`${name} on the glass`, () => (differing(chip.glass(), want) === 0 ? 0 : undefined), 5_000).catch(() => differing(chip.glass(), want));
  if (diff !== 0) writeActual();
  tt.equal(diff, 0, `${name}: pixel-exact with the golden (on mismatch see ${actual})`);
  tt.ok(chip.glass().data.reduce((n, v) => n + v, 0) > 100, `${name}: the glass shows something`);
  tt.same(chip.problems(), [], 'the chip is set up right for its glass');
}

t.test('128x64: idle staff card, the five levels, thanks, paused', async (t) => {
  const e = await evaluatorFixture(t, { io: oledIo(64), role: { display: 'status' } });
  const chip = e.hal.sim.display('status');
  await compareGolden(t, 'no-staff-64', chip);
  t.equal((await e.command('staff', { ...STAFF, photo: undefined } as unknown as Record<string, unknown>)).ok, true);
  await compareGolden(t, 'idle-64', chip);
  await e.command('request', caseRequest('case-o1'));
  await compareGolden(t, 'rating-64', chip);
  e.hal.sim.press('btn-5');
  await waitFor('rating.submitted', () => e.events('rating.submitted')[0]);
  await compareGolden(t, 'thank-you-64', chip);
  await e.command('pause', { reason: '午休 稍后回来' });
  await compareGolden(t, 'paused-64', chip);
});

t.test('128x32: the short layouts', async (t) => {
  const e = await evaluatorFixture(t, { io: oledIo(32), role: { display: 'status' } });
  const chip = e.hal.sim.display('status');
  await e.command('staff', { ...STAFF, photo: undefined } as unknown as Record<string, unknown>);
  await compareGolden(t, 'idle-32', chip);
  await e.command('request', caseRequest('case-o2'));
  await compareGolden(t, 'rating-32', chip);
});

t.test('buttons only: the OLED follows a rating given with a button, back to the card after the thank-you', async (t) => {
  const time = deviceTime(t);
  const e = await evaluatorFixture(t, { time, io: oledIo(64), role: { display: 'status' } });
  const chip = e.hal.sim.display('status');
  await e.command('staff', { ...STAFF, photo: undefined } as unknown as Record<string, unknown>);
  await compareGolden(t, 'idle-64', chip);
  await e.command('request', caseRequest('case-o3'));
  await compareGolden(t, 'rating-64', chip);
  e.hal.sim.press('btn-5');
  time.tick(50); // the debounce
  await waitFor('rating.submitted', () => e.events('rating.submitted')[0]);
  await compareGolden(t, 'thank-you-64', chip);
  time.tick(3000); // thankYouMs
  await compareGolden(t, 'idle-64', chip);
});

t.test('an OLED that stops answering: the rating still counts, and the glass catches up once it answers', async (t) => {
  const e = await evaluatorFixture(t, { io: oledIo(64), role: { display: 'status' } });
  const chip = e.hal.sim.display('status');
  await e.command('staff', { ...STAFF, photo: undefined } as unknown as Record<string, unknown>);
  await compareGolden(t, 'idle-64', chip);
  e.hal.sim.i2cNack('oled');
  await e.command('request', caseRequest('case-o4'));
  const diag = await e.server.client.command('eval-1', 'sys/diag', {}, { timeoutMs: 10_000 });
  const oled = diag.ok ? (diag.data as { results: { name: string; ok: boolean }[] }).results.find((r) => r.name.endsWith('oled')) : undefined;
  t.match(oled, { ok: false }, 'the oled self-test says so');
  t.match(await e.rate('case-o4', 4), { ok: true, already: false });
  e.hal.sim.i2cNack('oled', 0);
  await e.command('pause', {});
  await compareGolden(t, 'paused-default-64', chip);
});
