// The bundle (dist/halld.mjs, what `npm start` and a board run) keeps its code in dist/chunks/,
// not where tsc put it: fonts and the panel process must still be found from there. A caller
// with LED panels and an evaluator with an OLED, run as the bundle, report both parts working.
import t from 'tap';
import { join } from 'node:path';
import { deviceProcess, runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';

interface DiagRow {
  name: string;
  status: 'pass' | 'fail' | 'skipped';
  detail?: string;
}

async function diagRows(configFile: string): Promise<DiagRow[]> {
  return waitFor(
    'the daemon answers diag',
    async () => {
      const { stdout } = await runCli(['diag', '--json', '--config', configFile], 30_000);
      try {
        return JSON.parse(stdout) as DiagRow[];
      } catch {
        return undefined;
      }
    },
    30_000,
  );
}

t.test('the bundled runtime opens LED panels (fonts from the package) and an OLED', async (t) => {
  const dir = await tempDir(t);
  const config = deviceConfig('mqtt://127.0.0.1:9', 'bundle-1', {
    io: {
      matrices: { win: { rows: 16, cols: 64, chain: 2 } },
      i2c: { oled: { address: 0x3c } },
      displays: { status: { i2c: 'oled' } },
    },
    roles: { sys: {}, caller: { window: '5', panels: { window: 'win' }, page: { enabled: false } }, evaluator: { page: { enabled: false }, display: 'status' } },
  });
  const device = await deviceProcess(t, join(dir, 'dev'), config);
  device.start();
  const rows = await diagRows(device.configFile);
  const row = (name: string) => rows.find((r) => r.name === name);
  t.match(row('caller/panels'), { status: 'pass' }, `caller panels: ${row('caller/panels')?.detail ?? 'missing'}`);
  t.match(row('evaluator/oled'), { status: 'pass' }, `evaluator OLED: ${row('evaluator/oled')?.detail ?? 'missing'}`);
  t.notMatch(device.output(), /ENOENT[^\n]*fonts/, 'no font file missing in the log');
});
