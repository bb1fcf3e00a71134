// Template blocks → calls on a command-set builder. Shared by the ESC/POS renderer
// (render-ticket.ts) and the Star Line Mode renderer (star/render-star-ticket.ts): placeholders,
// `when`, wrapping and the default sizes are the same on both; only the bytes differ, and those
// are the builder's business. Pure: no I/O, no clock.
import { TemplateError } from '../hal/ticket-printer.js';
import { charColumns, wrapText } from './text-columns.js';
import { fieldValues, fillPlaceholders, isWanted, type FieldOptions } from './ticket-fields.js';
import type { TextAlign, TicketBlock, TicketTemplate } from '../hal/ticket-template.js';
import type { TicketFields } from '../hal/ticket-printer.js';

/** Font A columns at size 1×1: 48 on 80 mm paper (576 dots), 32 on 58 mm (384 dots). */
export const DEFAULT_PAPER_COLUMNS = 48;
export const DEFAULT_QR_MODULE_DOTS = 6;
const DEFAULT_NUMBER_SIZE = { w: 4, h: 4 } as const;
const NORMAL_SIZE = { w: 1, h: 1 } as const;

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface RenderOptions extends FieldOptions {
  /** Characters per line at size 1×1 (default 48). */
  columns?: number;
}

/**
 * What a command set must offer the block walker. Each call appends bytes; a builder may skip
 * a mode command that would not change anything. `init()` resets modes to the ticket's start.
 */
export interface TicketBuilder {
  init(): this;
  align(align: TextAlign): this;
  /** Magnification as the template gives it (1–8); a builder whose printer tops out lower clamps. */
  size(widthTimes: number, heightTimes: number): this;
  bold(on: boolean): this;
  underline(on: boolean): this;
  /** Text without a line feed. */
  text(text: string): this;
  newLine(): this;
  feed(lines: number): this;
  qr(data: string, moduleDots: number, errorCorrection: QrErrorCorrection): this;
  cut(partial: boolean): this;
}

export interface WalkOptions {
  /**
   * Largest width magnification the printer really applies (ESC/POS GS !: 8; Star ESC i: 6).
   * Wrapping uses min(size.w, this), so a clamped 8× line still fills the paper.
   */
  maxWidthMagnification?: number;
}

interface TextStyle {
  align: TextAlign;
  size: { w: number; h: number };
  bold: boolean;
  underline: boolean;
}

function printText(b: TicketBuilder, text: string, style: TextStyle, columns: number, maxWidth: number): void {
  b.align(style.align).size(style.size.w, style.size.h);
  if (style.bold) b.bold(true);
  if (style.underline) b.underline(true);
  const lineColumns = Math.max(1, Math.floor(columns / Math.min(style.size.w, maxWidth)));
  for (const line of wrapText(text, lineColumns)) b.text(line).newLine();
  if (style.underline) b.underline(false);
  if (style.bold) b.bold(false);
  b.size(NORMAL_SIZE.w, NORMAL_SIZE.h).align('left');
}

function printLine(b: TicketBuilder, char: string, columns: number): void {
  const chars = [...char];
  const first = chars[0];
  if (chars.length !== 1 || first === undefined || charColumns(first) === 0) {
    throw new TemplateError('line block', [`char must be one printable character, got ${JSON.stringify(char)}`]);
  }
  b.align('left').text(first.repeat(Math.floor(columns / charColumns(first)))).newLine();
}

/** Checks `columns` and returns it (default 48). */
export function paperColumns(options: RenderOptions): number {
  const columns = options.columns ?? DEFAULT_PAPER_COLUMNS;
  if (!Number.isInteger(columns) || columns < 8) throw new RangeError(`columns must be an integer ≥ 8, got ${columns}`);
  return columns;
}

/**
 * Walks the template's blocks onto a builder that has already been init()ed. Throws
 * TemplateError when a placeholder has no value; the builder throws RangeError for values
 * outside what its printer accepts.
 */
export function walkTicketBlocks(
  b: TicketBuilder,
  template: TicketTemplate,
  fields: TicketFields,
  options: RenderOptions,
  walk: WalkOptions = {},
): void {
  const columns = paperColumns(options);
  const maxWidth = walk.maxWidthMagnification ?? Number.POSITIVE_INFINITY;
  const values = fieldValues(fields, options);
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
        }, columns, maxWidth);
        break;
      case 'number':
        printText(b, fillPlaceholders(block.text ?? '{number}', values), {
          align: block.align ?? 'center',
          size: block.size ?? DEFAULT_NUMBER_SIZE,
          bold: block.bold ?? true,
          underline: false,
        }, columns, maxWidth);
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
}
