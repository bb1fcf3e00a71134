// The LedMatrix contract on the virtual panel (alone and through the sim board's hal.matrix())
// and on PanelHost over a fake panel process (the real child loads rpi-led-matrix, which
// segfaults off a Pi); on a Pi with a panel, HALLD_TEST_MATRIX=rows,cols runs it on the real
// panel process (as root) and a person looks at the colours.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualPanel } from '../../simulators/matrix/virtual-panel.js';
import { PanelHost } from '../../drivers/matrix/panel-host.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { createSimHal } from '../../assembly/create-hal.js';
import { tempDir } from '../../testkit/temp.js';
import { ledMatrixContract, type GlassFrame } from './led-matrix.js';
import { hardwarePart, runIf } from './hardware-part.js';
import type { RgbFrame } from './hal-imports.js';

const fakeChild = join(dirname(fileURLToPath(import.meta.url)), '../drivers/matrix/fixtures/fake-panel-child.js');

const glassOf = (frames: readonly RgbFrame[]): GlassFrame[] => frames.map((f) => ({ rgb: [f.data[0] ?? -1, f.data[1] ?? -1, f.data[2] ?? -1], bytes: f.data.length }));

t.test('VirtualPanel', async (t) => {
  ledMatrixContract(t, {
    open: async () => {
      const matrix = new VirtualPanel({ name: 'window', width: 64, height: 32 });
      return { matrix, glass: async () => glassOf(matrix.lastFrames()) };
    },
  });
});

t.test('hal.matrix() on the sim board', async (t) => {
  ledMatrixContract(t, {
    open: async (t) => {
      const hal = await createSimHal({ board: 'sim', io: { matrices: { hall: { rows: 16, cols: 32, chain: 2 } } } });
      t.teardown(() => hal.close());
      const matrix = await hal.matrix('hall');
      return { matrix, glass: async () => glassOf(hal.sim.matrix('hall').lastFrames()) };
    },
  });
});

t.test('PanelHost over a fake panel process', async (t) => {
  ledMatrixContract(t, {
    open: async (t) => {
      const record = join(await tempDir(t), 'frames.log');
      const matrix = new PanelHost({
        name: 'window',
        config: { rows: 32, cols: 64, chain: 1, parallel: 1, brightness: 80 },
        clock: systemClock,
        timers: globalTimers,
        childEntry: fakeChild,
        childEnv: { FAKE_PANEL_MODE: 'record', FAKE_PANEL_RECORD: record },
      });
      t.teardown(() => matrix.close());
      const glass = async (): Promise<GlassFrame[]> =>
        (await readFile(record, 'utf8').catch(() => ''))
          .split('\n')
          .filter((l) => l.startsWith('frame '))
          .map((l) => {
            const [, rgb = '', bytes = ''] = l.split(' ');
            const [r = -1, g = -1, b = -1] = rgb.split(',').map(Number);
            return { rgb: [r, g, b], bytes: Number(bytes) };
          });
      return { matrix, glass };
    },
  });
});

const panel = hardwarePart('HALLD_TEST_MATRIX', 'on a Pi with a HUB75 panel, run as root with HALLD_TEST_MATRIX=32,64 (rows,cols) to drive the real panel process; a person watches the colours');

t.test('the real panel process (HALLD_TEST_MATRIX)', runIf(panel), async (t) => {
  const [rows = 32, cols = 64] = (panel.value ?? '').split(',').map(Number);
  ledMatrixContract(t, {
    open: async (t) => {
      const matrix = new PanelHost({ name: 'panel', config: { rows: rows as 16 | 32 | 64, cols: cols as 32 | 64 | 128, chain: 1, parallel: 1, brightness: 50 }, clock: systemClock, timers: globalTimers });
      t.teardown(() => matrix.close());
      return { matrix }; // no camera: the contract checks health's counters; a person watches the colours

    },
  });
});
