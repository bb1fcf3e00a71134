// The evaluator's interactive self-tests (`halld diag --interactive`, or sys/diag naming them):
// `buttons` asks for each level in turn (非常满意 first) and fails on a wrong button, on no
// press in time, or when the technician gives up; `leds` lights each LED alone in turn;
// `oled` draws a test pattern. While one runs, presses rate nothing and the desk leaves the
// LEDs alone; afterwards both show the desk's state again.
import { LEVEL_NAMES, type EvaluatorContract, type RatingLevel } from '../../../protocol/evaluator.js';
import type { MonoFrame, SelfTestResult } from '../../../drivers/hal/types.js';
import { abortableDelay } from '../../../drivers/clock/timers.js';
import type { ManualTestContext, RoleContext } from '../role-module.js';
import type { EvaluatorConfig } from './config.js';
import type { LevelButtons } from './level-buttons.js';
import type { OledStatus } from './oled-status.js';

/** How long `buttons` waits for each press (nobody may be there when it runs over MQTT). */
export const PRESS_TIMEOUT_MS = 60_000;
/** How long `leds` keeps each LED lit, and `oled` its pattern (twice this). */
export const STEP_MS = 1500;

export interface ManualTestParts {
  config: EvaluatorConfig;
  buttons: LevelButtons;
  oled: OledStatus | undefined;
}

type Press = { kind: 'press'; level: RatingLevel; input: string } | { kind: 'timeout' } | { kind: 'aborted' };

const label = (level: RatingLevel): string => `${LEVEL_NAMES[level]} (${level})`;

/** The next active edge of any level button, or a timeout, or the abort. */
function nextPress(ctx: RoleContext<EvaluatorContract>, config: EvaluatorConfig, signal: AbortSignal, timeoutMs: number): Promise<Press> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    const done = (p: Press): void => {
      for (const off of offs.splice(0)) off();
      resolve(p);
    };
    if (signal.aborted) return done({ kind: 'aborted' });
    for (const b of config.buttons) offs.push(ctx.hal.input(b.input).onChange((active) => active && done({ kind: 'press', level: b.level, input: b.input })));
    const timer = ctx.timers.setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
    offs.push(() => ctx.timers.clearTimeout(timer));
    const onAbort = (): void => done({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    offs.push(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Waits `ms` on the role's timers; false when aborted first. */
function pause(ctx: RoleContext<EvaluatorContract>, signal: AbortSignal, ms: number): Promise<boolean> {
  return abortableDelay(ctx.timers, ms, signal);
}

async function pressEach(ctx: RoleContext<EvaluatorContract>, parts: ManualTestParts, m: ManualTestContext): Promise<SelfTestResult> {
  const order = [...parts.config.buttons].sort((a, b) => b.level - a.level);
  if (order.length === 0) return { name: 'buttons', ok: false, detail: 'no level buttons configured' };
  const pressed: string[] = [];
  for (const want of order) {
    await parts.buttons.light((l) => l === want.level).catch(() => undefined); // a hint only: an LED fault is the leds test's
    m.prompt(`press ${label(want.level)}`);
    const got = await nextPress(ctx, parts.config, m.signal, PRESS_TIMEOUT_MS);
    const fail = (detail: string): SelfTestResult => ({ name: 'buttons', ok: false, detail, data: { pressed } });
    if (got.kind === 'aborted') return fail(`stopped while waiting for ${label(want.level)}`);
    if (got.kind === 'timeout') return fail(`no press of ${label(want.level)} (${want.input}) within ${PRESS_TIMEOUT_MS / 1000} s`);
    if (got.level !== want.level) return fail(`${label(got.level)} (${got.input}) pressed while waiting for ${label(want.level)} (${want.input}): wired to the wrong level?`);
    pressed.push(want.input);
  }
  return { name: 'buttons', ok: true, detail: `all ${pressed.length} buttons answered, each at its level`, data: { pressed } };
}

async function lightEach(ctx: RoleContext<EvaluatorContract>, parts: ManualTestParts, m: ManualTestContext): Promise<SelfTestResult> {
  const order = [...parts.config.leds].sort((a, b) => b.level - a.level);
  if (order.length === 0) return { name: 'leds', ok: false, detail: 'no LEDs configured' };
  try {
    for (const led of order) {
      await parts.buttons.light((l) => l === led.level);
      m.prompt(`the LED of ${label(led.level)} (${led.output}) is lit, the others are dark`);
      if (!(await pause(ctx, m.signal, STEP_MS))) return { name: 'leds', ok: false, detail: `stopped at the LED of ${label(led.level)}` };
    }
    await parts.buttons.light(() => false);
  } catch (err) {
    return { name: 'leds', ok: false, detail: (err as Error).message };
  }
  return { name: 'leds', ok: true, detail: `lit ${order.length} LEDs in turn; the technician saw each or says which not`, data: { order: order.map((l) => l.output) } };
}

/** A border, both diagonals and a checkerboard in the middle: a dead row, column or edge shows. */
export function testPattern(width: number, height: number): MonoFrame {
  const data = new Uint8Array(width * height);
  const set = (x: number, y: number): void => void (data[y * width + x] = 1);
  for (let x = 0; x < width; x++) {
    set(x, 0);
    set(x, height - 1);
  }
  for (let y = 0; y < height; y++) {
    set(0, y);
    set(width - 1, y);
    const x = Math.round((y * (width - 1)) / (height - 1));
    set(x, y);
    set(width - 1 - x, y);
  }
  const cx = width / 2 - 8;
  const cy = height / 2 - 8;
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) if (((x >> 2) + (y >> 2)) % 2 === 0) set(cx + x, cy + y);
  return { width, height, data };
}

async function oledPattern(ctx: RoleContext<EvaluatorContract>, parts: ManualTestParts, m: ManualTestContext): Promise<SelfTestResult> {
  const oled = parts.oled;
  if (!oled) return { name: 'oled', ok: false, detail: 'no display configured (roles.evaluator.display)' };
  try {
    const display = await oled.open();
    await display.show(testPattern(display.width, display.height));
    m.prompt(`the OLED ${oled.part} shows a frame on every edge, an X corner to corner and a checkerboard in the middle`);
    const held = await pause(ctx, m.signal, STEP_MS * 2);
    return held ? { name: 'oled', ok: true, detail: `test pattern shown on ${display.width}x${display.height}` } : { name: 'oled', ok: false, detail: 'stopped while the pattern was shown' };
  } catch (err) {
    return { name: 'oled', ok: false, detail: (err as Error).message };
  } finally {
    await oled.redraw();
  }
}

/** The tests, each holding the buttons and LEDs while it runs. */
export function evaluatorManualTests(ctx: RoleContext<EvaluatorContract>, parts: () => ManualTestParts): Record<string, (m: ManualTestContext) => Promise<SelfTestResult>> {
  const held = (test: typeof pressEach) => async (m: ManualTestContext) => {
    const p = parts();
    const release = p.buttons.hold();
    try {
      return await test(ctx, p, m);
    } finally {
      release();
    }
  };
  return { buttons: held(pressEach), leds: held(lightEach), oled: held(oledPattern) };
}
