// Our own BDF reader (Adobe "Glyph Bitmap Distribution Format" 2.1): FONTBOUNDINGBOX, FONT_ASCENT /
// FONT_DESCENT, and per glyph ENCODING, DWIDTH, BBX and the hex BITMAP rows. rpi-led-matrix has
// a BDF loader, but its stringWidth is wrong for CJK and it cannot run off a Pi, so measurement
// and drawing are ours and identical on the board and in the simulator.

export interface Glyph {
  /** Advance in pixels (DWIDTH x). */
  readonly advance: number;
  /** BBX: bitmap width/height and offset of its lower-left corner from the origin (y up). */
  readonly bbw: number;
  readonly bbh: number;
  readonly bbx: number;
  readonly bby: number;
  /** bbh rows, each `bytesPerRow` bytes, MSB = leftmost pixel. */
  readonly bits: Uint8Array;
  readonly bytesPerRow: number;
}

export interface BdfFont {
  readonly name: string;
  /** Pixels above the baseline / below it (FONT_ASCENT / FONT_DESCENT, else from the bounding box). */
  readonly ascent: number;
  readonly descent: number;
  readonly glyphs: ReadonlyMap<number, Glyph>;
}

export class BdfParseError extends Error {
  readonly code = 'BDF_PARSE';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
  }
}

function ints(parts: string[], from: number, count: number, lineNo: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = Number(parts[from + i]);
    if (!Number.isInteger(v)) throw new BdfParseError(`expected ${count} integers after ${parts[0] ?? ''}`, lineNo);
    out.push(v);
  }
  return out;
}

/** Parses BDF text. Glyphs with ENCODING -1 (unencoded) are skipped. */
export function parseBdf(text: string, name?: string): BdfFont {
  const lines = text.split('\n');
  if (!lines[0]?.startsWith('STARTFONT')) throw new BdfParseError('not a BDF file: no STARTFONT', 1);
  let fontName = name ?? 'bdf';
  let ascent: number | undefined;
  let descent: number | undefined;
  let bbox: number[] | undefined;
  const glyphs = new Map<number, Glyph>();

  let i = 1;
  while (i < lines.length) {
    const line = (lines[i] ?? '').trim();
    const lineNo = i + 1;
    i++;
    const sp = line.indexOf(' ');
    const key = sp < 0 ? line : line.slice(0, sp);
    if (key === 'FONT' && name === undefined) fontName = line.slice(sp + 1);
    else if (key === 'FONTBOUNDINGBOX') bbox = ints(line.split(/\s+/), 1, 4, lineNo);
    else if (key === 'FONT_ASCENT') ascent = ints(line.split(/\s+/), 1, 1, lineNo)[0];
    else if (key === 'FONT_DESCENT') descent = ints(line.split(/\s+/), 1, 1, lineNo)[0];
    else if (key === 'STARTCHAR') {
      let encoding = -1;
      let advance = 0;
      let bb: number[] | undefined;
      let bits: Uint8Array | undefined;
      let bytesPerRow = 0;
      while (i < lines.length) {
        const gl = (lines[i] ?? '').trim();
        const glNo = i + 1;
        i++;
        const parts = gl.split(/\s+/);
        const k = parts[0];
        if (k === 'ENCODING') encoding = ints(parts, 1, 1, glNo)[0] ?? -1;
        else if (k === 'DWIDTH') advance = ints(parts, 1, 1, glNo)[0] ?? 0;
        else if (k === 'BBX') bb = ints(parts, 1, 4, glNo);
        else if (k === 'BITMAP') {
          if (!bb) throw new BdfParseError('BITMAP before BBX', glNo);
          const [w = 0, h = 0] = bb;
          bytesPerRow = Math.ceil(w / 8);
          bits = new Uint8Array(bytesPerRow * h);
          for (let r = 0; r < h; r++) {
            const hex = (lines[i] ?? '').trim();
            i++;
            for (let b = 0; b < bytesPerRow; b++) {
              const v = Number.parseInt(hex.slice(b * 2, b * 2 + 2), 16);
              if (Number.isNaN(v)) throw new BdfParseError(`bad bitmap row "${hex}"`, i);
              bits[r * bytesPerRow + b] = v;
            }
          }
        } else if (k === 'ENDCHAR') break;
      }
      if (encoding >= 0 && bb && bits) {
        const [bbw = 0, bbh = 0, bbx = 0, bby = 0] = bb;
        glyphs.set(encoding, { advance, bbw, bbh, bbx, bby, bits, bytesPerRow });
      }
    } else if (key === 'ENDFONT') break;
  }
  if (!bbox) throw new BdfParseError('no FONTBOUNDINGBOX', 1);
  const [, bbH = 0, , bbY = 0] = bbox;
  return { name: fontName, ascent: ascent ?? bbH + bbY, descent: descent ?? -bbY, glyphs };
}
