// The byte-level Star Line Mode printer simulator: parse what the Star driver sends into the
// ESC/POS simulator's PrintedItem model (render it with renderTicketText / renderTicketPng from
// simulators/escpos-printer), answer ESC ACK SOH / ENQ / EOT from injected faults.
export { VirtualStarPrinter, type VirtualStarPrinterOptions } from './virtual-printer.js';
export { StarLineParser, type StarCommand } from './parser.js';
export { asbReply, enqReply, eotReply, ASB_LENGTH } from './status-replies.js';
export { asVirtualSerialDevice as asVirtualStarSerialDevice } from './virtual-serial-device.js';
export {
  serveVirtualStarPrinter,
  type ByteDevice,
  type VirtualStarPrinterServer,
  type VirtualStarPrinterServerOptions,
} from './tcp-server.js';
