// The virtual Star Line Mode printer: parsing in any chunking, status replies, offline drops,
// the TCP server with the real TcpTransport, and the sim board's star printer behind hal.printer().
import t from 'tap';
import { PNG } from 'pngjs';
import { createSimHal } from '../../assembly/create-hal.js';
import { IoConfigError, parseIoConfig } from '../../assembly/config.js';
import {
  DEFAULT_TICKET_TEMPLATE,
  PrinterNotReadyError,
  StarTicketPrinter,
  TcpTransport,
  renderStarTicketBytes,
  starCommands,
} from '../../drivers/printer/index.js';
import { renderTicketPng, renderTicketText, type PrintedItem } from '../../simulators/escpos-printer/index.js';
import { ASB_LENGTH, StarLineParser, VirtualStarPrinter, asbReply, serveVirtualStarPrinter } from '../../simulators/star-printer/index.js';
import { NO_FAULTS } from '../../simulators/escpos-printer/model.js';
import { SAMPLE_FIELDS } from '../drivers/printer/rig.js';
import { waitFor } from '../../testkit/wait.js';

const ticketBytes = (): Buffer =>
  Buffer.concat([starCommands.STATUS_REQUEST, renderStarTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS), starCommands.STATUS_REQUEST]);

function parseAll(chunks: readonly Buffer[]): { items: PrintedItem[]; replies: Buffer[]; log: string[] } {
  const sim = new VirtualStarPrinter();
  const replies: Buffer[] = [];
  sim.onReply((b) => replies.push(b));
  for (const chunk of chunks) sim.receive(chunk);
  return { items: sim.items, replies, log: sim.log };
}

t.test('splitting the byte stream at any offset does not change the parse', async (t) => {
  const bytes = ticketBytes();
  const whole = parseAll([bytes]);
  t.ok(whole.items.some((i) => i.type === 'qr'));
  t.equal(whole.replies.length, 2);
  let differing = 0;
  for (let at = 1; at < bytes.length; at++) {
    const split = parseAll([bytes.subarray(0, at), bytes.subarray(at)]);
    if (JSON.stringify(split) !== JSON.stringify(whole)) differing += 1;
  }
  t.equal(differing, 0, `all ${bytes.length - 1} two-way splits parse the same`);
  const byteByByte = parseAll([...bytes].map((b) => Buffer.from([b])));
  t.same(byteByByte, whole, 'one byte at a time parses the same');
});

t.test('the parser keeps an unfinished command and reports unknown ones', async (t) => {
  const seen: string[] = [];
  const parser = new StarLineParser((c) => seen.push(c.op));
  const qr = starCommands.qrCode('abc', 3, 'L');
  parser.push(qr.subarray(0, 30));
  t.ok(parser.pendingBytes > 0, 'waiting for the rest of ESC GS y D');
  parser.push(qr.subarray(30));
  t.same(seen, ['qrSetting', 'qrSetting', 'qrSetting', 'qrStore', 'qrPrint']);
  const sim = new VirtualStarPrinter();
  sim.receive(Buffer.from([0x1b, 0x7e, 0x1b, 0x1d, 0x7e]));
  t.same(sim.log, ['unknown command 1b7e skipped', 'unknown command 1b1d7e skipped']);
});

t.test('status replies: ASB block, ENQ and EOT bytes, from injected faults', async (t) => {
  t.equal(asbReply(NO_FAULTS).toString('hex'), '230600000000000000', 'healthy TSP100-style block');
  t.equal(asbReply({ ...NO_FAULTS, paperOut: true })[5], 0x08);
  const sim = new VirtualStarPrinter();
  const replies: string[] = [];
  sim.onReply((b) => replies.push(b.toString('hex')));
  sim.setFaults({ paperOut: true, paperLow: true });
  sim.receive(Buffer.from([0x05, 0x04]));
  sim.setFaults({ paperOut: false, paperLow: false, coverOpen: true });
  sim.receive(Buffer.from([0x05, 0x04, 0x1b, 0x06, 0x01]));
  t.same(replies, ['28', '1c', '24', '10', '230628000000000000']);
  t.equal(replies.at(-1)?.length, ASB_LENGTH * 2);
  t.equal(sim.statusQueries, 5);
  sim.setFaults({ noReply: true });
  sim.receive(starCommands.STATUS_REQUEST);
  t.equal(replies.length, 5, 'noReply: nothing answered');
  t.equal(sim.statusQueries, 6, 'but the request was counted');
});

t.test('offline: data is dropped, status is still answered, nothing prints after recovery', async (t) => {
  const sim = new VirtualStarPrinter();
  const replies: Buffer[] = [];
  sim.onReply((b) => replies.push(b));
  sim.receive(Buffer.from('half a line'));
  sim.setFaults({ coverOpen: true });
  sim.receive(Buffer.concat([renderStarTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS), starCommands.STATUS_REQUEST]));
  t.equal(replies.length, 1);
  t.ok(sim.droppedBytes > 100);
  sim.setFaults({ coverOpen: false });
  sim.receive(Buffer.from('\n'));
  t.same(sim.items, [{ type: 'feed', lines: 1 }], 'the half line was discarded with the fault');
  t.match(sim.log, [/unprinted line discarded/, /dropping/, /back online/]);
});

t.test('renderTicketText and renderTicketPng draw Star tickets', async (t) => {
  const sim = new VirtualStarPrinter();
  sim.receive(renderStarTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS));
  const [ticket] = sim.tickets();
  t.ok(ticket);
  t.match(renderTicketText(ticket!), /业务类别：社保业务·𠮷/);
  const png = PNG.sync.read(renderTicketPng(ticket!));
  t.ok(png.width > 0 && png.height > 300);
});

t.test('serveVirtualStarPrinter: StarTicketPrinter over the real TcpTransport', async (t) => {
  const paper = new VirtualStarPrinter();
  const server = await serveVirtualStarPrinter(paper);
  t.teardown(() => server.close());
  const printer = new StarTicketPrinter(new TcpTransport({ host: '127.0.0.1', port: server.port }), { statusTimeoutMs: 1000 });
  t.teardown(() => printer.close());
  t.match(await printer.status(), { ready: true, raw: { printer: 0, offlineCause: 0, errorCause: 0, paperSensor: 0 } });
  await printer.print({ fields: SAMPLE_FIELDS });
  const ticket = await waitFor('the ticket', () => paper.tickets()[0]);
  t.ok(ticket.items.some((i) => i.type === 'text' && i.text === '业务类别：社保业务·𠮷'));
  paper.setFaults({ paperOut: true });
  await t.rejects(printer.print({ fields: SAMPLE_FIELDS }), PrinterNotReadyError);
  t.equal(server.connections(), 1);
});

const IO = {
  serial: { 'printer-port': { path: '/dev/ttyUSB0', baudRate: 9600 }, 'other-port': { path: '/dev/ttyUSB1' } },
  printers: { star: { serial: 'printer-port', commandSet: 'star' as const, columns: 32 }, epson: { serial: 'other-port' } },
};

async function until(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = process.hrtime.bigint() + BigInt(timeoutMs) * 1_000_000n;
  while (!done()) {
    if (process.hrtime.bigint() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

t.test("sim board: a serial printer with commandSet 'star' prints through hal.printer()", async (t) => {
  const hal = await createSimHal({ board: 'sim', io: IO });
  t.teardown(() => hal.close());
  const star = hal.sim.starPrinter('star');
  t.ok(star instanceof VirtualStarPrinter);
  const printer = await hal.printer('star');
  t.ok(printer instanceof StarTicketPrinter, 'open-printer chose the Star driver');
  t.ok((await printer.status()).ready);
  await printer.print({ fields: SAMPLE_FIELDS });
  await until('the ticket is cut', () => star.tickets().length === 1);
  const items = star.tickets()[0]!.items;
  t.ok(items.some((i) => i.type === 'text' && i.text === '业务类别：社保业务·𠮷'));
  t.ok(items.some((i) => i.type === 'qr' && i.data === SAMPLE_FIELDS.qrUrl));
  const rule = items.find((i) => i.type === 'text' && /^-+$/.test(i.text));
  t.equal(rule?.type === 'text' && rule.text.length, 32, 'columns from the config');
  t.equal(hal.sim.serialWritten('printer-port').subarray(0, 3).toString('hex'), '1b0601', 'ESC ACK SOH went out first');

  star.setFaults({ coverOpen: true });
  await t.rejects(printer.print({ fields: SAMPLE_FIELDS }), { code: 'UNAVAILABLE', faults: ['cover-open'] });
  t.match((await hal.selfTest()).find((r) => r.name === 'printer:star'), { ok: true, detail: 'not ready: cover-open' });

  t.throws(() => hal.sim.printer('star'), { code: 'NOT_CONFIGURED', message: /commandSet "star".*starPrinter/ });
  t.throws(() => hal.sim.starPrinter('epson'), { code: 'NOT_CONFIGURED', message: /commandSet "escpos".*sim\.printer/ });
  t.ok(hal.sim.printer('epson').tickets, 'the ESC/POS printer beside it is still the ESC/POS simulator');
  t.throws(() => hal.sim.starPrinter('nope'), { code: 'NOT_CONFIGURED' });
});

t.test('config: commandSet is escpos or star, and optional', async (t) => {
  t.equal(parseIoConfig({ printers: { p: { tcp: { host: 'h' }, commandSet: 'star' } } }).printers?.p?.commandSet, 'star');
  t.throws(() => parseIoConfig({ printers: { p: { tcp: { host: 'h' }, commandSet: 'zpl' } } }), IoConfigError);
});
