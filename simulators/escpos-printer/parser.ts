// A streaming ESC/POS parser: bytes in (in arbitrary chunks), commands out. It never throws;
// what it does not know it reports as `unknown` and skips by the length the manuals give.
// Source: Epson ESC/POS Command Reference (command list and parameter lengths); FS commands
// from SPRT SP91 / HPRT TP80K Chinese-model manuals; summary in docs/hardware.md, "ESC/POS ticket printers".

import { CommandStream, done, fixed as fixedAfter, measurePlain, need, type Measure as GenericMeasure, type SharedPrintCommand } from './command-stream.js';

export type EscPosCommand =
  | SharedPrintCommand
  | { op: 'ht' }
  | { op: 'codeTable'; n: number }
  | { op: 'internationalCharset'; n: number }
  | { op: 'chineseMode'; on: boolean }
  | { op: 'printMode'; n: number }
  | { op: 'charSize'; n: number }
  | { op: 'align'; n: number }
  | { op: 'qr'; fn: number; params: Buffer }
  | { op: 'cut'; partial: boolean; feedDots: number }
  | { op: 'realTimeStatus'; n: number }
  | { op: 'realTimeRequest'; n: number }
  | { op: 'transmitStatus'; n: number }
  | { op: 'ignored'; name: string; length: number };

const HT = 0x09, ESC = 0x1b, GS = 0x1d, FS = 0x1c, DLE = 0x10;

type Measure = GenericMeasure<EscPosCommand>;

/** A command whose variable part has no length field (barcode data up to NUL) gives up here. */
const MAX_SCAN_BYTES = 512;

// ESC x: number of parameter bytes for the ones we only skip.
const ESC_PARAMS: Record<number, [string, number]> = {
  0x20: ['ESC SP right spacing', 1], 0x21: ['ESC !', 1], 0x24: ['ESC $ absolute position', 2], 0x25: ['ESC % user chars', 1],
  0x2d: ['ESC -', 1], 0x32: ['ESC 2 default line spacing', 0], 0x33: ['ESC 3 line spacing', 1], 0x3c: ['ESC < home', 0],
  0x3d: ['ESC = peripheral', 1], 0x3f: ['ESC ? cancel user char', 1], 0x40: ['ESC @', 0], 0x45: ['ESC E', 1],
  0x47: ['ESC G double strike', 1], 0x4a: ['ESC J feed dots', 1], 0x4b: ['ESC K reverse feed', 1], 0x4c: ['ESC L page mode', 0],
  0x4d: ['ESC M font', 1], 0x52: ['ESC R', 1], 0x53: ['ESC S standard mode', 0], 0x54: ['ESC T page direction', 1],
  0x55: ['ESC U unidirectional', 1], 0x56: ['ESC V rotate', 1], 0x57: ['ESC W print area', 8], 0x5c: ['ESC \\ relative position', 2],
  0x61: ['ESC a', 1], 0x64: ['ESC d', 1], 0x65: ['ESC e reverse feed lines', 1], 0x69: ['ESC i partial cut', 0],
  0x6d: ['ESC m partial cut', 0], 0x70: ['ESC p drawer pulse', 3], 0x72: ['ESC r colour', 1], 0x74: ['ESC t', 1],
  0x75: ['ESC u peripheral status', 1], 0x76: ['ESC v paper status', 0], 0x7b: ['ESC { upside down', 1],
};

// GS x: fixed parameter counts.
const GS_PARAMS: Record<number, [string, number]> = {
  0x21: ['GS !', 1], 0x24: ['GS $ absolute vertical position', 2], 0x2f: ['GS / print downloaded image', 1],
  0x3a: ['GS : macro', 0], 0x42: ['GS B reverse', 1], 0x48: ['GS H HRI position', 1], 0x49: ['GS I printer id', 1],
  0x4c: ['GS L left margin', 2], 0x50: ['GS P motion units', 2], 0x54: ['GS T line start', 1], 0x57: ['GS W print width', 2],
  0x5c: ['GS \\ relative vertical position', 2], 0x5e: ['GS ^ macro run', 3], 0x61: ['GS a ASB', 1], 0x62: ['GS b smoothing', 1],
  0x63: ['GS c counter', 0], 0x66: ['GS f HRI font', 1], 0x68: ['GS h barcode height', 1], 0x6a: ['GS j ASB ink', 1],
  0x72: ['GS r', 1], 0x77: ['GS w barcode width', 1], 0x5a: ['GS Z 2D symbol type', 1], 0x45: ['GS E head energy', 1],
};

// FS x: fixed parameter counts.
const FS_PARAMS: Record<number, [string, number]> = {
  0x21: ['FS ! Chinese print mode', 1], 0x26: ['FS &', 0], 0x2d: ['FS - Chinese underline', 1], 0x2e: ['FS .', 0],
  0x43: ['FS C code system', 1], 0x53: ['FS S Chinese spacing', 2], 0x57: ['FS W Chinese quadruple', 1], 0x70: ['FS p NV image', 2],
  0x32: ['FS 2 user Chinese char', 2 + 72],
};

function u16(buf: Buffer, at: number): number {
  return (buf[at] ?? 0) + 256 * (buf[at + 1] ?? 0);
}

/** ESC/POS commands are two bytes and then their parameters. */
function fixed(buf: Buffer, at: number, params: number, make: (p: Buffer) => EscPosCommand): Measure {
  return fixedAfter(buf, at, 2, params, make);
}

function unknown(buf: Buffer, at: number): Measure {
  return done(2, { op: 'unknown', bytes: Buffer.from(buf.subarray(at, at + 2)) });
}

function measureEsc(buf: Buffer, at: number): Measure {
  const c = buf[at + 1];
  if (c === undefined) return need;
  switch (c) {
    case 0x40: return done(2, { op: 'init' });
    case 0x74: return fixed(buf, at, 1, (p) => ({ op: 'codeTable', n: p[0] ?? 0 }));
    case 0x52: return fixed(buf, at, 1, (p) => ({ op: 'internationalCharset', n: p[0] ?? 0 }));
    case 0x21: return fixed(buf, at, 1, (p) => ({ op: 'printMode', n: p[0] ?? 0 }));
    case 0x61: return fixed(buf, at, 1, (p) => ({ op: 'align', n: p[0] ?? 0 }));
    case 0x45: return fixed(buf, at, 1, (p) => ({ op: 'bold', on: ((p[0] ?? 0) & 1) === 1 }));
    case 0x2d: return fixed(buf, at, 1, (p) => ({ op: 'underline', n: (p[0] ?? 0) % 48 }));
    case 0x64: return fixed(buf, at, 1, (p) => ({ op: 'feedLines', n: p[0] ?? 0 }));
    case 0x69: return done(2, { op: 'cut', partial: true, feedDots: 0 });
    case 0x6d: return done(2, { op: 'cut', partial: true, feedDots: 0 });
    case 0x2a: { // ESC * m nL nH d1…dk: bit image, 8-dot (m 0,1) or 24-dot (m 32,33) columns
      if (buf.length < at + 5) return need;
      const m = buf[at + 2] ?? 0;
      const columns = u16(buf, at + 3);
      return { kind: 'bulk', headerLength: 5, dataLength: m >= 32 ? columns * 3 : columns, name: 'ESC * bit image' };
    }
    case 0x44: { // ESC D n1…nk NUL: tab stops
      const end = buf.indexOf(0, at + 2);
      if (end < 0) return buf.length - at > 34 ? unknown(buf, at) : need;
      return done(end - at + 1, { op: 'ignored', name: 'ESC D tab stops', length: end - at + 1 });
    }
    case 0x26: { // ESC & y c1 c2 [x d1…d(y×x)]…: user-defined characters
      if (buf.length < at + 5) return need;
      const y = buf[at + 2] ?? 0;
      const count = (buf[at + 4] ?? 0) - (buf[at + 3] ?? 0) + 1;
      let pos = at + 5;
      for (let i = 0; i < count; i++) {
        const x = buf[pos];
        if (x === undefined) return need;
        pos += 1 + y * x;
        if (pos > buf.length) return need;
      }
      return done(pos - at, { op: 'ignored', name: 'ESC & user-defined characters', length: pos - at });
    }
    case 0x63: { // ESC c 3 n / ESC c 4 n / ESC c 5 n
      return fixed(buf, at, 2, () => ({ op: 'ignored', name: 'ESC c panel/sensor', length: 4 }));
    }
    default: {
      const known = ESC_PARAMS[c];
      if (!known) return unknown(buf, at);
      const [name, params] = known;
      return fixed(buf, at, params, () => ({ op: 'ignored', name, length: 2 + params }));
    }
  }
}

function measureGs(buf: Buffer, at: number): Measure {
  const c = buf[at + 1];
  if (c === undefined) return need;
  switch (c) {
    case 0x21: return fixed(buf, at, 1, (p) => ({ op: 'charSize', n: p[0] ?? 0 }));
    case 0x72: return fixed(buf, at, 1, (p) => ({ op: 'transmitStatus', n: p[0] ?? 0 }));
    case 0x28: { // GS ( fn pL pH p1…pk — every GS ( function has this shape
      if (buf.length < at + 5) return need;
      const fn = buf[at + 2] ?? 0;
      const k = u16(buf, at + 3);
      if (buf.length < at + 5 + k) return need;
      const params = Buffer.from(buf.subarray(at + 5, at + 5 + k));
      const cn = params[0];
      if (fn === 0x6b && cn === 0x31) return done(5 + k, { op: 'qr', fn: params[1] ?? 0, params });
      return done(5 + k, { op: 'ignored', name: `GS ( ${String.fromCharCode(fn)} cn=${cn ?? '-'}`, length: 5 + k });
    }
    case 0x56: { // GS V m [n]
      const m = buf[at + 2];
      if (m === undefined) return need;
      if (m === 0 || m === 1 || m === 0x30 || m === 0x31) return done(3, { op: 'cut', partial: (m & 1) === 1, feedDots: 0 });
      if (buf.length < at + 4) return need;
      const n = buf[at + 3] ?? 0;
      // 65/66: feed n then cut; 97/98: feed to cut position + n; 103/104: reserve cut — all two-byte forms.
      return done(4, { op: 'cut', partial: (m & 1) === 0, feedDots: n });
    }
    case 0x76: { // GS v 0 m xL xH yL yH d1…dk: raster image, k = xBytes × yDots
      if (buf.length < at + 8) return need;
      return { kind: 'bulk', headerLength: 8, dataLength: u16(buf, at + 4) * u16(buf, at + 6), name: 'GS v 0 raster image' };
    }
    case 0x2a: { // GS * x y d1…d(x×y×8): define downloaded image
      if (buf.length < at + 4) return need;
      return { kind: 'bulk', headerLength: 4, dataLength: (buf[at + 2] ?? 0) * (buf[at + 3] ?? 0) * 8, name: 'GS * downloaded image' };
    }
    case 0x38: { // GS 8 L / GS 8 k p1 p2 p3 p4 …: 32-bit length
      if (buf.length < at + 7) return need;
      const length = (buf[at + 3] ?? 0) + 256 * (buf[at + 4] ?? 0) + 65536 * (buf[at + 5] ?? 0) + 16777216 * (buf[at + 6] ?? 0);
      return { kind: 'bulk', headerLength: 7, dataLength: length, name: 'GS 8 graphics' };
    }
    case 0x6b: { // GS k m …: barcode; m 0–6 data up to NUL, m 65–79 n then n bytes
      const m = buf[at + 2];
      if (m === undefined) return need;
      if (m <= 6) {
        const end = buf.indexOf(0, at + 3);
        if (end < 0) return buf.length - at > MAX_SCAN_BYTES ? unknown(buf, at) : need;
        return done(end - at + 1, { op: 'ignored', name: 'GS k barcode', length: end - at + 1 });
      }
      if (buf.length < at + 4) return need;
      const n = buf[at + 3] ?? 0;
      if (buf.length < at + 4 + n) return need;
      return done(4 + n, { op: 'ignored', name: 'GS k barcode', length: 4 + n });
    }
    default: {
      const known = GS_PARAMS[c];
      if (!known) return unknown(buf, at);
      const [name, params] = known;
      return fixed(buf, at, params, () => ({ op: 'ignored', name, length: 2 + params }));
    }
  }
}

function measureFs(buf: Buffer, at: number): Measure {
  const c = buf[at + 1];
  if (c === undefined) return need;
  if (c === 0x26) return done(2, { op: 'chineseMode', on: true });
  if (c === 0x2e) return done(2, { op: 'chineseMode', on: false });
  const known = FS_PARAMS[c];
  if (!known) return unknown(buf, at);
  const [name, params] = known;
  return fixed(buf, at, params, () => ({ op: 'ignored', name, length: 2 + params }));
}

function measureDle(buf: Buffer, at: number): Measure {
  const c = buf[at + 1];
  if (c === undefined) return need;
  if (c === 0x04) return fixed(buf, at, 1, (p) => ({ op: 'realTimeStatus', n: p[0] ?? 0 }));
  if (c === 0x05) return fixed(buf, at, 1, (p) => ({ op: 'realTimeRequest', n: p[0] ?? 0 }));
  if (c === 0x14) { // DLE DC4 fn …: fn 8 (clear buffers) has 7 bytes, the others 2
    const fn = buf[at + 2];
    if (fn === undefined) return need;
    const params = fn === 8 ? 8 : 3;
    return fixed(buf, at, params, () => ({ op: 'ignored', name: `DLE DC4 ${fn}`, length: 2 + params }));
  }
  // A lone DLE is printable data on some printers; treat it as an unknown 1-byte control.
  return done(1, { op: 'unknown', bytes: Buffer.from([DLE]) });
}

function measure(buf: Buffer, at: number): Measure {
  const plain = measurePlain(buf, at);
  if (plain) return plain;
  const b = buf[at] ?? 0;
  switch (b) {
    case HT: return done(1, { op: 'ht' });
    case ESC: return measureEsc(buf, at);
    case GS: return measureGs(buf, at);
    case FS: return measureFs(buf, at);
    case DLE: return measureDle(buf, at);
    default: return done(1, { op: 'ignored', name: `control 0x${b.toString(16).padStart(2, '0')}`, length: 1 });
  }
}

/** Feed bytes with push(); each complete command goes to the callback in order, with the bytes it took. */
export class EscPosParser extends CommandStream<EscPosCommand> {
  constructor(onCommand: (command: EscPosCommand, length: number) => void) {
    super(measure, onCommand, (name, length) => ({ op: 'ignored', name, length }));
  }
}
