// Splits a Star Line Mode byte stream into commands, in any chunking. Covers what
// drivers/printer/star emits plus the neighbours a Star driver might send (ESC p/q, ESC GS t,
// ESC W/h, ENQ/EOT, the other QR settings); anything else is reported as unknown, two bytes at a
// time, like the ESC/POS parser. Source: "STAR Line Mode Command Specifications" (command list, ch. 2).

import { CommandStream, done, fixed, measurePlain, need, type Measure as GenericMeasure, type SharedPrintCommand } from '../escpos-printer/command-stream.js';

export type StarCommand =
  | SharedPrintCommand
  | { op: 'multibyteMode'; on: boolean }
  | { op: 'jisMode'; on: boolean }
  | { op: 'codePage'; n: number }
  | { op: 'align'; n: number }
  | { op: 'expand'; heightN: number; widthN: number }
  | { op: 'expandWidth'; n: number }
  | { op: 'expandHeight'; n: number }
  | { op: 'cut'; n: number }
  | { op: 'qrSetting'; what: number; n: number }
  | { op: 'qrStore'; mode: number; data: Buffer }
  | { op: 'qrPrint' }
  | { op: 'statusAsb' }
  | { op: 'statusEnq' }
  | { op: 'statusEot' }
  | { op: 'ignored'; name: string };

const ESC = 0x1b, GS = 0x1d, ENQ = 0x05, EOT = 0x04, ACK = 0x06, SOH = 0x01, RS = 0x1e;

type Measure = GenericMeasure<StarCommand>;

/** Star parameters may be binary (0, 1) or ASCII digits ("0", "1"): both mean the same. */
function digit(n: number): number {
  return n >= 0x30 && n <= 0x39 ? n - 0x30 : n;
}

// ESC x with a fixed number of parameters that the simulator only skips.
const ESC_SKIP: Record<number, [string, number]> = {
  0x20: ['ESC SP ANK right space', 1], 0x30: ['ESC 0 3 mm line spacing', 0], 0x7a: ['ESC z line spacing', 1],
  0x4a: ['ESC J n/4 mm feed', 1], 0x49: ['ESC I n/8 mm feed', 1], 0x52: ['ESC R international set', 1],
  0x2f: ['ESC / slash zero', 1], 0x4d: ['ESC M 12-dot pitch', 0], 0x50: ['ESC P 15-dot pitch', 0], 0x3a: ['ESC : 16-dot pitch', 0],
  0x67: ['ESC g 14-dot pitch', 0], 0x5f: ['ESC _ upperline', 1], 0x34: ['ESC 4 inverse on', 0], 0x35: ['ESC 5 inverse off', 0],
  0x6c: ['ESC l left margin', 1], 0x51: ['ESC Q right margin', 1], 0x73: ['ESC s 2-byte char spaces', 2], 0x74: ['ESC t 1-byte char spaces', 2],
  0x0e: ['ESC SO double height on', 0], 0x14: ['ESC DC4 double height off', 0], 0x07: ['ESC BEL drawer pulse', 2],
};

function measureEscGs(buf: Buffer, at: number): Measure {
  const c = buf[at + 2];
  if (c === undefined) return need;
  switch (c) {
    case 0x61: return fixed(buf, at, 3, 1, (p) => ({ op: 'align', n: digit(p[0] ?? 0) }));
    case 0x74: return fixed(buf, at, 3, 1, (p) => ({ op: 'codePage', n: p[0] ?? 0 }));
    case 0x79: { // ESC GS y S n v | ESC GS y D 1 m nL nH d… | ESC GS y P | ESC GS y I
      const sub = buf[at + 3];
      if (sub === undefined) return need;
      if (sub === 0x53) return fixed(buf, at, 4, 2, (p) => ({ op: 'qrSetting', what: digit(p[0] ?? 0), n: p[1] ?? 0 }));
      if (sub === 0x50) return done(4, { op: 'qrPrint' });
      if (sub === 0x44) {
        if (buf.length < at + 8) return need;
        const k = (buf[at + 6] ?? 0) + 256 * (buf[at + 7] ?? 0);
        if (buf.length < at + 8 + k) return need;
        return done(8 + k, { op: 'qrStore', mode: buf[at + 5] ?? 0, data: Buffer.from(buf.subarray(at + 8, at + 8 + k)) });
      }
      return done(4, { op: 'unknown', bytes: Buffer.from(buf.subarray(at, at + 4)) });
    }
    default:
      return done(3, { op: 'unknown', bytes: Buffer.from(buf.subarray(at, at + 3)) });
  }
}

function measureEsc(buf: Buffer, at: number): Measure {
  const c = buf[at + 1];
  if (c === undefined) return need;
  switch (c) {
    case 0x40: return done(2, { op: 'init' });
    case GS: return measureEscGs(buf, at);
    case ACK: {
      const n = buf[at + 2];
      if (n === undefined) return need;
      if (n === SOH) return done(3, { op: 'statusAsb' });
      return done(2, { op: 'unknown', bytes: Buffer.from([ESC, ACK]) });
    }
    case 0x24: return fixed(buf, at, 2, 1, (p) => ({ op: 'multibyteMode', on: digit(p[0] ?? 0) === 1 }));
    case 0x70: return done(2, { op: 'jisMode', on: true });
    case 0x71: return done(2, { op: 'jisMode', on: false });
    case 0x69: return fixed(buf, at, 2, 2, (p) => ({ op: 'expand', heightN: digit(p[0] ?? 0), widthN: digit(p[1] ?? 0) }));
    case 0x57: return fixed(buf, at, 2, 1, (p) => ({ op: 'expandWidth', n: digit(p[0] ?? 0) }));
    case 0x68: return fixed(buf, at, 2, 1, (p) => ({ op: 'expandHeight', n: digit(p[0] ?? 0) }));
    case 0x45: return done(2, { op: 'bold', on: true });
    case 0x46: return done(2, { op: 'bold', on: false });
    case 0x2d: return fixed(buf, at, 2, 1, (p) => ({ op: 'underline', n: digit(p[0] ?? 0) }));
    case 0x61: return fixed(buf, at, 2, 1, (p) => ({ op: 'feedLines', n: p[0] ?? 0 }));
    case 0x64: return fixed(buf, at, 2, 1, (p) => ({ op: 'cut', n: digit(p[0] ?? 0) }));
    case RS: { // ESC RS x n: ASB setting (a), font (F), … one parameter each
      return fixed(buf, at, 3, 1, () => ({ op: 'ignored', name: `ESC RS ${String.fromCharCode(buf[at + 2] ?? 0x3f)}` }));
    }
    default: {
      const known = ESC_SKIP[c];
      if (!known) return done(2, { op: 'unknown', bytes: Buffer.from(buf.subarray(at, at + 2)) });
      const [name, params] = known;
      return fixed(buf, at, 2, params, () => ({ op: 'ignored', name }));
    }
  }
}

function measure(buf: Buffer, at: number): Measure {
  const plain = measurePlain(buf, at);
  if (plain) return plain;
  const b = buf[at] ?? 0;
  switch (b) {
    case ESC: return measureEsc(buf, at);
    case ENQ: return done(1, { op: 'statusEnq' });
    case EOT: return done(1, { op: 'statusEot' });
    default: return done(1, { op: 'ignored', name: `control 0x${b.toString(16).padStart(2, '0')}` });
  }
}

/** Feed bytes with push(); each complete command goes to the callback in order, with the bytes it took. */
export class StarLineParser extends CommandStream<StarCommand> {
  constructor(onCommand: (command: StarCommand, length: number) => void) {
    // Star Line Mode as the driver speaks it has no image data to skip in bulk.
    super(measure, onCommand, (name) => ({ op: 'ignored', name }));
  }
}
