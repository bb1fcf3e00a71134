// Opens an io.printers part: the transport its config names, under the driver of its command
// set (ESC/POS by default, Star Line Mode for `commandSet: 'star'`).
// Imported by the HAL only when a role first asks for a printer, so the printer driver (and
// iconv-lite under it) stay off the runtime's startup path.
import { EscPosTicketPrinter, StarTicketPrinter, TcpTransport, UsbLpTransport, type PrinterTransport, type TicketPrinter } from '../drivers/printer/index.js';
import type { PrinterSpec, PrinterTransportSpec } from '../drivers/hal/part-specs.js';
import { HalSerialPrinterTransport } from './printer-serial-transport.js';
import type { Clock, SerialLink } from '../drivers/hal/types.js';

export interface PrinterContext {
  /** The HAL's serial(part): opens the port, or reopens it after it closed. */
  serial(part: string): Promise<SerialLink>;
  clock: Clock;
}

async function openTransport(spec: PrinterTransportSpec, ctx: PrinterContext): Promise<PrinterTransport> {
  switch (spec.kind) {
    case 'serial': {
      const link = await ctx.serial(spec.serial);
      return new HalSerialPrinterTransport(link, () => ctx.serial(spec.serial));
    }
    case 'tcp':
      return new TcpTransport({ host: spec.host, port: spec.port }); // connects on first use
    case 'usb':
      return UsbLpTransport.open(spec.path);
  }
}

/** Rejects with the transport's HalError when it cannot be opened (serial port or usblp node missing). */
export async function openTicketPrinter(spec: PrinterSpec, ctx: PrinterContext): Promise<TicketPrinter> {
  const transport = await openTransport(spec.transport, ctx);
  const common = { name: spec.name, columns: spec.columns, statusTimeoutMs: spec.statusTimeoutMs, clock: ctx.clock };
  switch (spec.commandSet ?? 'escpos') {
    case 'star':
      return new StarTicketPrinter(transport, common); // statusQueries is DLE EOT's; ESC ACK SOH is one request
    case 'escpos':
      return new EscPosTicketPrinter(transport, { ...common, statusQueries: spec.statusQueries });
  }
}
