// The TicketPrinter contract on the ESC/POS and the Star driver, each over an in-memory link to
// its byte-level simulator, and on a real printer when HALLD_TEST_PRINTER names its serial port
// (HALLD_TEST_PRINTER_COMMAND_SET=star for a Star printer in Line Mode; paper loaded, cover shut).
import t from 'tap';
import { EscPosTicketPrinter, StarTicketPrinter, openSerialLink, serialLinkTransport, type PrinterTransport, type TicketPrinter } from './hal-imports.js';
import { createMemoryLinkPair, VirtualEscPosPrinter } from '../../simulators/escpos-printer/index.js';
import { VirtualStarPrinter } from '../../simulators/star-printer/index.js';
import { ticketPrinterContract, type ContractPrinterOptions, type PrinterUnderTest, type TicketPrinterSubject } from './ticket-printer.js';
import { hardwarePart, runIf } from './hardware-part.js';

type CommandSetFacts = Omit<TicketPrinterSubject, 'open' | 'noSimulator'>;
/** DLE EOT 1–4, one 3-byte request each; raw bytes per Epson's DLE EOT tables. */
const ESCPOS: CommandSetFacts = { requestsPerStatus: 4, bytesPerStatus: 12, firstRequestBytes: 3, firstRequestName: 'DLE EOT 1', rawFor: { paperOut: { offlineCause: 0x32, paperSensor: 0x72 }, paperLow: { paperSensor: 0x1e }, coverOpen: { offlineCause: 0x16 } } };
/** One ESC ACK SOH; raw bytes are ASB status bytes 1–4 (Star Line Mode spec, Appendix 2). */
const STAR: CommandSetFacts = { requestsPerStatus: 1, bytesPerStatus: 3, firstRequestBytes: 3, firstRequestName: 'ESC ACK SOH', rawFor: { paperOut: { printer: 0x08, paperSensor: 0x08 }, paperLow: { paperSensor: 0x04 }, coverOpen: { printer: 0x28 }, cutterError: { offlineCause: 0x08 } } };

/** The driver over an in-memory cable to a fresh simulator. */
function overMemoryLink(makePaper: () => NonNullable<PrinterUnderTest['paper']>, makePrinter: (transport: PrinterTransport, options?: ContractPrinterOptions) => TicketPrinter) {
  return async (options?: ContractPrinterOptions): Promise<PrinterUnderTest> => {
    const { host, device } = createMemoryLinkPair();
    const paper = makePaper();
    paper.attach(device);
    return { printer: makePrinter(serialLinkTransport(host), options), link: host, paper };
  };
}

t.test('ESC/POS driver on the virtual ESC/POS printer', async (t) => {
  ticketPrinterContract(t, {
    open: overMemoryLink(() => new VirtualEscPosPrinter(), (transport, options) => new EscPosTicketPrinter(transport, options)),
    ...ESCPOS,
  });
});

t.test('Star Line Mode driver on the virtual Star printer', async (t) => {
  ticketPrinterContract(t, {
    open: overMemoryLink(() => new VirtualStarPrinter(), (transport, options) => new StarTicketPrinter(transport, options)),
    ...STAR,
  });
});

const port = hardwarePart('HALLD_TEST_PRINTER', 'set HALLD_TEST_PRINTER=/dev/ttyUSB0 (and HALLD_TEST_PRINTER_BAUD, HALLD_TEST_PRINTER_COMMAND_SET=star for a Star printer) to print on a real printer');
const star = process.env['HALLD_TEST_PRINTER_COMMAND_SET'] === 'star';

t.test('a real printer (HALLD_TEST_PRINTER)', runIf(port), async (t) => {
  ticketPrinterContract(t, {
    open: async (options?: ContractPrinterOptions): Promise<PrinterUnderTest> => {
      const link = await openSerialLink({ name: 'printer', path: port.value ?? '', baudRate: Number(process.env['HALLD_TEST_PRINTER_BAUD'] ?? 9600) });
      t.teardown(() => link.close());
      const transport = serialLinkTransport(link);
      return { printer: star ? new StarTicketPrinter(transport, options) : new EscPosTicketPrinter(transport, options), link };
    },
    ...(star ? STAR : ESCPOS),
    noSimulator: 'needs the simulator to read the paper or inject a fault',
  });
});
