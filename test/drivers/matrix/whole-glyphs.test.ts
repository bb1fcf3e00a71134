// No layout ever cuts a glyph: every caller layout (window panel idle, called, paused, with a
// key's feedback or a notice; hall list; notice marquee) on every common panel size and both
// checked-in fonts, for all ticket prefixes, windows 1–99 and long notices. The judge is the
// BDF font: every lit pixel must belong to a whole glyph of the text, and every character of
// what a person must read must be seen whole (at some moment, for a line that scrolls).
import t from 'tap';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPainter } from '../../../drivers/matrix/render/panel-painter.js';
import { loadBdfFile } from '../../../drivers/matrix/render/font-face.js';
import type { BuiltinFontId } from '../../../drivers/matrix/render/builtin-fonts.js';
import type { PanelPainter, PanelState } from '../../../drivers/hal/panel-layout.js';
import type { RgbFrame } from '../../../drivers/hal/led-matrix.js';
import { ManualClock } from '../../../simulators/clock/manual-clock.js';
import { neverWhole, unexplainedPixels } from '../../../testkit/whole-glyphs.js';

const fontDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../fonts');
const SIZES: readonly [number, number][] = [
  [64, 16],
  [128, 16],
  [192, 16],
  [64, 32],
  [128, 32],
  [128, 64],
];
const FONTS: readonly BuiltinFontId[] = ['wqy-12', 'unifont-16'];
/** Sampling step of a moving picture: a 12 px glyph is whole on a 64 px line for over 1.5 s at 32 px/s. */
const STEP_MS = 500;
const MAX_MS = 40_000;

const PREFIXES = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
/** Windows 1–99, each with a ticket: every prefix, numbers spread over 0–999, every third a priority one. */
const CALLS = Array.from({ length: 99 }, (_, i) => ({ number: `${PREFIXES[i % 26]}${String((i * 137) % 1000).padStart(3, '0')}`, window: String(i + 1), priority: i % 3 === 0 }));
const NOTICES = ['下午16:00后暂停取号，请合理安排办理时间。', '温馨提示：请携带身份证办理业务，谢谢！', '（临时通知）“社保医保”窗口午休，请到3号窗口办理/咨询。'];
const FEEDBACK = ['下一位', '重呼', '暂停', '转移', '过号'];

interface Case {
  name: string;
  state: PanelState;
  /** What a person must be able to read on it. */
  read: string;
}

function callText(c: { number: string; window: string }): string {
  return `请${c.number}号到${c.window}号窗口`;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const c of CALLS) out.push({ name: `call ${c.number} → ${c.window}`, state: { kind: 'window', lang: 'zh', window: c.window, paused: false, current: { ...c, sinceMs: 0 } }, read: callText(c) });
  for (const c of CALLS.filter((_, i) => i % 7 === 0)) out.push({ name: `call ${c.number} (en)`, state: { kind: 'window', lang: 'en', window: c.window, paused: false, current: { ...c, sinceMs: 0 } }, read: `No.${c.number}towindow${c.window}` });
  for (const c of CALLS) out.push({ name: `window ${c.window} paused`, state: { kind: 'window', lang: 'zh', window: c.window, paused: true }, read: `${c.window}号窗口暂停服务` });
  for (const c of CALLS.filter((_, i) => i % 11 === 0)) out.push({ name: `window ${c.window} idle`, state: { kind: 'window', lang: 'zh', window: c.window, paused: false }, read: `${c.window}号窗口` });
  // Idle with the hall's time: the label must be whole; the time, where drawn, too (a cut digit counts as a cut glyph).
  for (const [i, c] of CALLS.filter((_, i) => i % 11 === 0).entries()) {
    const clock = CLOCKS[i % CLOCKS.length] ?? '00:00';
    out.push({ name: `window ${c.window} idle at ${clock}`, state: { kind: 'window', lang: 'zh', window: c.window, paused: false, clock }, read: `${c.window}号窗口` });
    out.push({ name: `window ${c.window} idle at ${clock} (en)`, state: { kind: 'window', lang: 'en', window: c.window, paused: false, clock }, read: `Window${c.window}` });
  }
  for (const clock of CLOCKS) out.push({ name: `empty hall at ${clock}`, state: { kind: 'hall', lang: 'zh', calls: [], clock }, read: clock });
  for (const f of FEEDBACK) out.push({ name: `feedback ${f}`, state: { kind: 'window', lang: 'zh', window: '5', paused: false, feedback: f }, read: f });
  for (const n of NOTICES) {
    out.push({ name: `window notice ${n.slice(0, 6)}`, state: { kind: 'window', lang: 'zh', window: '12', paused: false, notice: { text: n, sinceMs: 0 } }, read: n });
    out.push({ name: `notice ${n.slice(0, 6)}`, state: { kind: 'notice', notice: { text: n, sinceMs: 0 } }, read: n });
    const c = CALLS[40]!;
    out.push({ name: `call with notice ${n.slice(0, 6)}`, state: { kind: 'window', lang: 'zh', window: c.window, paused: false, current: { ...c, sinceMs: 0 }, notice: { text: n, sinceMs: 0 } }, read: callText(c) });
  }
  for (let i = 0; i < CALLS.length; i += 5) {
    const calls = CALLS.slice(i, i + 5);
    // The newest row is the one a person looks for (a narrow panel may shorten 号窗口); the others must be whole or absent.
    out.push({ name: `hall from ${calls[0]?.number}`, state: { kind: 'hall', lang: 'zh', calls, limit: 5 }, read: `${calls[0]?.number}${calls[0]?.window}` });
  }
  return out;
}

/** Idle clocks: every digit in every position. */
const CLOCKS = ['00:00', '09:07', '12:34', '18:59', '23:56', '20:48'];

function allText(s: PanelState): string {
  switch (s.kind) {
    case 'window':
      return `${s.current ? callText(s.current) : ''}${s.window}号窗口暂停服务${s.notice?.text ?? ''}${s.feedback ?? ''}No.towindowClosedWindow${s.current?.number ?? ''}${s.current?.window ?? ''}${s.clock ?? ''}`;
    case 'hall':
      return s.calls.map((c) => `${c.number}${c.window}号窗口Window`).join('') + (s.clock ?? '');
    case 'notice':
      return s.notice.text;
  }
}

function* frames(painter: PanelPainter, clock: ManualClock, state: PanelState): Generator<RgbFrame> {
  const start = clock.monotonicMs();
  do {
    const f = painter.paint(state);
    yield { width: f.width, height: f.height, data: f.data.slice() };
    clock.advance(STEP_MS);
  } while (painter.moving(state) && clock.monotonicMs() - start < MAX_MS);
}

for (const fontId of FONTS) {
  t.test(`no layout cuts a glyph (${fontId})`, async (t) => {
    const font = await loadBdfFile(join(fontDir, `${fontId}.bdf`));
    const edge = Math.max(...[...font.glyphs.values()].map((g) => g.advance));
    const failures: string[] = [];
    const outsideSubset = new Set([...cases().map((c) => allText(c.state)).join('')].filter((ch) => !font.glyphs.has(ch.codePointAt(0) ?? 0)));
    t.same([...outsideSubset], [], 'every character is in the checked-in subset (else the first frame shows a placeholder box)');
    let checked = 0;
    for (const [width, height] of SIZES) {
      if (height < font.ascent + font.descent) continue; // a line of this font cannot fit at all
      for (const c of cases()) {
        const clock = new ManualClock(Date.UTC(2026, 0, 1), 0);
        const painter = await openPainter({ width, height, font: fontId }, clock, { fontDir, fallbackPath: false });
        const moving = painter.moving(c.state);
        const chars = allText(c.state);
        let unexplained = 0;
        const seen: RgbFrame[] = [];
        const collected = (function* () {
          for (const f of frames(painter, clock, c.state)) {
            unexplained = Math.max(unexplained, unexplainedPixels(f, font, chars, moving ? edge : 0));
            seen.push(f);
            yield f;
          }
        })();
        const missing = neverWhole(collected, font, c.read);
        for (const _ of collected); // the rest of the period: every frame is checked for cut glyphs
        checked++;
        if (missing.length > 0 || unexplained > 0) failures.push(`${width}x${height} ${c.name}: ${missing.length > 0 ? `never whole: ${missing.join('')}` : ''}${unexplained > 0 ? ` ${unexplained} px of cut glyphs` : ''}`);
      }
    }
    t.ok(checked > 1000, `${checked} layout/size/text cases checked`);
    t.same(failures.slice(0, 30), [], `every glyph whole (${failures.length} failing of ${checked})`);
  });
}
