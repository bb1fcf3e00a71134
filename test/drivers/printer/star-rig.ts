// Test rig: the real Star Line Mode driver over an in-memory link to the virtual Star printer.
import { StarTicketPrinter, serialLinkTransport, type StarPrinterOptions } from '../../../drivers/printer/index.js';
import { createMemoryLinkPair } from '../../../simulators/escpos-printer/index.js';
import { VirtualStarPrinter, type VirtualStarPrinterOptions } from '../../../simulators/star-printer/index.js';

export function starRig(printerOptions: StarPrinterOptions = {}, simOptions: VirtualStarPrinterOptions = {}) {
  const { host, device } = createMemoryLinkPair('mem://star-printer');
  const sim = new VirtualStarPrinter(simOptions);
  sim.attach(device);
  const printer = new StarTicketPrinter(serialLinkTransport(host), printerOptions);
  return { sim, printer, host, device };
}
