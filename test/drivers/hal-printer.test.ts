// Printers as HAL parts: io.printers config and its cross-checks, hal.printer() on the sim
// board with the byte-level virtual printer on the serial port (tickets, faults, self-test,
// replug), a TCP printer on the sim board through serveVirtualPrinter, a missing usblp node.
import t from 'tap';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { createHal, createSimHal } from '../../assembly/create-hal.js';
import { IoConfigError, parseIoConfig, resolveIo } from '../../assembly/config.js';
import { loadBoard } from '../../boards/index.js';
import { PrinterNotReadyError, type TicketPrinter } from '../../drivers/printer/index.js';
import { serveVirtualPrinter, VirtualEscPosPrinter, type PrintedTicket } from '../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS } from './printer/rig.js';
import { tempDir } from '../../testkit/temp.js';
import { settle } from './fake-time.js';
import { waitFor } from '../../testkit/wait.js';

const IO = {
  serial: { 'printer-port': { path: '/dev/ttyUSB0', baudRate: 115200 }, 'scanner-port': { path: '/dev/ttyACM0' } },
  printers: { main: { serial: 'printer-port' } },
  scanners: { desk: { serial: 'scanner-port' } },
};

/**
 * Lets I/O callbacks run until `done`, without sleeping: fake timers do not drive serial
 * streams or module loading, so this yields to the event loop, with a real-time deadline
 * (process.hrtime, which sinon does not fake).
 */
async function until(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = process.hrtime.bigint() + BigInt(timeoutMs) * 1_000_000n;
  while (!done()) {
    if (process.hrtime.bigint() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const ticketText = (ticket: PrintedTicket | undefined): string =>
  (ticket?.items ?? []).flatMap((i) => (i.type === 'text' ? [i.text] : [])).join('\n');

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof IoConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

t.test('io.printers / io.scanners: defaults filled, one resolved spec per part', async (t) => {
  const board = await loadBoard('rpi-5');
  const io = resolveIo(
    board,
    parseIoConfig({
      ...IO,
      printers: { main: { serial: 'printer-port', columns: 32, statusQueries: [1, 2], statusTimeoutMs: 800 }, net: { tcp: { host: '10.0.0.7' } }, usb: { usb: {} } },
      scanners: { desk: { serial: 'scanner-port', suffix: 'crlf', encoding: 'gb18030', maxLength: 64 } },
    }),
  );
  t.same(io.printers, [
    { name: 'main', transport: { kind: 'serial', serial: 'printer-port' }, columns: 32, statusQueries: [1, 2], statusTimeoutMs: 800 },
    { name: 'net', transport: { kind: 'tcp', host: '10.0.0.7', port: 9100 }, columns: 48, statusQueries: [1, 2, 3, 4], statusTimeoutMs: 500 },
    { name: 'usb', transport: { kind: 'usb', path: '/dev/usb/lp0' }, columns: 48, statusQueries: [1, 2, 3, 4], statusTimeoutMs: 500 },
  ]);
  t.same(io.scanners, [{ name: 'desk', serial: 'scanner-port', suffix: 'crlf', encoding: 'gb18030', maxLength: 64 }]);
  t.same(resolveIo(board, parseIoConfig({ serial: IO.serial, scanners: { d: { serial: 'scanner-port' } } })).scanners, [
    { name: 'd', serial: 'scanner-port', suffix: 'auto', encoding: 'utf8', maxLength: 512 },
  ]);
  t.same(resolveIo(board, parseIoConfig({ printers: { p: { tcp: { host: 'h' }, statusQueries: [4] } } })).printers[0]?.statusQueries, [1, 2, 4], 'n = 1 and 2 are always asked');
});

t.test('printer and scanner config errors: BAD_CONFIG naming the part', async (t) => {
  const board = await loadBoard('rpi-5');
  const check = (io: unknown) => issues(() => resolveIo(board, parseIoConfig(io)));
  t.same(check({ serial: IO.serial, printers: { main: { serial: 'printer-port', tcp: { host: '10.0.0.7' } } } }), [
    'io.printers.main: give exactly one transport, serial (a part of io.serial), tcp ({ host, port }) or usb ({ path }); got serial and tcp',
  ]);
  t.same(check({ printers: { main: { columns: 32 } } }), ['io.printers.main: give exactly one transport, serial (a part of io.serial), tcp ({ host, port }) or usb ({ path }); none given']);
  t.same(check({ serial: IO.serial, printers: { main: { serial: 'ttyUSB0' } }, scanners: { desk: { serial: 'scaner-port' } } }), [
    'printers.main: serial part "ttyUSB0" is not in io.serial (configured: printer-port, scanner-port)',
    'scanners.desk: serial part "scaner-port" is not in io.serial (configured: printer-port, scanner-port)',
  ]);
  t.same(check({ serial: IO.serial, printers: { main: { serial: '/dev/ttyUSB0' } } }), [
    'printers.main: serial part "/dev/ttyUSB0" is not in io.serial (configured: printer-port, scanner-port); give the name of an io.serial part, not a device path',
  ]);
  t.same(check({ serial: IO.serial, printers: { main: { serial: 'printer-port' } }, scanners: { desk: { serial: 'printer-port' } } }), [
    'printers.main and scanners.desk both use serial part "printer-port"; one serial port can serve one device',
  ]);
  t.same(check({ serial: IO.serial, scanners: { a: { serial: 'scanner-port' }, b: { serial: 'scanner-port' } } }), [
    'scanners.a and scanners.b both use serial part "scanner-port"; one serial port can serve one device',
  ]);
  t.same(check({ printers: { a: { tcp: { host: '10.0.0.7' } }, b: { tcp: { host: '10.0.0.7', port: 9100 } }, c: { usb: {} }, d: { usb: { path: '/dev/usb/lp0' } } } }), [
    'printers.a and printers.b both use printer address 10.0.0.7:9100',
    'printers.c and printers.d both use USB printer /dev/usb/lp0',
  ]);
  t.match(check({ printers: { main: { serial: 'x', tcp: { host: '' } } }, scanners: { s: { serial: 'y', suffix: 'tab' } } }).join('\n'), /io\.printers\.main\.tcp\.host.*\n(.|\n)*io\.scanners\.s\.suffix/);

  const uno = await loadBoard('arduino-firmata');
  t.same(issues(() => resolveIo(uno, parseIoConfig({ serial: { arduino: { path: '/dev/ttyACM0' } }, printers: { main: { serial: 'arduino' } } }))), [
    'printers.main uses serial part "arduino" (/dev/ttyACM0), which is the Firmata board\'s port',
  ]);

  await t.rejects(createHal({ board: 'sim', io: { serial: IO.serial, printers: { main: { serial: 'printer-port' } }, scanners: { desk: { serial: 'printer-port' } } } }), {
    code: 'BAD_CONFIG',
    message: /printers\.main and scanners\.desk both use serial part "printer-port"/,
  });
});

t.test('sim board: hal.printer() prints through the real driver onto the virtual printer', async (t) => {
  const hal = await createSimHal({ board: 'sim', io: IO });
  t.teardown(() => hal.close());
  t.same(hal.describe().printers, ['main']);
  const printer = await hal.printer('main');
  t.equal(await hal.printer('main'), printer, 'opened once, the same printer afterwards');
  t.equal(printer.name, 'main');
  const paper = hal.sim.printer('main');
  t.ok(paper instanceof VirtualEscPosPrinter);

  await printer.print({ fields: SAMPLE_FIELDS });
  await until('the ticket is cut', () => paper.tickets().length === 1);
  const text = ticketText(paper.tickets()[0]);
  t.match(text, /^A023$/m, 'the number, on its own line');
  t.match(text, /业务类别：社保业务·𠮷/, 'Chinese category, 4-byte character included');
  t.equal(paper.statusQueries, 4, 'DLE EOT 1-4 asked before the ticket');
  t.same((await printer.status()).faults, []);

  t.match(await hal.selfTest(), [
    { name: 'serial:printer-port', ok: true },
    { name: 'serial:scanner-port', ok: true },
    { name: 'printer:main', ok: true, detail: 'ready', data: { transport: 'serial printer-port (/dev/ttyUSB0)', ready: true, faults: [] } },
    { name: 'scanner:desk', ok: true },
  ]);
  await t.rejects(hal.printer('kiosk'), { code: 'NOT_CONFIGURED', message: 'no printer named "kiosk" in io.printers (configured: main)' });
  t.throws(() => hal.sim.printer('kiosk'), { code: 'NOT_CONFIGURED' });
});

t.test('sim board: paper out → print refused with PrinterNotReadyError, nothing printed, self-test says why', async (t) => {
  const hal = await createSimHal({ board: 'sim', io: { ...IO, printers: { main: { serial: 'printer-port', columns: 32 } } } });
  t.teardown(() => hal.close());
  const printer = await hal.printer('main');
  const paper = hal.sim.printer('main');
  paper.setFaults({ paperOut: true });
  const before = hal.sim.serialWritten('printer-port').length;
  const err = await printer.print({ fields: SAMPLE_FIELDS }).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof PrinterNotReadyError, 'PrinterNotReadyError');
  t.match(err, { code: 'UNAVAILABLE', faults: ['paper-out'] });
  t.equal(hal.sim.serialWritten('printer-port').length - before, 4 * 3, 'only the four DLE EOT queries went out');
  t.equal(paper.tickets().length, 0);
  t.equal(paper.droppedBytes, 0, 'no ticket bytes even reached the printer');

  const result = (await hal.selfTest()).find((r) => r.name === 'printer:main');
  t.match(result, { ok: true, detail: 'not ready: paper-out', data: { ready: false, faults: ['paper-out'] } }, 'reachable, with the fault');

  paper.setFaults({ paperOut: false, paperLow: true });
  await printer.print({ fields: SAMPLE_FIELDS });
  await until('the ticket is cut', () => paper.tickets().length === 1);
  const rule = paper.tickets()[0]?.items.find((i) => i.type === 'text' && /^-+$/.test(i.text));
  t.equal(rule?.type === 'text' && rule.text.length, 32, 'columns from the config: 58 mm paper');
  t.match((await hal.selfTest()).find((r) => r.name === 'printer:main'), { ok: true, detail: 'ready, paper low' });
});

t.test('sim board: a serial printer survives its port being unplugged and put back', async (t) => {
  const hal = await createSimHal({ board: 'sim', io: { ...IO, printers: { main: { serial: 'printer-port', statusTimeoutMs: 100 } } } });
  t.teardown(() => hal.close());
  const printer = await hal.printer('main');
  t.ok((await printer.status()).ready);
  hal.sim.unplugSerial('printer-port');
  await settle(); // the serial stream notices the unplug
  await t.rejects(printer.status(), { code: 'UNAVAILABLE', message: /could not be opened/ });
  t.match((await hal.selfTest()).find((r) => r.name === 'printer:main'), { ok: false, detail: /could not be opened/ });
  hal.sim.replugSerial('printer-port');
  t.ok((await printer.status()).ready, 'the same printer object works again');
  t.equal(await hal.printer('main'), printer);
  await printer.print({ fields: SAMPLE_FIELDS });
  await until('the ticket is cut', () => hal.sim.printer('main').tickets().length === 1);
});

t.test('sim board: a TCP printer uses the real transport; the test serves the virtual printer', async (t) => {
  const paper = new VirtualEscPosPrinter();
  const server = await serveVirtualPrinter(paper);
  t.teardown(() => server.close());
  const hal = await createSimHal({ board: 'sim', io: { printers: { net: { tcp: { host: '127.0.0.1', port: server.port } } } } });
  t.teardown(() => hal.close());
  const printer = await hal.printer('net');
  await printer.print({ fields: { ...SAMPLE_FIELDS, number: 'B007' } });
  await waitFor('the ticket arrives over TCP', () => paper.tickets().length === 1);
  t.match(ticketText(paper.tickets()[0]), /B007/);
  t.match((await hal.selfTest()).find((r) => r.name === 'printer:net'), { ok: true, detail: 'ready', data: { transport: `tcp 127.0.0.1:${server.port}` } });
  t.throws(() => hal.sim.printer('net'), { code: 'NOT_CONFIGURED', message: /on tcp, not a serial part/ });
  t.equal(server.connections(), 1);
  await hal.close();
  await waitFor('the socket closes', () => server.connections() === 0);
  t.pass('hal.close() closed the printer and its socket');
});

t.test('a usblp node that is missing: hal.printer() rejects, the self-test says why, the next call retries', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'lp0');
  const hal = await createSimHal({ board: 'sim', io: { printers: { usb: { usb: { path }, statusTimeoutMs: 50 } } } });
  t.teardown(() => hal.close());
  await t.rejects(hal.printer('usb'), { code: 'UNAVAILABLE', message: new RegExp(`cannot open printer ${path}`) });
  t.match((await hal.selfTest()).find((r) => r.name === 'printer:usb'), { ok: false, detail: /cannot open printer/, data: { transport: `usb ${path}` } });
  await writeFile(path, ''); // a regular file: accepts writes, never answers
  const printer: TicketPrinter = await hal.printer('usb');
  await t.rejects(printer.status(), { code: 'TIMEOUT' });
  t.match((await hal.selfTest()).find((r) => r.name === 'printer:usb'), { ok: false, detail: /did not answer DLE EOT 1/ });
});

t.test('hal.close() closes printers and scanners', async (t) => {
  const hal = await createSimHal({ board: 'sim', io: IO });
  const printer = await hal.printer('main');
  const scanner = await hal.scanner('desk');
  const codes: string[] = [];
  scanner.onScan((c) => codes.push(c));
  await hal.close();
  await t.rejects(printer.status(), { code: 'CLOSED' });
  await t.rejects(hal.printer('main'), { code: 'CLOSED' });
  await t.rejects(hal.scanner('desk'), { code: 'CLOSED' });
  await t.rejects(hal.sim.scan('desk', 'X'), /has not opened/);
  t.same(codes, []);
});
