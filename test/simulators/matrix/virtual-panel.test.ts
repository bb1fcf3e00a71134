// The virtual panel follows the LedMatrix rules: frames copied, wrong sizes refused, brightness
// clamped, nothing after close; its PNG reads back as the same LED colours.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VirtualPanel } from '../../../simulators/matrix/virtual-panel.js';
import { pngToFrame } from '../../../simulators/matrix/frame-png.js';
import { tempDir } from '../../../testkit/temp.js';

t.test('virtual panel keeps copies, refuses wrong sizes, writes a PNG that reads back', async (tt) => {
  const panel = new VirtualPanel({ name: 'p', width: 4, height: 2, keep: 2 });
  const data = new Uint8Array(4 * 2 * 3);
  data[0] = 200;
  panel.show({ width: 4, height: 2, data });
  data[0] = 1;
  tt.equal(panel.lastFrame()?.data[0], 200, 'the frame was copied');
  tt.throws(() => panel.show({ width: 2, height: 2, data: new Uint8Array(12) }), { code: 'MATRIX_FRAME_SIZE' });
  panel.show({ width: 4, height: 2, data });
  panel.show({ width: 4, height: 2, data });
  tt.equal(panel.lastFrames().length, 2, 'keeps the last 2');
  panel.setBrightness(-5);
  tt.equal(panel.brightness(), 0);
  const dir = await tempDir(tt);
  const path = join(dir, 'f.png');
  data[5] = 77;
  panel.show({ width: 4, height: 2, data });
  await panel.writePng(path);
  tt.same([...pngToFrame(await readFile(path)).data], [...data]);
  await panel.close();
  panel.show({ width: 4, height: 2, data });
  tt.equal(panel.health().state, 'closed');
  tt.equal(panel.health().shown, 4, 'nothing counted after close');
});
