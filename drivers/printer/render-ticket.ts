// Template + ticket fields → the ESC/POS bytes of one ticket. Pure: no I/O, no clock, so a
// benchmark can time building the bytes alone. Command sources: see escpos-builder.ts; the
// block walking (placeholders, wrapping, default sizes) is shared with Star: render-blocks.ts.
import { EscPosBuilder } from './escpos-builder.js';
import { paperColumns, walkTicketBlocks, type RenderOptions } from './render-blocks.js';
import type { TicketTemplate } from '../hal/ticket-template.js';
import type { TicketFields } from '../hal/ticket-printer.js';

export { DEFAULT_PAPER_COLUMNS, DEFAULT_QR_MODULE_DOTS, type RenderOptions } from './render-blocks.js';

/**
 * Renders one ticket. Throws TemplateError when a placeholder has no value, RangeError for
 * values outside what the printer accepts (the template schema rules these out).
 */
export function renderTicketBytes(template: TicketTemplate, fields: TicketFields, options: RenderOptions = {}): Buffer {
  const b = new EscPosBuilder(paperColumns(options)).init();
  walkTicketBlocks(b, template, fields, options);
  return b.bytes();
}
