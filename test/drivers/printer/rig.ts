// Test rig: the real ESC/POS driver over an in-memory link to the virtual printer.
import { EscPosTicketPrinter, serialLinkTransport, type EscPosPrinterOptions, type TicketFields } from '../../../drivers/printer/index.js';
import { createMemoryLinkPair, VirtualEscPosPrinter, type VirtualPrinterOptions } from '../../../simulators/escpos-printer/index.js';

export const SAMPLE_FIELDS: TicketFields = {
  number: 'A023',
  category: '社保业务·𠮷',
  categoryEn: 'Social Security',
  waiting: 5,
  window: '3号窗口',
  // 2024-05-06 01:05:03 UTC = 09:05:03 in Shanghai
  issuedAtMs: Date.UTC(2024, 4, 6, 1, 5, 3),
  qrUrl: 'https://zwfw.example.cn/取号?id=A023&类别=社保',
  hallName: '某某区政务服务中心',
};

export function rig(printerOptions: EscPosPrinterOptions = {}, simOptions: VirtualPrinterOptions = {}) {
  const { host, device } = createMemoryLinkPair();
  const sim = new VirtualEscPosPrinter(simOptions);
  sim.attach(device);
  const printer = new EscPosTicketPrinter(serialLinkTransport(host), printerOptions);
  return { sim, printer, host, device };
}

/** Lets queued deliveries (microtasks) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
