// The technician's "place a card" test: `halld diag --interactive` against `halld run` (a child
// process on the sim board, its reader the simulated GA 467 module on an io.serial part). The
// prompt streams to the CLI, the test lays a card through the device's sim control socket as a
// person would, and the row passes; a misread card fails it with the reader's reason, a broken
// SAM before any prompt; nothing of the card is printed.
import t from 'tap';
import { join } from 'node:path';
import { simControl } from '../../simulators/hal/sim-control-socket.js';
import type { DiagRow } from '../../firmware/control/host-checks.js';
import { DEFAULT_SIM_CARD } from '../../simulators/id-card-reader/sim-card.js';
import { deviceProcess } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { deviceConfig } from './suites/device-config.js';
import { kioskRig, untilControlAnswers } from './suites/kiosk-rig.js';
import { session } from './suites/interactive-session.js';

t.setTimeout(120_000);

t.test('halld diag --interactive: place a card on the reader', async (t) => {
  const dir = await tempDir(t);
  const { broker, printerPort } = await kioskRig(t);
  const device = await deviceProcess(
    t,
    join(dir, 'dev'),
    deviceConfig(broker.url, 'idk-diag', {
      io: { serial: { idr: { path: '/dev/ttyUSB1', baudRate: 115200 } }, idCardReaders: { desk: { serial: 'idr', pollMs: 100 } }, printers: { main: { tcp: { host: '127.0.0.1', port: printerPort } } } },
      roles: {
        sys: {},
        'ticket-printer': { printer: 'main', idCardReader: 'desk', identity: { salt: '00112233445566778899aabbccddeeff' }, categories: [{ id: 'social', name: '社保业务', prefix: 'A' }], kiosk: { enabled: false } },
      },
    }),
  );
  const dataDir = join(dir, 'dev', 'data');
  const cfg = ['-c', device.configFile];
  device.start();
  await untilControlAnswers(dataDir);

  await t.test('a card read: pass, and nothing of it printed', async (t) => {
    const s = session(['diag', '--interactive', '--json', '--include', 'ticket-printer/id-card', ...cfg]);
    t.match(await s.nextPrompt(), /^\[ticket-printer\/id-card\] place an ID card on reader desk/);
    await simControl(dataDir, { op: 'place-card', reader: 'desk' });
    const r = await s.done;
    await simControl(dataDir, { op: 'remove-card', reader: 'desk' });
    t.equal(r.code, 0, r.stderr);
    const row = (JSON.parse(r.stdout) as DiagRow[]).find((x) => x.name === 'ticket-printer/id-card');
    t.match(row, { status: 'pass', detail: /SAM ready, a card was read/ });
    for (const personal of [DEFAULT_SIM_CARD.number, DEFAULT_SIM_CARD.name, DEFAULT_SIM_CARD.address]) t.notOk(r.stdout.includes(personal) || r.stderr.includes(personal), 'nothing of the card in the output');
  });

  await t.test('a misread card: fail with the reader\'s reason', async (t) => {
    const s = session(['diag', '--interactive', '--include', 'ticket-printer/id-card', ...cfg]);
    t.match(await s.nextPrompt(), /place an ID card/);
    await simControl(dataDir, { op: 'place-card', reader: 'desk', card: { number: '110105194912310021' } });
    const r = await s.done;
    await simControl(dataDir, { op: 'remove-card', reader: 'desk' });
    t.equal(r.code, 5, 'a failed check: exit 5');
    t.match(r.stdout, /^ticket-printer\/id-card +FAIL +reader desk: a card was found but not read \(BAD_DATA/m);
  });

  await t.test('a broken SAM fails before asking for a card', async (t) => {
    await simControl(dataDir, { op: 'sam-fault', reader: 'desk', sw3: 0x60 });
    const s = session(['diag', '--interactive', '--include', 'ticket-printer/id-card', ...cfg]);
    const r = await s.done;
    await simControl(dataDir, { op: 'sam-fault', reader: 'desk', sw3: null });
    t.equal(r.code, 5);
    t.match(r.stdout, /^ticket-printer\/id-card +FAIL +reader desk: SAM status 0x60/m);
    t.notMatch(r.stdout, /place an ID card/, 'no prompt');
  });
});
