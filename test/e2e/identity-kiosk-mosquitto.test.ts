// Taking a number by swiping an ID card as a hall runs it: `halld run` as a child process on
// the sim board (its reader the simulated GA 467 module on an io.serial part, its scanner a
// virtual serial scanner, its printer the ESC/POS simulator on 127.0.0.1), Mosquitto as a
// separate process, the reference server's ticket desk. A citizen lays a card on the reader
// and types a phone number; the server gets the salted hash (compared with an independent
// scrypt of the number) and the phone; a shown e-ID QR reaches the server verbatim.
//
// Then the privacy check (个人信息保护法): every log line the device wrote, at its most verbose
// level, and every file in its data dir (the SQLite database, its WAL and journal) are searched
// for the card's number, name, address and photo bytes, the phone number and the e-ID QR.
// None may be there.
import t from 'tap';
import { join } from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import { startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { ReferenceServer } from '../../simulators/hall/reference-server.js';
import { VirtualEscPosPrinter, serveVirtualPrinter } from '../../simulators/escpos-printer/index.js';
import { simControl } from '../../simulators/hal/sim-control-socket.js';
import { DEFAULT_SIM_CARD, simPhotoWlt } from '../../simulators/id-card-reader/sim-card.js';
import { scryptHex } from '../../protocol/locker-code.js';
import { deviceProcess } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';

t.setTimeout(120_000);
// Every line the runtime logs, not just warnings: a debug line must not leak either.
process.env['HALLD_TEST_LOG'] = 'trace';

const SALT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const FAST = { N: 1024, r: 8, p: 1, keylen: 32 };
const PHONE = '13912345678';
const EID_QR = 'CTID:9c1b2e7f44a0-opaque-e-id-payload-5d31';
const CARD = DEFAULT_SIM_CARD;

/** Every way the personal data could have been written: as text, UTF-16 (the card's own encoding), hex and base64 of the photo, photo slices. */
function needles(): { what: string; bytes: Buffer }[] {
  const photo = simPhotoWlt(CARD.number);
  const texts: [string, string][] = [
    ['ID number', CARD.number],
    ['ID number without its check character', CARD.number.slice(0, 17)],
    ['name', CARD.name],
    ['address', CARD.address],
    ['phone', PHONE],
    ['e-ID QR', EID_QR],
    ['photo as hex', photo.subarray(0, 24).toString('hex')],
    ['photo as base64', photo.subarray(0, 48).toString('base64')],
  ];
  return [
    ...texts.map(([what, s]) => ({ what, bytes: Buffer.from(s, 'utf8') })),
    ...[CARD.number, CARD.name, CARD.address].map((s) => ({ what: `${s === CARD.number ? 'ID number' : s === CARD.name ? 'name' : 'address'} as UTF-16`, bytes: Buffer.from(s, 'utf16le') })),
    ...Array.from({ length: 1024 / 64 }, (_, i) => ({ what: `photo bytes ${i * 64}..${i * 64 + 16}`, bytes: photo.subarray(i * 64, i * 64 + 16) })),
  ];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(p)));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

t.test('swipe, phone, take through halld run on Mosquitto; nothing personal logged or stored', { skip: mosquittoSkip() }, async (t) => {
  const dir = await tempDir(t);
  const broker = await startMosquitto(dir);
  t.teardown(() => broker.stop());
  const server = new ReferenceServer({ url: broker.url, hall: 'test-hall', desk: { prefixes: { social: 'A' }, eIds: { [EID_QR]: 'eid-ref-1' } } });
  await server.start();
  t.teardown(() => server.stop());
  const printer = new VirtualEscPosPrinter();
  const net = await serveVirtualPrinter(printer, { host: '127.0.0.1', port: 0 });
  t.teardown(() => net.close());

  let kioskUrl: string | undefined;
  server.client.onState((device, role, state) => {
    if (device === 'idk-1' && role === 'ticket-printer' && typeof state.data['kiosk'] === 'string') kioskUrl = state.data['kiosk'];
  });
  const device = await deviceProcess(
    t,
    join(dir, 'dev'),
    deviceConfig(broker.url, 'idk-1', {
      io: {
        serial: { idr: { path: '/dev/ttyUSB1', baudRate: 115200 }, 'scanner-port': { path: '/dev/ttyS-sim-scanner' } },
        idCardReaders: { desk: { serial: 'idr', pollMs: 100 } },
        scanners: { scan: { serial: 'scanner-port' } },
        printers: { main: { tcp: { host: '127.0.0.1', port: net.port } } },
      },
      roles: {
        sys: {},
        'ticket-printer': {
          printer: 'main',
          scanner: 'scan',
          idCardReader: 'desk',
          identity: { salt: SALT, scrypt: FAST, eIdPattern: '^CTID:' },
          sms: true,
          categories: [{ id: 'social', name: '社保业务', nameEn: 'Social security', prefix: 'A' }],
          kiosk: { port: 0 },
        },
      },
    }),
  );
  const dataDir = join(dir, 'dev', 'data');
  const view = async () => (await (await fetch(new URL('api/view', kioskUrl))).json()) as { identity: { reader: boolean; identified: string | null } };
  const take = async (body: Record<string, unknown>) =>
    (await (await fetch(new URL('api/take', kioskUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { ok: boolean; ticket?: { number: string } };

  device.start();
  await waitFor('kiosk online with its page', () => (server.client.status('idk-1')?.online && kioskUrl ? kioskUrl : undefined), 20_000);
  t.equal((await view()).identity.reader, true, 'the page knows the kiosk has a reader');

  await simControl(dataDir, { op: 'place-card', reader: 'desk' });
  await waitFor('the swipe registered', async () => (await view()).identity.identified === 'card', 15_000);
  const swiped = await take({ category: 'social', priority: false, phone: PHONE });
  t.equal(swiped.ticket?.number, 'A001', 'the server\'s number');
  const sent = server.desk.issued.at(-1);
  t.same(sent?.identity, { kind: 'id-hash', hash: await scryptHex(CARD.number, SALT, FAST) }, 'the server got scrypt(number, hall salt)');
  t.equal(sent?.phone, PHONE, 'and the phone for SMS reminders');
  await simControl(dataDir, { op: 'remove-card', reader: 'desk' });

  await simControl(dataDir, { op: 'scan', scanner: 'scan', code: EID_QR });
  await waitFor('the e-ID verified', async () => (await view()).identity.identified === 'e-id', 15_000);
  t.same(server.desk.eIdScans.map((s) => s.qr), [EID_QR], 'the QR reached the server as scanned');
  t.equal((await take({ category: 'social', priority: false })).ticket?.number, 'A002');
  t.same(server.desk.issued.at(-1)?.identity, { kind: 'e-id', ref: 'eid-ref-1' });

  await waitFor('both tickets at the server', () => server.events.filter((e) => e.device === 'idk-1' && e.name === 'ticket.issued').length >= 2 || undefined, 15_000);
  t.equal(printer.tickets().length, 2, 'two tickets on paper');
  await device.kill('SIGTERM');

  const log = device.output();
  if (process.env['SHOW_LOG']) console.error(log);
  t.match(log, /"level":20,/, 'the device logged at its most verbose level (debug lines are there)');
  t.match(log, /ID card read for the next take/, 'the swipe itself is logged, without the card');
  const logBytes = Buffer.from(log, 'utf8');
  const files = await filesUnder(dataDir);
  t.ok(files.some((f) => f.endsWith('halld.db')), `the SQLite file is among ${files.length} files searched`);
  const contents = await Promise.all(files.map(async (f) => ({ f, bytes: await readFile(f).catch(() => Buffer.alloc(0)) })));
  for (const { what, bytes } of needles()) {
    t.equal(logBytes.indexOf(bytes), -1, `no ${what} in the log`);
    const found = contents.filter((c) => c.bytes.indexOf(bytes) >= 0).map((c) => c.f.slice(dataDir.length + 1));
    t.same(found, [], `no ${what} in the data dir`);
  }
  // The same search does find what the device keeps on purpose: the files and the log are searchable as they are.
  t.ok(contents.some((c) => c.bytes.indexOf(Buffer.from('A002')) >= 0), 'the ticket number A002 is found in the data dir');
  t.ok(logBytes.indexOf(Buffer.from('A002')) >= 0, 'and in the log');
});
