// Byte fixtures: every command the ESC/POS and Star builders emit, against the bytes the
// command references give, written out here by hand — not against our own simulators, which
// share our reading of the manuals and so could not catch a misreading.
// ESC/POS: Epson "ESC/POS Command Reference" (reference.epson-biz.com), per command below;
// Chinese mode FS & / FS .: SPRT SP91 and HPRT TP80K manuals (docs/hardware.md, "ESC/POS ticket printers").
// Star: "STAR Line Mode Command Specifications" Rev. 4.x, per command below.
import t from 'tap';
import { EscPosBuilder } from '../../../drivers/printer/escpos-builder.js';
import { StarLineBuilder } from '../../../drivers/printer/star/star-builder.js';
import { escpos, starCommands } from '../../../drivers/printer/index.js';

type Fixture = [reference: string, hex: string, bytes: () => Uint8Array];

const escposBuilder = (build: (b: EscPosBuilder) => unknown) => () => {
  const b = new EscPosBuilder(48);
  build(b);
  return b.bytes();
};
const starBuilder = (build: (b: StarLineBuilder) => unknown) => () => {
  const b = new StarLineBuilder();
  build(b);
  return b.bytes();
};

/** 310 UTF-8 bytes: a store command's length needs its high byte. */
const LONG = 'https://zwfw.example.cn/取号?' + Array.from({ length: 30 }, (_, i) => `k${i}=值${i}`).join('&');
const LONG_HEX = Buffer.from(LONG, 'utf8').toString('hex');

const ESCPOS: Fixture[] = [
  ['ESC @ initialize printer = 1B 40; FS & select Kanji (Chinese) character mode = 1C 26', '1b40' + '1c26', escposBuilder((b) => b.init())],
  ['FS . cancel Kanji character mode = 1C 2E', '1c2e', () => escpos.CHINESE_MODE_OFF],
  ['ESC a n select justification: n = 1 centring', '1b6101', escposBuilder((b) => b.align('center'))],
  ['ESC a n: n = 2 right justification, then n = 0 left', '1b6102' + '1b6100', escposBuilder((b) => b.align('right').align('left'))],
  ['ESC E n emphasized: n = 1 on, n = 0 off', '1b4501' + '1b4500', escposBuilder((b) => b.bold(true).bold(false))],
  ['ESC - n underline: n = 1 one-dot on, n = 0 off', '1b2d01' + '1b2d00', escposBuilder((b) => b.underline(true).underline(false))],
  ['GS ! n character size: bits 4–6 width − 1, bits 0–2 height − 1 (width 2, height 3 → 0x12)', '1d2112', escposBuilder((b) => b.size(2, 3))],
  ['GS ! n: quadruple width and height → 0x33', '1d2133', () => escpos.characterSize(4, 4)],
  ['GS ! n: 8 × 8 → 0x77', '1d2177', () => escpos.characterSize(8, 8)],
  ['LF print and line feed = 0A', '0a', escposBuilder((b) => b.newLine())],
  ['ESC d n print and feed n lines', '1b6403', escposBuilder((b) => b.feed(3))],
  ['ESC d n: n = 255 (the largest)', '1b64ff', () => escpos.feedLines(255)],
  ['cut: ESC d 4 (feed to the cutter), GS V 0 full cut, ESC @', '1b6404' + '1d5600' + '1b40', escposBuilder((b) => b.cut(false))],
  ['cut: ESC d 4, GS V 1 partial cut, ESC @', '1b6404' + '1d5601' + '1b40', escposBuilder((b) => b.cut(true))],
  ['DLE EOT 1 transmit printer status', '100401', () => escpos.realTimeStatusRequest(1)],
  ['DLE EOT 2 transmit off-line cause status', '100402', () => escpos.realTimeStatusRequest(2)],
  ['DLE EOT 3 transmit error cause status', '100403', () => escpos.realTimeStatusRequest(3)],
  ['DLE EOT 4 transmit roll paper sensor status', '100404', () => escpos.realTimeStatusRequest(4)],
  [
    'GS ( k QR: fn 165 select model (1D 28 6B 04 00 31 41 32 00 = model 2), fn 167 module size (1D 28 6B 03 00 31 43 n), fn 169 error correction (1D 28 6B 03 00 31 45 n, 0x31 = M), fn 180 store (1D 28 6B pL pH 31 50 30 d1…dk, pL + 256·pH = k + 3), fn 181 print (1D 28 6B 03 00 31 51 30)',
    '1d286b0400314132001d286b03003143061d286b03003145311d286b050031503041421d286b0300315130',
    escposBuilder((b) => b.qr('AB', 6, 'M')),
  ],
  ['GS ( k fn 169: 0x30 = L', '1d286b0300314530', () => escpos.qrCode('A', 3, 'L').subarray(17, 25)],
  ['GS ( k fn 169: 0x32 = Q', '1d286b0300314532', () => escpos.qrCode('A', 3, 'Q').subarray(17, 25)],
  ['GS ( k fn 169: 0x33 = H', '1d286b0300314533', () => escpos.qrCode('A', 3, 'H').subarray(17, 25)],
  ['GS ( k fn 167: module size 16 dots (the largest)', '1d286b0300314310', () => escpos.qrCode('A', 16, 'L').subarray(9, 17)],
  [
    'GS ( k fn 180 with k = 310: pL pH = 313 = 0x0139 → 39 01',
    '1d286b3901315030' + LONG_HEX,
    () => escpos.qrCode(LONG, 6, 'M').subarray(25, 25 + 8 + 310),
  ],
];

const STAR: Fixture[] = [
  ['ESC @ command initialization = 1B 40; ESC $ n select Shift JIS (multi-byte) Kanji mode, n = 1 = 1B 24 01', '1b40' + '1b2401', starBuilder((b) => b.init())],
  ['ESC $ n: n = 0 cancel multi-byte mode', '1b2400', () => starCommands.MULTIBYTE_MODE_OFF],
  ['ESC GS a n position alignment: n = 1 centre', '1b1d6101', starBuilder((b) => b.align('center'))],
  ['ESC GS a n: n = 2 right, then n = 0 left', '1b1d6102' + '1b1d6100', starBuilder((b) => b.align('right').align('left'))],
  ['ESC E select emphasized printing = 1B 45; ESC F cancel = 1B 46', '1b45' + '1b46', starBuilder((b) => b.bold(true).bold(false))],
  ['ESC - n underline: n = 1 on, n = 0 off', '1b2d01' + '1b2d00', starBuilder((b) => b.underline(true).underline(false))],
  ['ESC i n1 n2 character expansion: n1 = height − 1, n2 = width − 1 (width 2, height 3 → 02 01)', '1b690201', starBuilder((b) => b.size(2, 3))],
  ['ESC i n1 n2: 6 × 6, the largest (n = 5); 8 × 8 prints at 6 × 6', '1b690505', starBuilder((b) => b.size(8, 8))],
  ['LF line feed = 0A', '0a', starBuilder((b) => b.newLine())],
  ['ESC a n feed paper n lines', '1b6103', starBuilder((b) => b.feed(3))],
  ['ESC a n: 1 ≤ n ≤ 127, so 200 lines are ESC a 127, ESC a 73', '1b617f' + '1b6149', starBuilder((b) => b.feed(200))],
  ['ESC d n auto cutter: n = 2 feed to the cutting position, full cut', '1b6402', starBuilder((b) => b.cut(false))],
  ['ESC d n: n = 3 feed to the cutting position, partial cut', '1b6403', starBuilder((b) => b.cut(true))],
  ['ESC ACK SOH real-time status (automatic status) request = 1B 06 01', '1b0601', () => starCommands.STATUS_REQUEST],
  ['ENQ = 05, EOT = 04 (real-time one-byte status)', '0504', () => Buffer.from([starCommands.ENQ, starCommands.EOT])],
  [
    'ESC GS y S 0 n model (n = 2), ESC GS y S 1 n error correction (n = 1 = M), ESC GS y S 2 n cell size, ESC GS y D 1 m nL nH d1…dk store (m = 0 auto, nL + 256·nH = k), ESC GS y P print',
    '1b1d79533002' + '1b1d79533101' + '1b1d79533206' + '1b1d7944310002004142' + '1b1d7950',
    starBuilder((b) => b.qr('AB', 6, 'M')),
  ],
  ['ESC GS y S 1 n: 0 = L', '1b1d79533100', () => starCommands.qrCode('A', 3, 'L').subarray(6, 12)],
  ['ESC GS y S 1 n: 2 = Q', '1b1d79533102', () => starCommands.qrCode('A', 3, 'Q').subarray(6, 12)],
  ['ESC GS y S 1 n: 3 = H', '1b1d79533103', () => starCommands.qrCode('A', 3, 'H').subarray(6, 12)],
  ['ESC GS y S 2 n: 1 ≤ n ≤ 8, so 16 prints at 8', '1b1d79533208', () => starCommands.qrCode('A', 16, 'L').subarray(12, 18)],
  ['ESC GS y D 1 with k = 310: nL nH = 36 01', '1b1d79443100' + '3601' + LONG_HEX + '1b1d7950', () => starCommands.qrCode(LONG, 6, 'M').subarray(18)],
];

for (const [set, fixtures] of [['ESC/POS', ESCPOS], ['Star Line Mode', STAR]] as const) {
  t.test(`${set}: every command the builder emits is the reference's bytes`, async (t) => {
    for (const [reference, hex, bytes] of fixtures) t.equal(Buffer.from(bytes()).toString('hex'), hex, reference);
  });
}

t.test('the 300+ byte payload really needs the high length byte', async (t) => {
  t.equal(Buffer.byteLength(LONG, 'utf8'), 310);
});
