// The Star Line Mode ticket printer: same TicketPrinter, templates and transports as ESC/POS.
// What is implemented and from which documents: README.md in this folder.
export { StarTicketPrinter, type StarPrinterOptions } from './star-ticket-printer.js';
export { renderStarTicketBytes } from './render-star-ticket.js';
export { StarLineBuilder } from './star-builder.js';
export { StarStatusReader, decodeStarStatus, isAsbHeader, asbLength, asbHeader, MIN_ASB_LENGTH } from './star-status.js';
export * as starCommands from './star-commands.js';
