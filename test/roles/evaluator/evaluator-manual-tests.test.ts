// The evaluator's interactive self-tests on the sim board's GPIO and OLED, on fake time:
// `buttons` asks for each level in turn and fails on a wrong button, on no press in time and
// on abort; presses during it rate nothing. `leds` lights each LED alone; `oled` shows a test
// pattern and then the screen again. The plain self-tests: the page answers, the OLED answers.
import t from 'tap';
import { caseRequest, evaluatorFixture, type EvaluatorFixture } from './evaluator-fixture.js';
import { deviceTime, type DeviceTime } from '../../../testkit/device-time.js';
import { waitFor } from '../../../testkit/wait.js';
import { PRESS_TIMEOUT_MS, STEP_MS, testPattern } from '../../../firmware/roles/evaluator/manual-tests.js';
import type { SelfTestResult } from '../../../drivers/hal/types.js';

t.setTimeout(120_000);

const oledIo = { i2c: { oled: { address: 0x3c } }, displays: { status: { i2c: 'oled' } } };

interface Run {
  prompts: string[];
  abort: AbortController;
  result: Promise<SelfTestResult | undefined>;
}

function run(e: EvaluatorFixture, name: string): Run {
  const prompts: string[] = [];
  const abort = new AbortController();
  const result = e.runtime.runManualTest('evaluator', name, { prompt: (p) => prompts.push(p), signal: abort.signal });
  return { prompts, abort, result };
}

function tap(e: EvaluatorFixture, time: DeviceTime, level: number): void {
  e.hal.sim.press(`btn-${level}`);
  time.tick(50); // past the 20 ms debounce
  e.hal.sim.release(`btn-${level}`);
  time.tick(50);
}

const lit = (e: EvaluatorFixture, level: number) => e.hal.sim.outputHistory(`led-${level}`).at(-1)?.active;

t.test('buttons: each level in turn, its LED lit as a hint; presses during the test rate nothing', async (t) => {
  const time = deviceTime(t);
  const e = await evaluatorFixture(t, { time, io: oledIo, role: { display: 'status' } });
  await e.command('request', caseRequest('case-m1'));
  const r = run(e, 'buttons');
  for (const [i, level] of [5, 4, 3, 2, 1].entries()) {
    await waitFor(`prompt ${i + 1}`, () => r.prompts[i]);
    t.match(r.prompts[i], new RegExp(`^press .*\\(${level}\\)$`));
    t.same([5, 4, 3, 2, 1].map((l) => lit(e, l)), [5, 4, 3, 2, 1].map((l) => l === level), `only led-${level} lit`);
    tap(e, time, level);
  }
  t.same(r.prompts[0], 'press 非常满意 (5)');
  t.match(await r.result, { name: 'evaluator/buttons', ok: true, data: { pressed: ['btn-5', 'btn-4', 'btn-3', 'btn-2', 'btn-1'] } });
  t.equal((await e.view()).screen, 'rating', 'the case is still waiting: no press rated it');
  await waitFor('LEDs blink again for the open case', () => [5, 4, 3, 2, 1].every((l) => lit(e, l) === true));
  tap(e, time, 4);
  await waitFor('after the test a press rates again', () => e.events('rating.submitted')[0]);
  t.equal(e.events('rating.submitted').length, 1);
});

t.test('buttons: a wrong button fails naming both; no press in time fails; abort fails', async (t) => {
  const time = deviceTime(t);
  const e = await evaluatorFixture(t, { time });
  const wrong = run(e, 'buttons');
  await waitFor('prompt', () => wrong.prompts[0]);
  tap(e, time, 3);
  t.match(await wrong.result, { ok: false, detail: /基本满意 \(3\) \(btn-3\) pressed while waiting for 非常满意 \(5\) \(btn-5\)/ });

  const slow = run(e, 'buttons');
  await waitFor('prompt', () => slow.prompts[0]);
  tap(e, time, 5);
  await waitFor('second prompt', () => slow.prompts[1]);
  time.tick(PRESS_TIMEOUT_MS);
  t.match(await slow.result, { ok: false, detail: /no press of 满意 \(4\) \(btn-4\) within 60 s/, data: { pressed: ['btn-5'] } });

  const stopped = run(e, 'buttons');
  await waitFor('prompt', () => stopped.prompts[0]);
  stopped.abort.abort();
  t.match(await stopped.result, { ok: false, detail: /stopped while waiting for 非常满意/ });
});

t.test('leds: each LED alone in turn, then the desk has them back', async (t) => {
  const time = deviceTime(t);
  const e = await evaluatorFixture(t, { time });
  const r = run(e, 'leds');
  for (const [i, level] of [5, 4, 3, 2, 1].entries()) {
    await waitFor(`prompt ${i + 1}`, () => r.prompts[i]);
    t.match(r.prompts[i], `(led-${level}) is lit`);
    t.same([5, 4, 3, 2, 1].map((l) => lit(e, l)), [5, 4, 3, 2, 1].map((l) => l === level), `only led-${level}`);
    time.tick(STEP_MS);
  }
  t.match(await r.result, { ok: true, data: { order: ['led-5', 'led-4', 'led-3', 'led-2', 'led-1'] } });
  t.same([5, 4, 3, 2, 1].map((l) => lit(e, l)), [false, false, false, false, false], 'dark: no case is open');

  const aborted = run(e, 'leds');
  await waitFor('prompt', () => aborted.prompts[0]);
  aborted.abort.abort();
  t.match(await aborted.result, { ok: false, detail: /stopped at the LED of 非常满意/ });
});

t.test('oled: the test pattern on the glass, then the screen again; plain self-tests: page and OLED answer', async (t) => {
  const time = deviceTime(t);
  const e = await evaluatorFixture(t, { time, io: oledIo, role: { display: 'status' } });
  const chip = e.hal.sim.display('status');
  const before = chip.glass().data.slice();
  const r = run(e, 'oled');
  await waitFor('prompt', () => r.prompts[0]);
  t.same(chip.glass().data, testPattern(128, 64).data, 'the pattern is on the glass');
  time.tick(STEP_MS * 2);
  t.match(await r.result, { ok: true, detail: 'test pattern shown on 128x64' });
  t.same(chip.glass().data, before, 'the screen is back');

  const report = await e.runtime.diagnose();
  t.match(report.results.find((x) => x.name === 'evaluator/page'), { ok: true, detail: /answers$/ });
  t.match(report.results.find((x) => x.name === 'evaluator/oled'), { ok: true, detail: 'status answers' });
  e.hal.sim.i2cNack('oled');
  const bad = await e.runtime.diagnose();
  t.match(bad.results.find((x) => x.name === 'evaluator/oled'), { ok: false, detail: /status: .*EREMOTEIO/ });
  t.match(await e.runtime.runManualTest('evaluator', 'oled', { prompt: () => undefined, signal: new AbortController().signal }), { ok: false, detail: /EREMOTEIO/ });
});

t.test('oled without a display configured fails saying so', async (t) => {
  const e = await evaluatorFixture(t);
  t.match(await e.runtime.runManualTest('evaluator', 'oled', { prompt: () => undefined, signal: new AbortController().signal }), { ok: false, detail: /no display configured/ });
  t.match((await e.runtime.diagnose()).results.find((x) => x.name === 'evaluator/oled'), { ok: true, detail: 'no display configured' });
});
