// Every HAL interface and driver the contract suites name, from one place: the hal helper is
// moving drivers/hal/* into an assembly layer, and this is the one file to repoint at merge.
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
