// Star Line Mode bytes: what the builder emits (checked against node-thermal-printer 4.6.1's
// STAR type where that is right, and shown fixed where it is not), and the ASB status decoder
// and reader on raw bytes.
import t from 'tap';
import nodeThermalPrinter from 'node-thermal-printer';
import {
  DEFAULT_TICKET_TEMPLATE,
  StarStatusReader,
  decodeStarStatus,
  encodeGb18030,
  renderStarTicketBytes,
  starCommands,
  type PrinterTransport,
} from '../../../drivers/printer/index.js';
import { asbHeader, asbLength, isAsbHeader } from '../../../drivers/printer/star/index.js';
import { VirtualStarPrinter } from '../../../simulators/star-printer/index.js';
import { SAMPLE_FIELDS } from './rig.js';

const { ThermalPrinter, PrinterTypes } = nodeThermalPrinter;
const sink = { execute: () => Promise.resolve(''), isPrinterConnected: () => Promise.resolve(true) };
// The library's .d.ts types `interface` as a string although it accepts this object.
const library = () => new ThermalPrinter({ type: PrinterTypes.STAR, interface: sink as unknown as string });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

t.test('mode commands match the library where it is right', async (t) => {
  const lib = library();
  lib.alignCenter();
  lib.bold(true);
  lib.bold(false);
  lib.underline(true);
  lib.underline(false);
  lib.cut();
  lib.partialCut();
  const libHex = hex(lib.getBuffer());
  for (const ours of [
    starCommands.alignment('center'),
    starCommands.BOLD_ON,
    starCommands.BOLD_OFF,
    starCommands.underline(true),
    starCommands.underline(false),
    starCommands.cut(false),
    starCommands.cut(true),
  ]) {
    t.ok(libHex.includes(hex(ours)), `library also sends ${hex(ours)}`);
  }
  t.equal(hex(starCommands.alignment('right')), '1b1d6102');
  t.equal(hex(starCommands.characterExpansion(1, 2)), '1b690100', 'ESC i: height first (library TXT_2HEIGHT = 1b 69 01 00)');
  t.equal(hex(starCommands.characterExpansion(4, 4)), '1b690303');
  t.equal(hex(starCommands.characterExpansion(8, 8)), '1b690505', '8× clamps to 6× (n = 5)');
  t.throws(() => starCommands.characterExpansion(0, 1), RangeError);
  t.throws(() => starCommands.characterExpansion(9, 1), RangeError);
  t.equal(hex(starCommands.feedLines(3)), '1b6103');
  t.equal(hex(starCommands.feedLines(255)), '1b617f1b617f1b6101', 'ESC a takes ≤ 127 lines');
  t.equal(hex(starCommands.feedLines(0)), '');
  t.equal(hex(starCommands.STATUS_REQUEST), '1b0601', 'ESC ACK SOH');
});

t.test('QR: the library omits the store header and counts UTF-16 units; we send ESC GS y D 1 with UTF-8 bytes', async (t) => {
  const url = 'https://x.cn/取号?id=1'; // 20 UTF-16 units, 24 UTF-8 bytes
  const lib = library();
  lib.printQR(url, { model: 2, cellSize: 4 });
  const libBytes = lib.getBuffer();
  t.equal(libBytes.indexOf(Buffer.from([0x1b, 0x1d, 0x79, 0x44])), -1, 'library: no ESC GS y D, so the printer never stores the data');
  const libSim = new VirtualStarPrinter({ multibyteAtPowerOn: true });
  libSim.receive(libBytes);
  t.notOk(libSim.items.some((i) => i.type === 'qr'), 'library: no QR on paper');
  t.ok(libSim.items.some((i) => i.type === 'text'), 'library: its payload prints as text instead');

  const ours = starCommands.qrCode(url, 4, 'M');
  t.equal(
    hex(ours.subarray(0, 26)),
    '1b1d7953' + '3002' + '1b1d7953' + '3101' + '1b1d7953' + '3204' + '1b1d7944' + '3100' + '1800',
    'model 2, EC M, cell 4, store m=0 with k = 24 bytes',
  );
  t.ok(ours.subarray(26, 50).equals(Buffer.from(url, 'utf8')));
  t.equal(hex(ours.subarray(50)), '1b1d7950', 'print, no LF in between');
  const sim = new VirtualStarPrinter();
  sim.receive(ours);
  t.match(sim.items, [{ type: 'qr', data: url, moduleDots: 4, errorCorrection: 'M' }]);
  t.equal(sim.items.length, 1, 'nothing leaks as text');

  const long = 'é'.repeat(300); // 600 bytes: nH = 2
  t.equal(hex(starCommands.qrCode(long, 3, 'L').subarray(24, 26)), '5802');
  t.throws(() => starCommands.qrCode('', 3, 'L'), RangeError);
  t.throws(() => starCommands.qrCode('x'.repeat(7090), 3, 'L'), RangeError);
  t.throws(() => starCommands.qrCode('x', 17, 'L'), RangeError);
  t.equal(starCommands.qrCode('x', 16, 'L')[17], 8, 'cell 16 clamps to 8');
});

t.test('Chinese: ESC $ 1 after every ESC @, then GB18030 (𠮷 = 95 34 b2 35)', async (t) => {
  const template = { version: 1 as const, blocks: [{ type: 'text' as const, text: '𠮷' }, { type: 'cut' as const }, { type: 'text' as const, text: 'b' }] };
  const bytes = renderStarTicketBytes(template, SAMPLE_FIELDS);
  t.equal(hex(bytes.subarray(0, 5)), '1b401b2401', 'ESC @ ESC $ 1 first');
  t.ok(bytes.includes(encodeGb18030('𠮷')));
  t.equal(hex(encodeGb18030('𠮷')), '9534b235');
  const cutAt = bytes.indexOf(starCommands.cut(false));
  t.equal(hex(bytes.subarray(cutAt, cutAt + 8)), '1b64021b401b2401', 'a cut mid-template starts the next ticket with ESC @ ESC $ 1');
  t.equal(hex(bytes.subarray(-2)), '620a', 'the last block ends the bytes: no init after a trailing cut');
  const sim = new VirtualStarPrinter();
  sim.receive(Buffer.concat([starCommands.INITIALIZE, encodeGb18030('取号'), Buffer.from('\n')]));
  t.not((sim.items[0] as { text?: string }).text, '取号', 'without ESC $ 1 a printer in single-byte mode prints garbage (the simulator catches it)');
});

t.test('render options: columns are checked; the default template renders', async (t) => {
  t.throws(() => renderStarTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS, { columns: 7 }), RangeError);
  const bytes = renderStarTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS, { columns: 32 });
  t.ok(bytes.includes(Buffer.from('-'.repeat(32) + '\n')));
  t.notOk(bytes.includes(Buffer.from('-'.repeat(33))));
});

function block(status: readonly number[], options: { length?: number; header2?: number; extended?: Buffer } = {}): Buffer {
  const length = options.length ?? 9;
  const b = Buffer.alloc(length);
  b[0] = asbHeader(length);
  b[1] = options.header2 ?? 0x06;
  status.forEach((v, i) => (b[2 + i] = v));
  if (!options.extended) return b;
  const ext = Buffer.alloc(2);
  ext.writeUInt16LE(options.extended.length);
  return Buffer.concat([b, ext, options.extended]);
}

t.test('ASB header: length encoding and recognition', async (t) => {
  t.equal(asbHeader(9), 0x23, 'the TSP100/TSP650 header');
  for (let n = 2; n <= 31; n++) t.equal(asbLength(asbHeader(n)), n, `length ${n}`);
  t.ok(isAsbHeader(0x23));
  t.notOk(isAsbHeader(0x11), 'XON');
  t.notOk(isAsbHeader(0x13), 'XOFF');
  t.notOk(isAsbHeader(0x18), 'an EOT status byte (bit 4 set, bit 0 clear)');
});

t.test('decodeStarStatus on raw blocks', async (t) => {
  t.match(decodeStarStatus(block([0, 0, 0, 0])), { ready: true, online: true, faults: [] });
  t.match(decodeStarStatus(block([0x08, 0, 0, 0x08])), { ready: false, paperOut: true, faults: ['paper-out'] });
  t.match(decodeStarStatus(block([0, 0, 0, 0x02])), { ready: true, paperLow: true, faults: ['paper-low'] }, 'outer near-end sensor');
  t.match(decodeStarStatus(block([0x28, 0, 0, 0])), { ready: false, coverOpen: true, faults: ['cover-open'] });
  t.match(decodeStarStatus(block([0x08, 0x08, 0, 0])), { ready: false, cutterError: true, faults: ['cutter'] });
  t.match(decodeStarStatus(block([0x48, 0, 0, 0])), { ready: false, online: false, faults: ['offline'] });
  t.match(decodeStarStatus(block([0, 0x40, 0, 0])), { ready: false, autoRecoverableError: true, faults: [] }, 'head too hot');
  t.match(decodeStarStatus(block([0, 0x20, 0, 0])), { ready: false, unrecoverableError: true });
  t.match(decodeStarStatus(block([0, 0x04, 0, 0])), { ready: false, mechanicalError: true });
  t.match(decodeStarStatus(block([0, 0, 0x04, 0])), { ready: false, errorOccurred: true }, 'presenter paper jam');
  t.same(decodeStarStatus(block([0x08, 0x08, 0x04, 0x0c])).raw, { printer: 0x08, offlineCause: 0x08, errorCause: 0x04, paperSensor: 0x0c });
  t.throws(() => decodeStarStatus(Buffer.from([0x12, 0, 0, 0, 0, 0])), { code: 'IO' }, 'a DLE EOT byte is not an ASB');
  t.throws(() => decodeStarStatus(block([], { length: 4 })), { code: 'IO' }, 'too short to carry the paper status');
});

/** A transport whose printer end the test drives by hand. */
function scriptedTransport() {
  const written: Buffer[] = [];
  let listener: ((chunk: Buffer) => void) | undefined;
  const transport: PrinterTransport = {
    description: 'scripted',
    write: async (bytes) => {
      written.push(Buffer.from(bytes));
    },
    onData: (l) => {
      listener = l;
      return () => (listener = undefined);
    },
    close: async () => undefined,
  };
  return { transport, written, answer: (bytes: number[] | Buffer) => listener?.(Buffer.from(bytes)) };
}

t.test('StarStatusReader: XON before the header, the block in pieces, an extended status, stray bytes', async (t) => {
  const { transport, written, answer } = scriptedTransport();
  const reader = new StarStatusReader(transport, 1000);
  answer([0x23, 0x06]); // a late block nobody asked for
  t.equal(reader.strayBytes, 2);

  const full = block([0x28, 0, 0, 0x04]);
  let pending = reader.read();
  await Promise.resolve();
  t.same(written.map(hex), ['1b0601']);
  answer([0x11, 0x13]); // XON XOFF
  for (const byte of full) answer([byte]);
  t.match(await pending, { coverOpen: true, paperLow: true, faults: ['paper-low', 'cover-open'] });
  t.equal(reader.strayBytes, 4);

  const ext = block([0, 0, 0, 0x08], { header2: 0x86, extended: Buffer.from('abc') });
  pending = reader.read();
  await Promise.resolve();
  answer(ext.subarray(0, 10));
  answer(Buffer.concat([ext.subarray(10), Buffer.from([0x23])]));
  t.match(await pending, { paperOut: true }, 'header 2 bit 7: 2-byte length and the extended data are read too');
  t.equal(reader.strayBytes, 5, 'the byte after the block is stray');

  pending = reader.read();
  await Promise.resolve();
  answer(block([0, 0, 0, 0], { length: 7 }));
  t.match(await pending, { ready: true }, 'a 7-byte block (older models) works');
  reader.dispose();
});
