// Template + ticket fields → the Star Line Mode bytes of one ticket. Pure, like
// render-ticket.ts, and the same block walking (render-blocks.ts): only the builder differs.
import { paperColumns, walkTicketBlocks, type RenderOptions } from '../render-blocks.js';
import type { TicketTemplate } from '../../hal/ticket-template.js';
import type { TicketFields } from '../../hal/ticket-printer.js';
import { MAX_STAR_MAGNIFICATION } from './star-commands.js';
import { StarLineBuilder } from './star-builder.js';

/**
 * Renders one ticket for a printer in Star Line Mode. Throws TemplateError when a placeholder
 * has no value, RangeError for values outside what the template schema allows. Sizes above 6×
 * print at 6× and QR cells above 8 dots at 8 (the command set's limits); wrapping knows that.
 */
export function renderStarTicketBytes(template: TicketTemplate, fields: TicketFields, options: RenderOptions = {}): Buffer {
  paperColumns(options);
  const b = new StarLineBuilder().init();
  walkTicketBlocks(b, template, fields, options, { maxWidthMagnification: MAX_STAR_MAGNIFICATION });
  return b.bytes();
}
