// Each node-thermal-printer 4.6.1 problem from docs/hardware.md, "node-thermal-printer", shown on the library's raw
// output and then shown fixed by ours (driver bytes parsed by the virtual printer).
import t from 'tap';
import iconv from 'iconv-lite';
import nodeThermalPrinter from 'node-thermal-printer';
import { escpos, encodeGb18030, wrapText, textColumns } from '../../../drivers/printer/index.js';
import { VirtualEscPosPrinter } from '../../../simulators/escpos-printer/index.js';

const { ThermalPrinter, PrinterTypes, CharacterSet } = nodeThermalPrinter;
const sink = { execute: () => Promise.resolve(''), isPrinterConnected: () => Promise.resolve(true) };
// The library's .d.ts types `interface` as a string although it accepts this object.
const library = (extra: object = {}) => new ThermalPrinter({ type: PrinterTypes.EPSON, interface: sink as unknown as string, ...extra });

function parse(bytes: Buffer) {
  const sim = new VirtualEscPosPrinter({ chineseModeAtPowerOn: false });
  sim.receive(bytes);
  return sim;
}

t.test('QR: library counts UTF-16 units, we count UTF-8 bytes', async (t) => {
  const url = 'https://x.cn/取号?id=1'; // 20 UTF-16 units, 24 UTF-8 bytes
  const lib = library();
  lib.printQR(url, { cellSize: 3 });
  const libBytes = lib.getBuffer();
  const store = libBytes.indexOf(Buffer.from([0x1d, 0x28, 0x6b]), libBytes.indexOf(Buffer.from([0x31, 0x45])));
  t.equal(libBytes.readUInt16LE(store + 3), 20 + 3, 'library declares k + 3 with k = string length');
  const libSim = parse(libBytes);
  const libQr = libSim.items.find((i) => i.type === 'qr');
  t.not(libQr?.type === 'qr' ? libQr.data : undefined, url, 'the printer stores a truncated payload');
  t.ok(libSim.items.some((i) => i.type === 'text'), 'and the rest of the payload leaks out as printed text');

  const ours = parse(Buffer.concat([escpos.qrCode(url, 3, 'M'), Buffer.from('\n')]));
  const qr = ours.items.find((i) => i.type === 'qr');
  t.equal(qr?.type === 'qr' ? qr.data : undefined, url);
  t.notOk(ours.items.some((i) => i.type === 'text'), 'nothing leaks');
});

t.test('QR: library throws above module size 8, we accept 1–16', async (t) => {
  t.throws(() => library().printQR('x', { cellSize: 9 }), TypeError);
  for (const size of [1, 9, 16]) {
    const sim = parse(escpos.qrCode('x', size, 'L'));
    const qr = sim.items.find((i) => i.type === 'qr');
    t.equal(qr?.type === 'qr' ? qr.moduleDots : undefined, size);
  }
  t.throws(() => escpos.qrCode('x', 17, 'L'), RangeError);
  t.throws(() => escpos.qrCode('x', 0, 'L'), RangeError);
});

t.test('Chinese: library sends ESC R 15 and turns 𠮷 into ??; we send FS & and GB18030', async (t) => {
  const lib = library({ characterSet: CharacterSet.CHINA });
  lib.println('取号 𠮷');
  const libBytes = lib.getBuffer();
  t.ok(libBytes.subarray(0, 3).equals(Buffer.from([0x1b, 0x52, 0x0f])), 'ESC R 15, the international set');
  t.equal(libBytes.indexOf(Buffer.from([0x1c, 0x26])), -1, 'no FS &');
  t.ok(libBytes.includes(Buffer.from('??')), '𠮷 became ??');
  const libLine = parse(libBytes).items.find((i) => i.type === 'text');
  t.not(libLine?.type === 'text' ? libLine.text : '', '取号 𠮷', 'a printer without FS & cannot print it right');

  t.equal(encodeGb18030('𠮷').toString('hex'), '9534b235', 'four-byte GB18030 code');
  const ours = parse(Buffer.concat([escpos.CHINESE_MODE_ON, encodeGb18030('取号 𠮷'), Buffer.from('\n')]));
  const line = ours.items.find((i) => i.type === 'text');
  t.equal(line?.type === 'text' ? line.text : undefined, '取号 𠮷');
});

t.test('GS !: library setTextSize(height, width) swaps the two; ours does not', async (t) => {
  const lib = library();
  lib.setTextSize(0, 3); // asks for height 1, width 4
  const sim = parse(Buffer.concat([lib.getBuffer(), Buffer.from('X\n')]));
  const libLine = sim.items[0];
  t.same(libLine?.type === 'text' ? [libLine.w, libLine.h] : [], [1, 4], 'library: width 1, height 4');
  const ours = parse(Buffer.concat([escpos.characterSize(4, 1), Buffer.from('X\n')]));
  const line = ours.items[0];
  t.same(line?.type === 'text' ? [line.w, line.h] : [], [4, 1]);
});

t.test('wrapping: library counts characters, we count columns', async (t) => {
  const text = '政'.repeat(20); // 40 columns
  const lib = library({ width: 32, characterSet: CharacterSet.CHINA });
  // _fold is internal; its effect shows in print(): one line of 40 columns on 32-column paper.
  lib.print(text);
  const printed = iconv.decode(lib.getBuffer(), 'gb18030');
  t.notOk(printed.includes('\n'), 'library does not break the line');
  const lines = wrapText(text, 32);
  t.same(lines.map(textColumns), [32, 8]);
});

t.test('status: library getStatus() only appends GS r 1 and reads nothing', async (t) => {
  // getStatus() exists at runtime (lib/core.js) but not in the library's .d.ts.
  const lib = library() as InstanceType<typeof ThermalPrinter> & { getStatus(): Promise<unknown> };
  t.equal(await lib.getStatus(), undefined);
  t.same([...lib.getBuffer()], [0x1d, 0x72, 0x01]);
  t.same([...escpos.realTimeStatusRequest(4)], [0x10, 0x04, 0x04], 'we send DLE EOT n and read the reply (status tests)');
});
