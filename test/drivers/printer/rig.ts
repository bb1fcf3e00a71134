// Test rig: the real ESC/POS driver over an in-memory link to the virtual printer.
import { EscPosTicketPrinter, serialLinkTransport, type EscPosPrinterOptions } from '../../../drivers/printer/index.js';
import { createMemoryLinkPair, VirtualEscPosPrinter, type VirtualPrinterOptions } from '../../../simulators/escpos-printer/index.js';

// The sample ticket and settle() belong to the printer contract; re-exported for the tests that print outside it.
export { SAMPLE_FIELDS, settle } from '../../contracts/ticket-printer.js';

export function rig(printerOptions: EscPosPrinterOptions = {}, simOptions: VirtualPrinterOptions = {}) {
  const { host, device } = createMemoryLinkPair();
  const sim = new VirtualEscPosPrinter(simOptions);
  sim.attach(device);
  const printer = new EscPosTicketPrinter(serialLinkTransport(host), printerOptions);
  return { sim, printer, host, device };
}
