// "Why is the box not on the broker?": a refused password, a broker certificate from a CA the
// device does not trust, and no broker at all, each against a real Mosquitto (or its absence),
// with `halld run` as a child process. `halld status` and the broker row of `halld diag` show
// the last connection error with its time, long after the first attempt was logged.
import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagRow } from '../../firmware/control/host-checks.js';
import { hashPassword } from '../../provisioning/mosquitto-passwd.js';
import { deviceProcess, runCli, type DeviceProcess } from '../../testkit/device-process.js';
import { freePort, startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { tempDir } from '../../testkit/temp.js';
import { makeTestCa, opensslSkip } from '../../testkit/test-ca.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';
import { untilControlAnswers } from './suites/kiosk-rig.js';

const CLI_KILL_MS = 90_000;

t.test('status and the diag broker row say why the device is not connected, and since when', { skip: mosquittoSkip() || opensslSkip() }, async (t) => {
  const dir = await tempDir(t);
  const ca = await makeTestCa(dir, 'hall-1-ca');
  const server = await ca.serverCert('broker');
  const passwd = join(dir, 'passwd');
  await writeFile(passwd, `kiosk-a:${hashPassword('right')}\n`);
  const tlsPort = await freePort();
  // The listener sends its certificate with the hall CA's (a chain), as hall brokers usually do.
  const chain = join(dir, 'broker-chain.pem');
  await writeFile(chain, (await readFile(server.certFile, 'utf8')) + (await readFile(ca.certFile, 'utf8')));
  const broker = await startMosquitto(dir, { passwordFile: passwd, extraConfig: [`listener ${tlsPort} 127.0.0.1`, `certfile ${chain}`, `keyfile ${server.keyFile}`] });
  t.teardown(() => broker.stop());
  const nowhere = `mqtt://127.0.0.1:${await freePort()}`;

  const cases: { device: string; url: string; broker: Record<string, unknown>; cause: RegExp }[] = [
    { device: 'kiosk-a', url: broker.url, broker: { username: 'kiosk-a', password: 'wrong' }, cause: /Not authorized/ },
    { device: 'kiosk-b', url: `mqtts://127.0.0.1:${tlsPort}`, broker: {}, cause: /self-signed certificate in certificate chain/ },
    { device: 'kiosk-c', url: nowhere, broker: {}, cause: /ECONNREFUSED/ },
  ];
  const devices: DeviceProcess[] = [];
  for (const c of cases) {
    const cfg = deviceConfig(c.url, c.device);
    const d = await deviceProcess(t, join(dir, c.device), { ...cfg, broker: { ...(cfg['broker'] as object), ...c.broker } });
    d.start();
    devices.push(d);
  }
  for (const [i, c] of cases.entries()) {
    const d = devices[i] as DeviceProcess;
    await untilControlAnswers(join(dir, c.device, 'data'));
    // Several attempts later (reconnectMaxMs 1 s): the cause is still there, not "connection closed".
    const status = await waitFor(
      `${c.device}: a connection error`,
      async () => {
        const r = await runCli(['status', '--json', '-c', d.configFile], CLI_KILL_MS);
        const s = JSON.parse(r.stdout) as { broker: { connected: boolean; lastError: { message: string; at: number } | null } };
        return s.broker.lastError !== null ? s.broker : undefined;
      },
      30_000,
      500,
    );
    t.equal(status.connected, false, `${c.device}: not connected`);
    t.match(status.lastError?.message, c.cause, `${c.device}: status --json has the cause`);
    t.ok(Math.abs((status.lastError?.at ?? 0) - Date.now()) < 60_000, `${c.device}: and its time`);
    const text = await runCli(['status', '-c', d.configFile], CLI_KILL_MS);
    t.match(text.stdout, /^broker +NOT CONNECTED +\S+ +conn \d+\n +last error \d+ (ms|s|min) ago \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\): .+$/m, `${c.device}: the status text shows it under the broker line\n${text.stdout}`);
    t.match(text.stdout, c.cause);
    const diag = await runCli(['diag', '--json', '-c', d.configFile], CLI_KILL_MS);
    const row = (JSON.parse(diag.stdout) as DiagRow[]).find((r) => r.name === 'broker');
    t.match(row, { status: 'fail', detail: new RegExp(`^not connected to ${c.url.replace(/[/.]/g, '\\$&')}: .*${c.cause.source}.* \\(\\d+ (ms|s|min) ago\\)$`) }, `${c.device}: the diag row says why`);
  }
});
