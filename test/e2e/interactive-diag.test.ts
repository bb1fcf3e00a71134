// `halld diag --interactive` against a running sim device (`halld run` as a child process):
// the technician's prompts stream to the CLI as they come, the test answers them by pressing
// the sim board's buttons through the device's sim control socket (as a person presses the
// real ones), and reads the result table. A wrong button, the technician's Ctrl-C and the
// per-test deadline each fail the run; after any of them the buttons take tickets again.
import t from 'tap';
import { join } from 'node:path';
import { simControl } from '../../simulators/hal/sim-control-socket.js';
import type { DiagRow } from '../../firmware/control/host-checks.js';
import { deviceProcess } from '../../testkit/device-process.js';
import { session } from './suites/interactive-session.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';
import { kioskRig, twoButtonKiosk, untilControlAnswers } from './suites/kiosk-rig.js';

function rowsOf(stdout: string): DiagRow[] {
  return JSON.parse(stdout) as DiagRow[];
}

t.test('interactive diag: prompts stream, buttons answer them, wrong button / Ctrl-C / deadline fail', async (t) => {
  const dir = await tempDir(t);
  const { broker, printer, printerPort } = await kioskRig(t);
  const kiosk = twoButtonKiosk(printerPort, { takeTimeoutMs: 200, repeatGuardMs: 0 });
  const device = await deviceProcess(t, join(dir, 'dev'), deviceConfig(broker.url, 'kiosk-7', { io: kiosk.io, roles: { sys: {}, 'ticket-printer': kiosk.section } }));
  const dataDir = join(dir, 'dev', 'data');
  const cfg = ['-c', device.configFile];
  device.start();
  await untilControlAnswers(dataDir);
  // A press counts once the line has been stable for the 20 ms debounce, as on a Pi: each
  // button is held until what it answers has visibly happened (the next prompt, the end of
  // the run, a ticket), then released.
  const press = (input: string) => simControl(dataDir, { op: 'press', input });
  const release = (input: string) => simControl(dataDir, { op: 'release', input });

  await t.test('every manual test, answered right: exit 0, and the presses took no ticket', async (t) => {
    const s = session(['diag', '--interactive', '--json', ...cfg]);
    t.match(await s.nextPrompt(), /^\[ticket-printer\/buttons\] press the button for 社保业务 \(social\): input btn-social, 1 of 2$/);
    await press('btn-social');
    t.match(await s.nextPrompt(), /^\[ticket-printer\/buttons\] press the button for 税务登记 \(tax\): input btn-tax, 2 of 2$/);
    await release('btn-social');
    await press('btn-tax');
    const r = await s.done;
    await release('btn-tax');
    t.equal(r.code, 0, r.stderr);
    const rows = rowsOf(r.stdout);
    t.match(rows.find((x) => x.name === 'ticket-printer/buttons'), { status: 'pass', detail: /btn-social→social, btn-tax→tax/ });
    t.match(rows.find((x) => x.name === 'ticket-printer/test-print'), { status: 'pass' });
    t.match(rows.find((x) => x.name === 'ticket-printer/printer'), { status: 'pass' }, 'the unattended self-tests ran too');
    t.ok(rows.find((x) => x.name === 'disk'), 'and the host checks');
    t.equal(printer.tickets().length, 1, 'only the test print: the presses during the test took no ticket');
  });

  await t.test('the wrong button fails at once, naming both inputs; the table says so', async (t) => {
    const s = session(['diag', '--interactive', '--include', 'ticket-printer/buttons', ...cfg]);
    t.match(await s.nextPrompt(), /btn-social, 1 of 2/);
    await press('btn-tax');
    const r = await s.done;
    await release('btn-tax');
    t.equal(r.code, 5, 'a failed test: exit 5');
    t.match(r.stdout, /^ticket-printer\/buttons +FAIL +asked for the button for 社保业务 \(social\) \(input btn-social\) but input btn-tax \(the button for tax\) was pressed/m);
    t.notMatch(r.stdout, /test-print/, '--include ran only the buttons test');
  });

  await t.test('Ctrl-C aborts the waiting test in the daemon, still prints the table, exits non-zero', async (t) => {
    const s = session(['diag', '--interactive', '--include', 'ticket-printer/buttons', ...cfg]);
    await s.nextPrompt();
    // While one session waits, another technician's is refused rather than sharing the buttons.
    const second = session(['diag', '--interactive', ...cfg]);
    const busy = await second.done;
    t.equal(busy.code, 5);
    t.match(busy.stderr, /another interactive diag is running/);
    s.interrupt();
    const r = await s.done;
    t.equal(r.code, 5, 'aborted: exit 5');
    t.match(r.stderr, /stopping the interactive tests/);
    t.match(r.stdout, /^ticket-printer\/buttons +FAIL +aborted: aborted by the technician/m);
    const before = printer.tickets().length;
    await press('btn-social');
    await waitFor('a button press takes a ticket again', () => printer.tickets().length > before, 10_000);
    await release('btn-social');
    t.pass('the daemon released the buttons when the technician gave up');
  });

  await t.test('nobody presses: the per-test deadline fails the test and releases the buttons', async (t) => {
    const s = session(['diag', '--interactive', '--include', 'ticket-printer/buttons', '--test-timeout', '1', ...cfg]);
    await s.nextPrompt();
    const r = await s.done;
    t.equal(r.code, 5);
    t.match(r.stdout, /^ticket-printer\/buttons +FAIL +aborted: no answer within 1 s/m);
    const before = printer.tickets().length;
    await press('btn-tax');
    await waitFor('a button press takes a ticket again', () => printer.tickets().length > before, 10_000);
    await release('btn-tax');
  });

  await t.test('an unknown test name is a usage error naming what the device has', async (t) => {
    const s = session(['diag', '--interactive', '--include', 'ticket-printer/nope', ...cfg]);
    const r = await s.done;
    t.equal(r.code, 2);
    t.match(r.stderr, /no interactive test ticket-printer\/nope on this device \(it has: ticket-printer\/buttons, ticket-printer\/id-card, ticket-printer\/test-print\)/);
  });
});
