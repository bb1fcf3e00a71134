// `halld diag`'s host checks on an in-process sim device: a hot CPU, a throttled Pi, a full
// disk and a lost broker each fail their own row; a check that cannot run here is skipped
// with the reason, never passed.
import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { parseConfig } from '../../firmware/config/parse-config.js';
import { Runtime } from '../../firmware/runtime.js';
import { silentLogger } from '../../firmware/log.js';
import { hostChecks, type DiagRow } from '../../firmware/control/host-checks.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';

const row = (rows: DiagRow[], name: string) => rows.find((r) => r.name === name);

t.test('host checks: pass, fail with the reason, or skipped with the reason', async (t) => {
  const dir = await tempDir(t, 'halld-host-');
  const broker = await startAedesBroker({ port: 0 });
  const config = parseConfig({ hall: 'test-hall', device: 'dev-1', board: 'sim', dataDir: join(dir, 'data'), broker: { url: broker.url, reconnectMinMs: 100, reconnectMaxMs: 200 } });
  const rt = await Runtime.start(config, { log: silentLogger() });
  t.teardown(() => rt.stop('test end'));
  await waitFor('online', () => rt.link.connected);

  const sys = join(dir, 'sys');
  await mkdir(join(sys, 'class/thermal/thermal_zone0'), { recursive: true });
  await writeFile(join(sys, 'class/thermal/thermal_zone0/temp'), '52300\n');
  const ok = await hostChecks(rt, { sysRoot: sys, vcgencmd: async () => 'throttled=0x0\n' });
  t.same(
    ok.map((r) => [r.name, r.status]),
    [
      ['broker', 'pass'],
      ['clock', 'pass'],
      ['disk', 'pass'],
      ['sqlite-integrity', 'pass'],
      ['cpu-temperature', 'pass'],
      ['cpu-throttling', 'pass'],
      ['outbox', 'pass'],
    ],
  );
  t.match(row(ok, 'broker')?.detail, /round trip \d+ ms/);
  t.equal(row(ok, 'cpu-temperature')?.detail, '52.3 °C');

  await writeFile(join(sys, 'class/thermal/thermal_zone0/temp'), '85000\n');
  const hot = await hostChecks(rt, { sysRoot: sys, vcgencmd: async () => 'throttled=0x50005\n', minFreeBytes: Number.MAX_SAFE_INTEGER });
  t.match(row(hot, 'cpu-temperature'), { status: 'fail', detail: '85.0 °C (at or above 80 °C)' });
  t.match(row(hot, 'cpu-throttling'), { status: 'fail', detail: '0x50005: under-voltage now, throttled now, under-voltage has occurred, throttling has occurred' });
  t.match(row(hot, 'disk'), { status: 'fail', detail: /MiB free of .* \(below/ });

  const past = await hostChecks(rt, { sysRoot: sys, vcgencmd: async () => 'throttled=0x50000\n' });
  t.match(row(past, 'cpu-throttling'), { status: 'pass', detail: '0x50000: under-voltage has occurred, throttling has occurred' }, 'only past throttling: a note, not a failure');

  const bare = await hostChecks(rt, { sysRoot: join(dir, 'no-sys'), vcgencmd: async () => undefined });
  t.match(row(bare, 'cpu-temperature'), { status: 'skipped', detail: /no thermal sensor/ });
  t.match(row(bare, 'cpu-throttling'), { status: 'skipped', detail: /vcgencmd not available/ });

  await broker.close();
  await waitFor('offline', () => !rt.link.connected);
  t.match(row(await hostChecks(rt, { sysRoot: sys }), 'broker'), { status: 'fail', detail: `not connected to ${broker.url}` });
});
