// A printed ticket as plain text for logs and test failure messages: a framed receipt, the
// big number drawn as a banner with the 5×7 font.
import { glyphPixel, glyphRows, GLYPH_HEIGHT_PX, GLYPH_WIDTH_PX } from './font-5x7.js';
import type { Align, PrintedItem, PrintedTicket } from './model.js';
import { hardWrap, paperColumns, terminalColumns, width } from './text-width.js';

export interface TextRenderOptions {
  /** Paper width in font-A columns (48 for 80 mm, 32 for 58 mm). */
  columns?: number;
}

const BANNER_MIN_MAGNIFICATION = 3;

function place(text: string, align: Align, columns: number): string {
  const free = Math.max(0, columns - width(text, terminalColumns));
  const left = align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0;
  return ' '.repeat(left) + text + ' '.repeat(free - left);
}

/** ASCII text in 5×7 glyphs made of '#'; null if it has other characters or does not fit. */
function banner(text: string, columns: number): string[] | null {
  const glyphs = [...text].map(glyphRows);
  if (glyphs.some((g) => g === null) || text.length * (GLYPH_WIDTH_PX + 1) > columns) return null;
  const rows: string[] = [];
  for (let y = 0; y < GLYPH_HEIGHT_PX; y++) {
    rows.push(glyphs.map((g) => [...Array(GLYPH_WIDTH_PX).keys()].map((x) => (g && glyphPixel(g, x, y) ? '#' : ' ')).join('') + ' ').join('').trimEnd());
  }
  while (rows.length > 0 && rows[rows.length - 1]?.trim() === '') rows.pop();
  return rows;
}

function itemLines(item: PrintedItem, columns: number): Array<{ text: string; align: Align }> {
  switch (item.type) {
    case 'text': {
      if (item.w >= BANNER_MIN_MAGNIFICATION || item.h >= BANNER_MIN_MAGNIFICATION) {
        const rows = banner(item.text, columns);
        if (rows) {
          const blockWidth = Math.max(...rows.map((r) => r.length));
          return rows.map((r) => ({ text: r.padEnd(blockWidth), align: item.align }));
        }
      }
      const perLine = Math.max(1, Math.floor(columns / item.w));
      return hardWrap(item.text, perLine, paperColumns).map((text) => ({ text, align: item.align }));
    }
    case 'qr':
      return hardWrap(`[QR ${item.moduleDots}/${item.errorCorrection}] ${item.data}`, columns, paperColumns).map((text) => ({ text, align: item.align }));
    case 'feed':
      return Array.from({ length: item.lines }, () => ({ text: '', align: 'left' as const }));
    case 'cut':
      return [];
  }
}

/** A framed receipt. Accepts a cut ticket or loose items (e.g. pendingItems()). */
export function renderTicketText(ticket: PrintedTicket | readonly PrintedItem[], options: TextRenderOptions = {}): string {
  const columns = options.columns ?? 48;
  const items = 'items' in ticket ? ticket.items : ticket;
  const out = [`+${'-'.repeat(columns)}+`];
  for (const item of items) {
    for (const { text, align } of itemLines(item, columns)) out.push(`|${place(text, align, columns)}|`);
  }
  out.push(`+${'-'.repeat(columns)}+`);
  if ('items' in ticket) out.push(`${ticket.partialCut ? '~ partial cut ' : '~ cut '}`.padEnd(columns + 2, '~'));
  return out.join('\n');
}
