// What each simulated device of the demo hall runs with: its io section on the sim board and
// its role section, plus a little life (a visitor pressing a kiosk button now and then).
import type { Runtime } from '../runtime.js';
import { isSimHal } from '../../simulators/hal/sim-hal.js';
import { renderTicketText } from '../../simulators/escpos-printer/render-text.js';

export interface DemoDevice {
  io?: Record<string, unknown>;
  section: Record<string, unknown>;
  /** Starts the device's simulated visitors; returns a stop function. */
  animate?(runtime: Runtime, say: (line: string) => void, options: { visitorEveryMs: number }): () => void;
}

const KIOSK_CATEGORIES = [
  { id: 'social', name: '社保医保', nameEn: 'Social & medical insurance', prefix: 'A', priority: true },
  { id: 'housing', name: '不动产登记', nameEn: 'Real estate registration', prefix: 'B' },
  { id: 'fund', name: '住房公积金', nameEn: 'Housing provident fund', prefix: 'C' },
  { id: 'business', name: '企业开办', nameEn: 'Business registration', prefix: 'D', priority: true },
  { id: 'entry-exit', name: '出入境', nameEn: 'Exit & entry', prefix: 'E' },
  { id: 'tax', name: '税务综合', nameEn: 'Taxation', prefix: 'F', quota: 200 },
];

/** The reference server numbers the demo kiosk's categories with the same prefixes. */
export const DEMO_PREFIXES: Record<string, string> = Object.fromEntries(KIOSK_CATEGORIES.map((c) => [c.id, c.prefix]));

export const DEMO_DEVICES: Record<string, DemoDevice> = {
  sys: { section: {} },
  'ticket-printer': {
    io: {
      inputs: { 'btn-social': { pin: 'GPIO17' }, 'btn-housing': { pin: 'GPIO27' } },
      serial: { 'printer-port': { path: '/dev/ttyS-demo-printer' }, 'scanner-port': { path: '/dev/ttyS-demo-scanner' } },
      printers: { main: { serial: 'printer-port' } },
      scanners: { scan: { serial: 'scanner-port' } },
    },
    section: {
      printer: 'main',
      scanner: 'scan',
      hallName: '示范区政务服务中心',
      hallNameEn: 'Demo District Government Service Center',
      categories: KIOSK_CATEGORIES,
      buttons: [
        { input: 'btn-social', category: 'social' },
        { input: 'btn-housing', category: 'housing' },
      ],
      qrUrl: 'https://hall.example.cn/q/{hall}/{number}',
      offline: { prefix: 'K' },
      kiosk: { port: Number(process.env['HALLD_DEMO_KIOSK_PORT'] ?? 0) },
    },
    animate(runtime, say, options) {
      const hal = runtime.hal;
      if (!isSimHal(hal)) return () => undefined;
      const printer = hal.sim.printer('main');
      const off = printer.onTicket((ticket) => say(`${runtime.config.device}: printed\n${renderTicketText(ticket, { columns: 48 })}`));
      const buttons = ['btn-social', 'btn-housing'];
      let n = 0;
      const visitor = setInterval(() => {
        const button = buttons[n++ % buttons.length] as string;
        say(`visitor presses ${button} on ${runtime.config.device}`);
        hal.sim.press(button);
        setTimeout(() => hal.sim.release(button), 150).unref();
      }, options.visitorEveryMs);
      visitor.unref();
      return () => {
        clearInterval(visitor);
        off();
      };
    },
  },
};
