// The MonoDisplay contract (drivers/hal/mono-display.ts): what the evaluator relies on from
// any small display. A frame shown reaches the glass as given (copied: the caller may reuse
// its buffer at once); frames given faster than the display takes them end with the newest on
// the glass; a wrong-sized frame throws DISPLAY_FRAME_SIZE and changes nothing; a display that
// does not answer rejects with IO and the next frame brings it back whole; text lines that do
// not fit are counted out; close() is idempotent and calls after it reject CLOSED.
import type { Test } from 'tap';
import { HalError, type MonoDisplay, type MonoFrame } from './hal-imports.js';

export interface DisplayUnderTest {
  display: MonoDisplay;
  /** What the glass shows now; absent on real hardware (a person looks). */
  glass?(): MonoFrame;
  /** The next `count` transfers are not acknowledged; absent where that cannot be arranged. */
  nack?(count: number): void;
}

export interface DisplaySubject {
  open(t: Test): Promise<DisplayUnderTest>;
  /** open() hands out nack(): the fault case runs. */
  canNack: boolean;
}

/** A frame with a diagonal and a filled top-left square: asymmetric, so a mirror or a flip shows. */
export function testPattern(width: number, height: number, shift = 0): MonoFrame {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x + shift) % width === Math.floor((y * width) / height) || (x < 10 && y < 6)) data[y * width + x] = 1;
  return { width, height, data };
}

function same(t: Test, a: MonoFrame, b: MonoFrame, what: string): void {
  const diff = a.data.reduce((n, v, i) => n + ((v !== 0) !== ((b.data[i] ?? 0) !== 0) ? 1 : 0), 0);
  t.equal(diff, 0, `${what}: ${diff} pixels differ`);
}

export function monoDisplayContract(t: Test, subject: DisplaySubject): void {
  t.test('a frame shown reaches the glass as given, though the caller reuses its buffer at once', async (t) => {
    const { display, glass } = await subject.open(t);
    t.ok(display.width === 128 && (display.height === 64 || display.height === 32), `${display.width}x${display.height}`);
    const frame = testPattern(display.width, display.height);
    const expected = { ...frame, data: frame.data.slice() };
    const shown = display.show(frame);
    frame.data.fill(1);
    await shown;
    if (glass) same(t, glass(), expected, 'glass after show');
  });

  t.test('frames given faster than the display takes them: every promise resolves and the newest is on the glass', async (t) => {
    const { display, glass } = await subject.open(t);
    const frames = [0, 7, 19, 40].map((s) => testPattern(display.width, display.height, s));
    await Promise.all(frames.map((f) => display.show(f)));
    if (glass) same(t, glass(), frames[frames.length - 1]!, 'the last frame');
  });

  t.test('a frame of the wrong size throws DISPLAY_FRAME_SIZE and the glass keeps its picture', async (t) => {
    const { display, glass } = await subject.open(t);
    const good = testPattern(display.width, display.height, 3);
    await display.show(good);
    t.throws(() => void display.show({ width: display.width, height: display.height + 8, data: new Uint8Array(display.width * (display.height + 8)) }), { code: 'DISPLAY_FRAME_SIZE' });
    t.throws(() => void display.show({ width: display.width, height: display.height, data: new Uint8Array(10) }), { code: 'DISPLAY_FRAME_SIZE' });
    if (glass) same(t, glass(), good, 'unchanged');
  });

  t.test('text lines are drawn from the top; the ones that do not fit are counted out', async (t) => {
    const { display, glass } = await subject.open(t);
    const lines = Array.from({ length: 8 }, (_, i) => ({ text: `第${i + 1}行 line ${i + 1}` }));
    const { drawn } = await display.text(lines);
    t.equal(drawn, display.height === 64 ? 5 : 2, 'lines of 13 px that fit (the last needs no spacing row)');
    if (glass) {
      const g = glass();
      const litRows = new Set<number>();
      g.data.forEach((v, i) => v && litRows.add(Math.floor(i / g.width)));
      t.ok(litRows.size > 0 && Math.min(...litRows) < 13, 'ink in the first line');
      t.ok(Math.max(...litRows) < drawn * 13, 'no ink below the last line drawn');
    }
  });

  const noNack = subject.canNack ? {} : { skip: 'this display cannot be made to stop answering' };
  t.test('a display that does not answer rejects with IO; the next frame arrives whole', noNack, async (t) => {
    const { display, glass, nack } = await subject.open(t);
    if (!nack) throw new Error('canNack but open() gave no nack()');
    const a = testPattern(display.width, display.height, 5);
    await display.show(a);
    nack(1);
    await t.rejects(display.show(testPattern(display.width, display.height, 9)), { name: 'HalError', code: 'IO' });
    nack(1);
    await t.rejects(display.probe(), { code: 'IO' }, 'probe sees it too');
    // The same frame as before the fault: a driver that trusted its copy of the chip's RAM would send nothing.
    await display.show(a);
    if (glass) same(t, glass(), a, 'after the fault');
    await display.probe();
  });

  t.test('contrast and power: out-of-range contrast is clamped; power off and on keeps the picture', async (t) => {
    const { display, glass } = await subject.open(t);
    const a = testPattern(display.width, display.height, 11);
    await display.show(a);
    await display.setContrast(999);
    await display.setContrast(-5);
    await display.setPower(false);
    if (glass) t.equal(glass().data.reduce((n, v) => n + v, 0), 0, 'dark while off');
    await display.setPower(true);
    if (glass) same(t, glass(), a, 'the picture is back');
  });

  t.test('close() is idempotent; every call after it rejects CLOSED', async (t) => {
    const { display } = await subject.open(t);
    await display.close();
    await display.close();
    const closed = { code: 'CLOSED' };
    await t.rejects(display.show(testPattern(display.width, display.height)), closed);
    await t.rejects(display.text([{ text: 'x' }]), closed);
    await t.rejects(display.setContrast(10), closed);
    await t.rejects(display.setPower(true), closed);
    await t.rejects(display.probe(), closed);
    t.ok(new HalError('CLOSED', 'x') instanceof Error);
  });
}
