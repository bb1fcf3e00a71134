// A printed ticket as a PNG (pngjs), at the printer's own resolution: font A cells are 12×24
// dots, 48 columns = 576 dots on 80 mm paper (Epson TM-T88 / common 203 dpi kiosk printers).
// ASCII is drawn with the 5×7 font stretched to the cell; a full-width character (CJK) is
// drawn as a framed block with a pattern taken from its code point — legible as layout, not
// as Chinese. A QR code is the real symbol, encoded with the `qrcode` library from the bytes
// the printer stored (byte mode), at the error-correction level and module size the commands
// set, with a 4-module quiet zone: a phone or zbarimg reads it like the printed one. (Model 1,
// which no ticket of ours asks for, is drawn as model 2: the library has only model 2.)
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { glyphPixel, glyphRows, GLYPH_HEIGHT_PX, GLYPH_WIDTH_PX } from './font-5x7.js';
import type { Align, PrintedItem, PrintedTicket, QrItem, TextItem } from './model.js';
import { hardWrap, paperColumns, width } from './text-width.js';

export interface PngRenderOptions {
  columns?: number;
}

const CELL_WIDTH_DOTS = 12;
const CELL_HEIGHT_DOTS = 24;
const LINE_GAP_DOTS = 6;
const MARGIN_DOTS = 16;
/** ISO/IEC 18004 §9.1: the quiet zone around a symbol is 4 modules wide. */
const QR_QUIET_ZONE_MODULES = 4;

type Op = { height: number; draw: (canvas: Canvas, top: number) => void };

class Canvas {
  readonly png: PNG;
  constructor(readonly width: number, readonly height: number) {
    this.png = new PNG({ width, height });
    this.png.data.fill(0xff);
  }
  dot(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.png.data[i] = 0;
    this.png.data[i + 1] = 0;
    this.png.data[i + 2] = 0;
  }
  rect(x: number, y: number, w: number, h: number): void {
    for (let dy = 0; dy < h; dy++) for (let dx = 0; dx < w; dx++) this.dot(x + dx, y + dy);
  }
  frame(x: number, y: number, w: number, h: number, t: number): void {
    this.rect(x, y, w, t);
    this.rect(x, y + h - t, w, t);
    this.rect(x, y, t, h);
    this.rect(x + w - t, y, t, h);
  }
}

function startX(contentWidth: number, align: Align, paperWidth: number): number {
  const free = Math.max(0, paperWidth - contentWidth);
  return MARGIN_DOTS + (align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0);
}

function drawChar(c: Canvas, char: string, x: number, y: number, w: number, h: number, bold: boolean): number {
  const cols = paperColumns(char);
  const cellW = CELL_WIDTH_DOTS * w * cols;
  const cellH = CELL_HEIGHT_DOTS * h;
  const rows = glyphRows(char);
  if (rows) {
    const sx = 2 * w;
    const sy = 3 * h;
    const ox = x + Math.floor((cellW - GLYPH_WIDTH_PX * sx) / 2);
    const oy = y + Math.floor((cellH - GLYPH_HEIGHT_PX * sy) / 2);
    for (let gy = 0; gy < GLYPH_HEIGHT_PX; gy++) {
      for (let gx = 0; gx < GLYPH_WIDTH_PX; gx++) {
        if (!glyphPixel(rows, gx, gy)) continue;
        c.rect(ox + gx * sx, oy + gy * sy, sx + (bold ? 1 : 0), sy);
      }
    }
  } else if (cols === 2) {
    const inset = 2 * Math.min(w, h);
    const t = bold ? 3 : 2;
    c.frame(x + inset, y + inset, cellW - 2 * inset, cellH - 2 * inset, t);
    const cp = char.codePointAt(0) ?? 0;
    const gridW = (cellW - 4 * inset) / 4;
    const gridH = (cellH - 4 * inset) / 4;
    for (let bit = 0; bit < 16; bit++) {
      if (((cp >> bit) & 1) === 0) continue;
      c.rect(x + 2 * inset + Math.floor((bit % 4) * gridW), y + 2 * inset + Math.floor(Math.floor(bit / 4) * gridH), Math.ceil(gridW / 2), Math.ceil(gridH / 2));
    }
  }
  return cellW;
}

function textOps(item: TextItem, columns: number): Op[] {
  const perLine = Math.max(1, Math.floor(columns / item.w));
  return hardWrap(item.text, perLine, paperColumns).map((line) => ({
    height: CELL_HEIGHT_DOTS * item.h + LINE_GAP_DOTS,
    draw: (c, top) => {
      let x = startX(width(line, paperColumns) * CELL_WIDTH_DOTS * item.w, item.align, columns * CELL_WIDTH_DOTS);
      const x0 = x;
      for (const char of line) x += drawChar(c, char, x, top, item.w, item.h, item.bold);
      if (item.underline) c.rect(x0, top + CELL_HEIGHT_DOTS * item.h, x - x0, 2);
    },
  }));
}

/** The symbol a printer would draw for the stored bytes, or why it would draw none. */
function qrModules(item: QrItem): QRCode.BitMatrix | Error {
  try {
    return QRCode.create([{ data: item.bytes, mode: 'byte' }], { errorCorrectionLevel: item.errorCorrection }).modules;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function qrOps(item: QrItem, columns: number): Op[] {
  const modules = qrModules(item);
  if (modules instanceof Error) {
    // A real printer prints nothing for a payload its QR encoder refuses; say so on the paper image.
    return textOps({ type: 'text', text: `[QR not printable: ${modules.message}]`, align: item.align, w: 1, h: 1, bold: false, underline: false, chinese: false }, columns);
  }
  const dots = Math.max(1, item.moduleDots);
  const quiet = QR_QUIET_ZONE_MODULES * dots;
  const side = modules.size * dots;
  return [
    {
      height: side + 2 * quiet,
      draw: (c, top) => {
        const left = startX(side + 2 * quiet, item.align, columns * CELL_WIDTH_DOTS) + quiet;
        for (let row = 0; row < modules.size; row++) {
          for (let col = 0; col < modules.size; col++) {
            if (modules.get(row, col)) c.rect(left + col * dots, top + quiet + row * dots, dots, dots);
          }
        }
      },
    },
  ];
}

function itemOps(item: PrintedItem, columns: number): Op[] {
  switch (item.type) {
    case 'text':
      return textOps(item, columns);
    case 'qr':
      return qrOps(item, columns);
    case 'feed':
      return [{ height: item.lines * (CELL_HEIGHT_DOTS + LINE_GAP_DOTS), draw: () => undefined }];
    case 'cut':
      return [];
  }
}

/** Renders a ticket (or loose items) to PNG bytes. */
export function renderTicketPng(ticket: PrintedTicket | readonly PrintedItem[], options: PngRenderOptions = {}): Buffer {
  const columns = options.columns ?? 48;
  const items = 'items' in ticket ? ticket.items : ticket;
  const ops = items.flatMap((item) => itemOps(item, columns));
  const cutMarkHeight = 'items' in ticket ? 8 : 0;
  const widthDots = columns * CELL_WIDTH_DOTS + 2 * MARGIN_DOTS;
  const heightDots = MARGIN_DOTS * 2 + ops.reduce((sum, op) => sum + op.height, 0) + cutMarkHeight;
  const canvas = new Canvas(widthDots, heightDots);
  let top = MARGIN_DOTS;
  for (const op of ops) {
    op.draw(canvas, top);
    top += op.height;
  }
  if (cutMarkHeight > 0) {
    for (let x = 0; x < widthDots; x += 12) canvas.rect(x, heightDots - 4, 6, 2);
  }
  return PNG.sync.write(canvas.png);
}
