// The byte-level Star Line Mode printer simulator: parse what the Star driver sends into the
// ESC/POS simulator's PrintedItem model (render it with renderTicketText / renderTicketPng from
// simulators/escpos-printer), answer ESC ACK SOH / ENQ / EOT from injected faults.
export { VirtualStarPrinter, type VirtualStarPrinterOptions } from './virtual-printer.js';
export { StarLineParser, type StarCommand } from './parser.js';
export { asbReply, enqReply, eotReply, ASB_LENGTH } from './status-replies.js';
// The byte pipes are the ESC/POS simulator's: they take any ByteDevice.
export { asVirtualSerialDevice as asVirtualStarSerialDevice } from '../escpos-printer/virtual-serial-device.js';
export {
  serveVirtualPrinter as serveVirtualStarPrinter,
  type VirtualPrinterServer as VirtualStarPrinterServer,
  type VirtualPrinterServerOptions as VirtualStarPrinterServerOptions,
} from '../escpos-printer/tcp-server.js';
export type { ByteDevice } from '../escpos-printer/model.js';
