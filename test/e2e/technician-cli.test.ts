// The technician's commands against a running sim device: `halld run` as a child process
// (its printer the ESC/POS simulator on 127.0.0.1, its broker aedes), and the real CLI
// (dist/halld.mjs) asking it over the control socket and over MQTT. A paper-out injected into
// the simulator must turn exactly the printer's row of `halld diag` into FAIL.
import t from 'tap';
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeys } from '../../protocol/signing.js';
import { controlRequest } from '../../firmware/control/control-client.js';
import { SOCKET_FILE } from '../../firmware/control/control-protocol.js';
import type { DiagRow } from '../../firmware/control/host-checks.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { deviceProcess, runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';
import { kioskRig, untilControlAnswers } from './suites/kiosk-rig.js';

function rowsOf(stdout: string): DiagRow[] {
  return JSON.parse(stdout) as DiagRow[];
}

t.test('halld status, diag, test-print, cmd and diag --remote against a running sim device', async (t) => {
  const dir = await tempDir(t);
  const { broker, printer, printerPort } = await kioskRig(t);
  const keys = generateSigningKeys();
  const keyFile = join(dir, 'server.pem');
  await writeFile(keyFile, keys.privateKeyPem, { mode: 0o600 });

  const device = await deviceProcess(
    t,
    join(dir, 'dev'),
    deviceConfig(broker.url, 'tech-1', {
      security: { serverPublicKey: keys.publicKeyPem, secureCommands: ['sys/identify'] },
      io: { printers: { main: { tcp: { host: '127.0.0.1', port: printerPort } } } },
      roles: { sys: {}, 'ticket-printer': { printer: 'main', categories: [{ id: 'social', name: '社保业务', prefix: 'A' }], kiosk: { enabled: false } } },
    }),
  );
  const dataDir = join(dir, 'dev', 'data');
  const cfg = ['-c', device.configFile];
  device.start();
  await untilControlAnswers(dataDir, true);
  t.equal(statSync(join(dataDir, SOCKET_FILE)).mode & 0o777, 0o600, 'the control socket is 0600');

  const status = await runCli(['status', '--json', ...cfg]);
  t.equal(status.code, 0, status.stderr);
  const s = JSON.parse(status.stdout) as Record<string, unknown>;
  t.equal(s['device'], 'tech-1');
  t.match(s['broker'], { connected: true, url: broker.url });
  t.same(
    (s['roles'] as { role: string }[]).map((r) => r.role),
    ['sys', 'ticket-printer'],
  );
  t.match(s['outbox'], { pending: Number, bound: Number });
  t.match(s['hardware'], { ok: true, faults: [] });
  const text = await runCli(['status', '--data-dir', dataDir]);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, /^broker +connected/m, 'the text status says connected');

  const healthy = await runCli(['diag', '--json', ...cfg]);
  t.equal(healthy.code, 0, `healthy diag exits 0: ${healthy.stdout}${healthy.stderr}`);
  const rows = rowsOf(healthy.stdout);
  for (const name of ['ticket-printer/printer', 'store', 'broker', 'clock', 'disk', 'sqlite-integrity', 'outbox']) {
    t.equal(rows.find((r) => r.name === name)?.status, 'pass', `${name} passes`);
  }
  for (const name of ['cpu-temperature', 'cpu-throttling']) t.match(rows.find((r) => r.name === name), { status: /^(pass|skipped)$/, detail: /\S/ }, `${name} ran or says why not`);

  const before = printer.tickets().length;
  const print = await runCli(['test-print', ...cfg]);
  t.equal(print.code, 0, print.stdout + print.stderr);
  t.equal(printer.tickets().length, before + 1, 'test-print printed one ticket through the daemon');

  printer.setFaults({ paperOut: true });
  const faulty = await runCli(['diag', '--json', ...cfg]);
  t.equal(faulty.code, 5, 'diag exits 5 on a failure');
  const failed = rowsOf(faulty.stdout).filter((r) => r.status === 'fail');
  t.same(
    failed.map((r) => r.name),
    ['ticket-printer/printer'],
    'only the printer row fails',
  );
  t.match(failed[0]?.detail, /paper/i, 'and it names the paper');
  // One verdict per fault: the printer part's own row does not pass beside the role's FAIL.
  t.notOk(rowsOf(faulty.stdout).find((r) => r.name === 'printer:main'), 'the role judges printer main: no second row for it');
  const paperOut = JSON.parse((await runCli(['status', '--json', ...cfg])).stdout) as { hardware: { ok: boolean; faults: { part: string; detail: string }[] } };
  t.match(paperOut.hardware, { ok: false, faults: [{ part: 'ticket-printer/printer', detail: /paper-out/ }] }, 'status lists the fault found now, not only those found at start');
  t.equal(paperOut.hardware.faults.length, 1, 'once');
  const paperOutText = await runCli(['status', ...cfg]);
  t.match(paperOutText.stdout, /^hardware +1 FAULT\(S\)\n +ticket-printer\/printer: not ready: paper-out$/m, 'and the text says so');
  const table = await runCli(['diag', ...cfg]);
  t.match(table.stdout, /^ticket-printer\/printer +FAIL +.*paper/im, 'the table shows the failing row');
  t.equal((await runCli(['test-print', ...cfg])).code, 5, 'test-print without paper fails');

  const remote = await runCli(['diag', '--json', '--remote', 'test-hall/tech-1', '--broker', broker.url]);
  t.equal(remote.code, 5, remote.stderr);
  t.match(
    rowsOf(remote.stdout).find((r) => r.name === 'ticket-printer/printer'),
    { status: 'fail', detail: /paper/i },
    'diag --remote sees the same fault',
  );
  printer.setFaults({ paperOut: false });

  const signed = await runCli(['cmd', 'test-hall/tech-1', 'sys/identify', '{"durationMs":500}', '--broker', broker.url, '--key', keyFile]);
  t.equal(signed.code, 0, signed.stderr);
  t.match(JSON.parse(signed.stdout), { ok: true }, 'a signed secure command is accepted');
  const unsigned = await runCli(['cmd', 'test-hall/tech-1', 'sys/identify', '{}', '--broker', broker.url]);
  t.equal(unsigned.code, 5, 'an unsigned secure command is refused');
  t.match(JSON.parse(unsigned.stdout), { ok: false, error: { code: /\S/ } });
  const shapeless = await runCli(['cmd', 'test-hall/tech-1', 'ticket-printer/print', '{"category":"social"}', '--broker', broker.url]);
  t.equal(shapeless.code, 5, 'data that fits no shape of the command is refused');
  t.match(JSON.parse(shapeless.stdout), { ok: false, error: { code: 'BAD_REQUEST', message: /\/mode: missing; expected one of "reissue" \(.*\), "reprint" \(.*\)/ } }, 'naming the field and its values, not "/: Expected union value"');
  const bad = await runCli(['cmd', 'test-hall/tech-1', 'sys/ping', '[1]', '--broker', broker.url]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /expected a JSON object/);

  t.equal(await device.kill('SIGTERM'), 0, 'clean stop');
  t.notOk(existsSync(join(dataDir, SOCKET_FILE)), 'a clean stop removes the socket');
  const none = await runCli(['status', ...cfg]);
  t.equal(none.code, 6);
  t.match(none.stderr, /no halld is running on data dir/);

  // A crash leaves the socket behind; the next start replaces it.
  device.start();
  await waitFor('socket back', () => existsSync(join(dataDir, SOCKET_FILE)), 20_000, 50);
  await device.kill('SIGKILL');
  t.ok(existsSync(join(dataDir, SOCKET_FILE)), 'SIGKILL leaves a stale socket');
  t.equal((await runCli(['status', ...cfg])).code, 6, 'a stale socket is no daemon');
  device.start();
  await waitFor('status after the crash', async () => (await controlRequest(dataDir, { op: 'status' }, globalTimers).catch(() => undefined)) !== undefined, 20_000, 100);
  t.pass('the stale socket was replaced');
});
