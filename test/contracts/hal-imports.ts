// Every HAL interface and driver the contract suites name, from one place, so a suite reads
// as a list of rules and a move of a driver module changes this file only.
export type { Clock, DigitalInput, DigitalOutput, I2cDevice, LedMatrix, LedMatrixHealth, LockBoard, LockBoardHealth, RgbFrame, Scanner, SerialLink, Speaker } from '../../drivers/hal/types.js';
export { encodePcmWav, HalError } from '../../drivers/hal/types.js';
export type { PrinterStatus, TicketPrinter } from '../../drivers/hal/ticket-printer.js';
export {
  EscPosTicketPrinter,
  PrinterNotReadyError,
  StarTicketPrinter,
  TemplateError,
  serialLinkTransport,
  validateTemplate,
  type EscPosPrinterOptions,
  type PrinterTransport,
  type StarPrinterOptions,
  type TicketFields,
  type TicketTemplate,
} from '../../drivers/printer/index.js';
export { openSerialLink } from '../../drivers/serial/serial-link.js';
export type { MonoDisplay, MonoFrame } from '../../drivers/hal/types.js';
