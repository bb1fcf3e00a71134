// The LedMatrix contract (drivers/hal/led-matrix.ts): what the caller role relies on from any
// panel. A frame shown reaches the glass as given (copied: the caller may reuse its buffer at
// once); frames given faster than the panel takes them never pile up, and the newest always
// ends on the glass; a frame of the wrong size throws MATRIX_FRAME_SIZE and changes nothing;
// brightness is clamped to 0-100; close() is heard by health listeners, is idempotent, and
// show() after it is ignored. How a dead panel comes back is the implementation's (PanelHost:
// test/drivers/matrix/panel-host.test.ts).
import type { Test } from 'tap';
import type { LedMatrix, LedMatrixHealth, RgbFrame } from './hal-imports.js';
import { until } from '../../testkit/wait.js';

/** One frame as it reached the glass: its first pixel and its size in bytes. */
export interface GlassFrame {
  rgb: [number, number, number];
  bytes: number;
}

export interface MatrixUnderTest {
  matrix: LedMatrix;
  /** Every frame that reached the glass so far, oldest first; absent where the glass cannot be read (a real panel: then health's counters are checked). */
  glass?(): Promise<GlassFrame[]>;
}

export interface MatrixSubject {
  open(t: Test): Promise<MatrixUnderTest>;
}

function solid(m: LedMatrix, rgb: [number, number, number], buf = new Uint8Array(m.width * m.height * 3)): RgbFrame {
  for (let i = 0; i < buf.length; i += 3) buf.set(rgb, i);
  return { width: m.width, height: m.height, data: buf };
}

async function ready(m: LedMatrix): Promise<void> {
  await until(`panel ${m.name} ok`, () => m.health().state === 'ok', 10_000);
}

async function shown(m: LedMatrix, count: number): Promise<void> {
  await until(`panel ${m.name} to have shown ${count} frames`, () => m.health().shown >= count, 10_000);
}

export function ledMatrixContract(t: Test, subject: MatrixSubject): void {
  t.test('a frame shown reaches the glass as given, though the caller reuses its buffer at once', async (t) => {
    const { matrix, glass } = await subject.open(t);
    t.ok(matrix.width > 0 && matrix.height > 0, `${matrix.width}x${matrix.height}`);
    await ready(matrix);
    const buf = new Uint8Array(matrix.width * matrix.height * 3);
    matrix.show(solid(matrix, [255, 0, 0], buf));
    solid(matrix, [9, 9, 9], buf);
    await shown(matrix, 1);
    if (glass) t.same(await glass(), [{ rgb: [255, 0, 0], bytes: matrix.width * matrix.height * 3 }]);
    t.equal(matrix.health().shown, 1, 'one frame shown');
  });

  t.test('frames given faster than the panel takes them: the newest ends on the glass, in order, none twice', async (t) => {
    const { matrix, glass } = await subject.open(t);
    await ready(matrix);
    const colours: Array<[number, number, number]> = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 0],
    ];
    for (const rgb of colours) matrix.show(solid(matrix, rgb));
    await until('the newest frame on the glass', () => matrix.health().shown + matrix.health().dropped >= colours.length, 10_000);
    if (glass) {
      const seen = (await glass()).map((f) => colours.findIndex((c) => c.every((v, i) => v === f.rgb[i])));
      t.equal(seen[seen.length - 1], colours.length - 1, 'the newest frame is the last on the glass');
      t.ok(
        seen.every((v, i) => v >= 0 && (i === 0 || v > (seen[i - 1] ?? -1))),
        `only frames given, in the order given, none twice: ${seen.join(',')}`,
      );
      t.equal(seen.length, matrix.health().shown, 'health counts what reached the glass');
    }
    t.equal(matrix.health().shown + matrix.health().dropped, colours.length, 'each frame either shown or counted as dropped');
  });

  t.test('a frame of the wrong size throws MATRIX_FRAME_SIZE and the panel keeps its last frame', async (t) => {
    const { matrix, glass } = await subject.open(t);
    await ready(matrix);
    matrix.show(solid(matrix, [0, 0, 255]));
    await shown(matrix, 1);
    t.throws(() => matrix.show({ width: matrix.width / 2, height: matrix.height, data: new Uint8Array((matrix.width / 2) * matrix.height * 3) }), { code: 'MATRIX_FRAME_SIZE' });
    t.throws(() => matrix.show({ width: matrix.width, height: matrix.height, data: new Uint8Array(7) }), { code: 'MATRIX_FRAME_SIZE' }, 'data shorter than width x height');
    matrix.show(solid(matrix, [0, 255, 0])); // a barrier: once this one is on the glass, nothing else went
    await shown(matrix, 2);
    if (glass) t.same((await glass()).map((f) => f.rgb), [[0, 0, 255], [0, 255, 0]]);
    t.equal(matrix.health().shown, 2, 'the wrong-sized frames were not counted as shown');
    t.equal(matrix.health().dropped, 0, 'nor as dropped');
  });

  t.test('brightness is clamped to 0-100 percent and rounded', async (t) => {
    const { matrix } = await subject.open(t);
    for (const [given, kept] of [
      [150, 100],
      [-5, 0],
      [42.4, 42],
      [60, 60],
    ] as const) {
      matrix.setBrightness(given);
      t.equal(matrix.brightness(), kept, `setBrightness(${given})`);
    }
  });

  t.test('close(): listeners hear closed, closing twice is fine, show() afterwards is ignored', async (t) => {
    const { matrix, glass } = await subject.open(t);
    await ready(matrix);
    matrix.show(solid(matrix, [1, 2, 3]));
    await shown(matrix, 1);
    const heard: LedMatrixHealth[] = [];
    const off = matrix.onHealth((h) => heard.push(h));
    t.type(off, 'function', 'onHealth returns a remover');
    await matrix.close();
    await matrix.close();
    t.equal(matrix.health().state, 'closed');
    t.same(
      heard.map((h) => h.state),
      ['closed'],
      'closed heard once',
    );
    t.doesNotThrow(() => matrix.show(solid(matrix, [4, 5, 6])));
    if (glass) t.same((await glass()).map((f) => f.rgb), [[1, 2, 3]], 'nothing shown after close');
    t.equal(matrix.health().shown, 1, 'nothing counted after close');
  });
}
