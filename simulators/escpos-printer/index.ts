// The byte-level ESC/POS printer simulator: parse what the driver sends, model the paper,
// answer status, render tickets for logs (text) and eyes (PNG).
export { VirtualEscPosPrinter, type VirtualPrinterOptions, type ByteLinkEnd } from './virtual-printer.js';
export type { PrintedItem, PrintedTicket, TextItem, QrItem, FeedItem, CutItem, PrinterFaults, Align, ByteDevice } from './model.js';
export { NO_FAULTS } from './model.js';
export { EscPosParser, type EscPosCommand } from './parser.js';
export { realTimeStatusByte, transmitStatusByte, isOffline } from './status-replies.js';
export { createMemoryLinkPair, type MemoryLinkPair } from './sim-serial-cable.js';
export { attachToSerialPortMock } from './virtual-printer-serialport-mock.js';
export { asVirtualSerialDevice } from './virtual-serial-device.js';
export { renderTicketText, type TextRenderOptions } from './render-text.js';
export { renderTicketPng, type PngRenderOptions } from './render-png.js';
export { serveVirtualPrinter, type VirtualPrinterServer, type VirtualPrinterServerOptions } from './tcp-server.js';
