// The ticket-printer driver's public surface (with the interface and its errors from drivers/hal).
export type { TicketPrinter, PrinterStatus, PrinterFault, TicketDocument, TicketFields } from '../hal/ticket-printer.js';
export { PrinterNotReadyError, TemplateError } from '../hal/ticket-printer.js';
export type { PrinterTransport } from './transport.js';
export { serialLinkTransport } from './serial-transport.js';
export { TcpTransport, RAW_PRINT_PORT, type TcpTransportOptions } from './tcp-transport.js';
export { UsbLpTransport, DEFAULT_USB_PRINTER_PATH, type UsbLpTransportOptions } from './usb-lp-transport.js';
export { EscPosTicketPrinter, type EscPosPrinterOptions, type PrinterLogger } from './escpos-ticket-printer.js';
export { renderTicketBytes, DEFAULT_PAPER_COLUMNS, type RenderOptions } from './render-ticket.js';
export {
  TicketTemplateSchema,
  validateTemplate,
  type TicketTemplate,
  type TicketBlock,
  type TextAlign,
} from '../hal/ticket-template.js';
export { DEFAULT_TICKET_TEMPLATE } from './default-template.js';
export { fieldValues, fillPlaceholders, formatLocalDateTime, DEFAULT_TIME_ZONE, DEFAULT_OFFLINE_MARKER } from './ticket-fields.js';
export { decodeStatus, isStatusByte, type StatusReplies } from './status-decoder.js';
export { StatusReader, DEFAULT_STATUS_TIMEOUT_MS } from './status-reader.js';
export { wrapText, textColumns, charColumns } from './text-columns.js';
export { encodeGb18030 } from './gb18030.js';
export * as escpos from './escpos-commands.js';
export { walkTicketBlocks, type TicketBuilder, type WalkOptions } from './render-blocks.js';
export {
  StarTicketPrinter,
  type StarPrinterOptions,
  renderStarTicketBytes,
  StarLineBuilder,
  StarStatusReader,
  decodeStarStatus,
  starCommands,
} from './star/index.js';
