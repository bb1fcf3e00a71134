// ESC/POS command bytes that node-thermal-printer 4.6.1 gets wrong or lacks.
// Source: Epson "ESC/POS Command Reference" (reference.epson-biz.com): ESC @, FS & / FS . (Kanji
// character mode), GS ! (select character size), ESC d (print and feed n lines), GS ( k
// <Function 165/167/169/180/181> (QR Code: model, module size, error correction, store,
// print), DLE EOT (transmit real-time status). Chinese-mode behaviour: SPRT/SureP SP91 and
// HPRT manuals as summarised in docs/hardware.md, "ESC/POS ticket printers".

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const EOT = 0x04;

/** ESC @ — initialise: clears the print buffer, resets modes (node-thermal-printer's initHardware() is missing from its typings). */
export const INITIALIZE = Buffer.from([ESC, 0x40]);

/** FS & — Chinese (Kanji) character mode on: bytes >= 0x80 are GB18030 multi-byte codes. */
export const CHINESE_MODE_ON = Buffer.from([FS, 0x26]);
/** FS . — Chinese character mode off: bytes >= 0x80 come from the single-byte code table. */
export const CHINESE_MODE_OFF = Buffer.from([FS, 0x2e]);

export const MIN_CHAR_MAGNIFICATION = 1;
export const MAX_CHAR_MAGNIFICATION = 8;

/**
 * GS ! n — character size. Bits 4–7 = width − 1, bits 0–3 = height − 1.
 * (node-thermal-printer's `setTextSize(height, width)` puts `height` in the high nibble, so
 * it swaps the two; see the test "setTextSize swaps width and height".)
 */
export function characterSize(widthTimes: number, heightTimes: number): Buffer {
  checkMagnification('width', widthTimes);
  checkMagnification('height', heightTimes);
  return Buffer.from([GS, 0x21, ((widthTimes - 1) << 4) | (heightTimes - 1)]);
}

function checkMagnification(what: string, value: number): void {
  if (!Number.isInteger(value) || value < MIN_CHAR_MAGNIFICATION || value > MAX_CHAR_MAGNIFICATION) {
    throw new RangeError(`character ${what} must be an integer ${MIN_CHAR_MAGNIFICATION}–${MAX_CHAR_MAGNIFICATION}, got ${value}`);
  }
}

export const MAX_FEED_LINES = 255;

/** ESC d n — print the line buffer and feed n lines. */
export function feedLines(lines: number): Buffer {
  if (!Number.isInteger(lines) || lines < 0 || lines > MAX_FEED_LINES) {
    throw new RangeError(`feed must be 0–${MAX_FEED_LINES} lines, got ${lines}`);
  }
  return Buffer.from([ESC, 0x64, lines]);
}

export type StatusQuery = 1 | 2 | 3 | 4;

/** DLE EOT n — real-time status: 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export function realTimeStatusRequest(n: StatusQuery): Buffer {
  return Buffer.from([DLE, EOT, n]);
}

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export const MIN_QR_MODULE_DOTS = 1;
export const MAX_QR_MODULE_DOTS = 16;
/** Function 180: pL pH counts cn fn m + data, so data can be at most 65535 − 3 bytes; QR itself holds ≤ 7089. */
export const MAX_QR_PAYLOAD_BYTES = 7089;

const QR_CN = 0x31;
const QR_EC_BYTE: Record<QrErrorCorrection, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };

function gsParenK(params: readonly number[] | Buffer): Buffer {
  const length = params.length;
  return Buffer.concat([Buffer.from([GS, 0x28, 0x6b, length & 0xff, length >> 8]), Buffer.from(params)]);
}

/**
 * The whole QR sequence: model 2, module size, error correction, store, print.
 * The payload is UTF-8 and pL/pH count its *bytes* (node-thermal-printer counts UTF-16 units,
 * which corrupts every non-ASCII payload). Module size 1–16 dots (the library stops at 8).
 */
export function qrCode(data: string, moduleDots: number, errorCorrection: QrErrorCorrection): Buffer {
  if (!Number.isInteger(moduleDots) || moduleDots < MIN_QR_MODULE_DOTS || moduleDots > MAX_QR_MODULE_DOTS) {
    throw new RangeError(`QR module size must be an integer ${MIN_QR_MODULE_DOTS}–${MAX_QR_MODULE_DOTS} dots, got ${moduleDots}`);
  }
  const payload = Buffer.from(data, 'utf8');
  if (payload.length === 0 || payload.length > MAX_QR_PAYLOAD_BYTES) {
    throw new RangeError(`QR payload must be 1–${MAX_QR_PAYLOAD_BYTES} bytes, got ${payload.length}`);
  }
  return Buffer.concat([
    gsParenK([QR_CN, 0x41, 0x32, 0x00]), // fn 165: model 2
    gsParenK([QR_CN, 0x43, moduleDots]), // fn 167: module size in dots
    gsParenK([QR_CN, 0x45, QR_EC_BYTE[errorCorrection]]), // fn 169: error correction level
    gsParenK(Buffer.concat([Buffer.from([QR_CN, 0x50, 0x30]), payload])), // fn 180: store, k + 3 bytes
    gsParenK([QR_CN, 0x51, 0x30]), // fn 181: print the stored symbol
  ]);
}
