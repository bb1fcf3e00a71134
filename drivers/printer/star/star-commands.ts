// Star Line Mode command bytes. Source: Star Micronics "STAR Line Mode Command Specifications"
// (Rev. 4.x, TSP100/TSP650/TSP700II/mC-Print3 tables) — ESC @ (3.3.x "Others"), ESC GS a n
// (position alignment), ESC i n1 n2 (character expansion), ESC E / ESC F (emphasis), ESC - n
// (underline), ESC a n (feed n lines), ESC d n (cut), ESC GS y S/D/P (QR code), ESC $ n
// (Shift JIS / multi-byte Chinese character mode, 3.3.15), ESC ACK SOH (real-time ASB status).
// Cross-checked against node-thermal-printer 4.6.1 lib/types/star-config.js, which has the same
// values for everything it sends (see README.md for where it goes wrong).

const ESC = 0x1b;
const GS = 0x1d;
const ACK = 0x06;
const SOH = 0x01;

/** ESC @ — command initialisation: every mode back to its memory-switch value (the print buffer is kept). */
export const INITIALIZE = Buffer.from([ESC, 0x40]);

/**
 * ESC $ 1 — multi-byte (Shift JIS Kanji/Chinese) character mode on. On a model with the
 * Simplified Chinese font and the memory switch's location of use set to China, a byte
 * 0x81–0xFE then starts a GB18030 multi-byte code and ASCII stays single-byte. ESC @ puts the
 * mode back to the memory-switch value, so it is sent after every ESC @.
 * (ESC p — "JIS" mode — would read *every* byte pair as one character, ASCII included.)
 */
export const MULTIBYTE_MODE_ON = Buffer.from([ESC, 0x24, 0x01]);
export const MULTIBYTE_MODE_OFF = Buffer.from([ESC, 0x24, 0x00]);

/** ESC E / ESC F — emphasised printing on / off (no parameter, unlike ESC/POS ESC E n). */
export const BOLD_ON = Buffer.from([ESC, 0x45]);
export const BOLD_OFF = Buffer.from([ESC, 0x46]);

/** ESC - n — underline: 0 off, 1 on (1-dot line). */
export function underline(on: boolean): Buffer {
  return Buffer.from([ESC, 0x2d, on ? 1 : 0]);
}

export type StarAlign = 'left' | 'center' | 'right';
const ALIGN_N: Record<StarAlign, number> = { left: 0, center: 1, right: 2 };

/** ESC GS a n — position alignment of characters, bar codes and 2D codes: 0 left, 1 centre, 2 right. */
export function alignment(align: StarAlign): Buffer {
  return Buffer.from([ESC, GS, 0x61, ALIGN_N[align]]);
}

/** Largest magnification ESC i accepts (n = 0–5 → 1–6 times). The template allows 8 (GS !); more than 6 prints at 6. */
export const MAX_STAR_MAGNIFICATION = 6;
const MAX_TEMPLATE_MAGNIFICATION = 8;

/** A template magnification (1–8) as the printer will apply it: 7 and 8 become 6. */
export function starMagnification(what: string, times: number): number {
  if (!Number.isInteger(times) || times < 1 || times > MAX_TEMPLATE_MAGNIFICATION) {
    throw new RangeError(`character ${what} must be an integer 1–${MAX_TEMPLATE_MAGNIFICATION}, got ${times}`);
  }
  return Math.min(times, MAX_STAR_MAGNIFICATION);
}

/**
 * ESC i n1 n2 — character expansion: n1 = height − 1, n2 = width − 1 (0–5). Note the order:
 * height first (node-thermal-printer's TXT_2HEIGHT is 1B 69 01 00).
 */
export function characterExpansion(widthTimes: number, heightTimes: number): Buffer {
  const w = starMagnification('width', widthTimes);
  const h = starMagnification('height', heightTimes);
  return Buffer.from([ESC, 0x69, h - 1, w - 1]);
}

export const MAX_FEED_LINES = 255;
/** ESC a n takes 1–127 lines; longer feeds are split. */
export const MAX_FEED_LINES_PER_COMMAND = 127;

/** ESC a n — feed paper n lines (several commands for more than 127). 0 lines → no bytes. */
export function feedLines(lines: number): Buffer {
  if (!Number.isInteger(lines) || lines < 0 || lines > MAX_FEED_LINES) {
    throw new RangeError(`feed must be 0–${MAX_FEED_LINES} lines, got ${lines}`);
  }
  const parts: number[] = [];
  for (let left = lines; left > 0; left -= MAX_FEED_LINES_PER_COMMAND) parts.push(ESC, 0x61, Math.min(left, MAX_FEED_LINES_PER_COMMAND));
  return Buffer.from(parts);
}

/** ESC d n — n = 2 feed to the cutter then full cut, 3 feed then partial cut (0/1 cut where the paper is). */
export function cut(partial: boolean): Buffer {
  return Buffer.from([ESC, 0x64, partial ? 3 : 2]);
}

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export const MIN_QR_CELL_DOTS = 1;
/** ESC GS y S 2 n: 1 ≤ n ≤ 8. The template allows 16 (ESC/POS); larger cells print at 8. */
export const MAX_QR_CELL_DOTS = 8;
const MAX_TEMPLATE_QR_DOTS = 16;
/** ESC GS y D 1: 1 ≤ nL + nH × 256 ≤ 7089 bytes. */
export const MAX_QR_PAYLOAD_BYTES = 7089;

const QR_EC_N: Record<QrErrorCorrection, number> = { L: 0, M: 1, Q: 2, H: 3 };
const ESC_GS_Y = [ESC, GS, 0x79] as const;

/** A template QR module size (1–16) as the printer will apply it: above 8 becomes 8. */
export function starQrCellDots(moduleDots: number): number {
  if (!Number.isInteger(moduleDots) || moduleDots < MIN_QR_CELL_DOTS || moduleDots > MAX_TEMPLATE_QR_DOTS) {
    throw new RangeError(`QR module size must be an integer ${MIN_QR_CELL_DOTS}–${MAX_TEMPLATE_QR_DOTS} dots, got ${moduleDots}`);
  }
  return Math.min(moduleDots, MAX_QR_CELL_DOTS);
}

/**
 * The whole QR sequence: ESC GS y S 0 2 (model 2), ESC GS y S 1 n (error correction),
 * ESC GS y S 2 n (cell size), ESC GS y D 1 0 nL nH d1…dk (store, auto data mode; k counts the
 * UTF-8 *bytes*), ESC GS y P (print). No LF between store and print: the length says where the
 * data ends, and an LF there would feed a blank line.
 */
export function qrCode(data: string, moduleDots: number, errorCorrection: QrErrorCorrection): Buffer {
  const cell = starQrCellDots(moduleDots);
  const payload = Buffer.from(data, 'utf8');
  if (payload.length === 0 || payload.length > MAX_QR_PAYLOAD_BYTES) {
    throw new RangeError(`QR payload must be 1–${MAX_QR_PAYLOAD_BYTES} bytes, got ${payload.length}`);
  }
  return Buffer.concat([
    Buffer.from([...ESC_GS_Y, 0x53, 0x30, 2]), // S 0: model 2
    Buffer.from([...ESC_GS_Y, 0x53, 0x31, QR_EC_N[errorCorrection]]), // S 1: error correction
    Buffer.from([...ESC_GS_Y, 0x53, 0x32, cell]), // S 2: cell size in dots
    Buffer.from([...ESC_GS_Y, 0x44, 0x31, 0x00, payload.length & 0xff, payload.length >> 8]), // D 1 m=0 nL nH
    payload,
    Buffer.from([...ESC_GS_Y, 0x50]), // P: print
  ]);
}

/** ESC ACK SOH — real-time status request: the printer answers with its automatic status (ASB) block, even offline. */
export const STATUS_REQUEST = Buffer.from([ESC, ACK, SOH]);
/** ENQ / EOT — one-byte real-time status (not used by the driver: no cover or near-end bits; see README.md). */
export const ENQ = 0x05;
export const EOT = 0x04;
