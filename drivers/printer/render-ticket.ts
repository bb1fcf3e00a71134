// Template + ticket fields → the ESC/POS bytes of one ticket. Pure: no I/O, no clock, so a
// benchmark can time building the bytes alone. Command sources: see escpos-builder.ts.
import { EscPosBuilder } from './escpos-builder.js';
import { TemplateError } from './errors.js';
import { charColumns, wrapText } from './text-columns.js';
import { fieldValues, fillPlaceholders, isWanted, type FieldOptions } from './ticket-fields.js';
import type { TextAlign, TicketBlock, TicketTemplate } from './ticket-template.js';
import type { TicketFields } from './types.js';

/** Font A columns at size 1×1: 48 on 80 mm paper (576 dots), 32 on 58 mm (384 dots). */
export const DEFAULT_PAPER_COLUMNS = 48;
export const DEFAULT_QR_MODULE_DOTS = 6;
const DEFAULT_NUMBER_SIZE = { w: 4, h: 4 } as const;
const NORMAL_SIZE = { w: 1, h: 1 } as const;

export interface RenderOptions extends FieldOptions {
  /** Characters per line at size 1×1 (default 48). */
  columns?: number;
}

interface TextStyle {
  align: TextAlign;
  size: { w: number; h: number };
  bold: boolean;
  underline: boolean;
}

function printText(b: EscPosBuilder, text: string, style: TextStyle, columns: number): void {
  b.align(style.align).size(style.size.w, style.size.h);
  if (style.bold) b.bold(true);
  if (style.underline) b.underline(true);
  const lineColumns = Math.max(1, Math.floor(columns / style.size.w));
  for (const line of wrapText(text, lineColumns)) b.text(line).newLine();
  if (style.underline) b.underline(false);
  if (style.bold) b.bold(false);
  b.size(NORMAL_SIZE.w, NORMAL_SIZE.h).align('left');
}

function printLine(b: EscPosBuilder, char: string, columns: number): void {
  const chars = [...char];
  const first = chars[0];
  if (chars.length !== 1 || first === undefined || charColumns(first) === 0) {
    throw new TemplateError('line block', [`char must be one printable character, got ${JSON.stringify(char)}`]);
  }
  b.align('left').text(first.repeat(Math.floor(columns / charColumns(first)))).newLine();
}

/**
 * Renders one ticket. Throws TemplateError when a placeholder has no value, RangeError for
 * values outside what the printer accepts (the template schema rules these out).
 */
export function renderTicketBytes(template: TicketTemplate, fields: TicketFields, options: RenderOptions = {}): Buffer {
  const columns = options.columns ?? DEFAULT_PAPER_COLUMNS;
  if (!Number.isInteger(columns) || columns < 8) throw new RangeError(`columns must be an integer ≥ 8, got ${columns}`);
  const values = fieldValues(fields, options);
  const b = new EscPosBuilder(columns).init();
  const blocks: readonly TicketBlock[] = template.blocks;
  blocks.forEach((block, i) => {
    if (!isWanted(block.when, values)) return;
    switch (block.type) {
      case 'text':
        printText(b, fillPlaceholders(block.text, values), {
          align: block.align ?? 'left',
          size: block.size ?? NORMAL_SIZE,
          bold: block.bold ?? false,
          underline: block.underline ?? false,
        }, columns);
        break;
      case 'number':
        printText(b, fillPlaceholders(block.text ?? '{number}', values), {
          align: block.align ?? 'center',
          size: block.size ?? DEFAULT_NUMBER_SIZE,
          bold: block.bold ?? true,
          underline: false,
        }, columns);
        break;
      case 'qr':
        b.align(block.align ?? 'center')
          .qr(fillPlaceholders(block.data, values), block.size ?? DEFAULT_QR_MODULE_DOTS, block.errorCorrection ?? 'M')
          .align('left');
        break;
      case 'line':
        printLine(b, block.char ?? '-', columns);
        break;
      case 'feed':
        b.feed(block.lines);
        break;
      case 'cut':
        b.cut(block.partial ?? false);
        if (i < blocks.length - 1) b.init();
        break;
    }
  });
  return b.bytes();
}
