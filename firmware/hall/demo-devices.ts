// What each simulated device of the demo hall runs with: its io section on the sim board and
// its role section, plus a little life (a visitor pressing a kiosk button now and then).
import type { Runtime } from '../runtime.js';
import { isSimHal } from '../../simulators/hal/sim-hal.js';
import { renderTicketText } from '../../simulators/escpos-printer/render-text.js';
import type { ReferenceServer } from '../../simulators/hall/reference-server.js';
import type { StaffCommand } from '../../protocol/evaluator.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { hashPickupCode } from '../../protocol/locker-code.js';

export interface DemoDevice {
  io?: Record<string, unknown>;
  section: Record<string, unknown>;
  /**
   * The devices of this role in the demo hall, by id, each with what it has beyond io and
   * section above (merged over them, one level deep); default: one device `<role>-1`.
   */
  devices?: Record<string, { io?: Record<string, unknown>; section?: Record<string, unknown> }>;
  /** Starts the device's simulated visitors; returns a stop function. */
  animate?(runtime: Runtime, say: (line: string) => void, options: { visitorEveryMs: number; citizenMs: number; server: ReferenceServer }): () => void;
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

const GUIDE = ['办理完成后，请在本屏幕上对本次服务进行评价。', '选择“不满意”或“非常不满意”时，请选择原因。', '您的评价将实名上传至政务服务好差评系统。'];

/** Who serves at each window, by the evaluator facing it (sent by the reference server with cmd `staff`). */
export const DEMO_WINDOWS: Record<string, StaffCommand> = {
  'evaluator-1': { name: '王丽', number: 'SF-0315', window: '1号窗口', starLevel: 5, matters: ['社保医保', '住房公积金'], guide: GUIDE },
  'evaluator-2': { name: '李明', number: 'SF-0422', window: '2号窗口', starLevel: 4, matters: ['不动产登记', '税务综合'], guide: GUIDE },
  'evaluator-3': { name: '张伟', number: 'SF-0508', window: '3号窗口', matters: ['企业开办', '出入境'], guide: GUIDE },
};

const LEVELS = [5, 4, 3, 2, 1] as const;

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
  evaluator: {
    io: {
      inputs: Object.fromEntries(LEVELS.map((l, i) => [`btn-${l}`, { pin: `GPIO${5 + i}` }])),
      outputs: Object.fromEntries(LEVELS.map((l, i) => [`led-${l}`, { pin: `GPIO${20 + i}` }])),
    },
    section: {
      page: { port: Number(process.env['HALLD_DEMO_EVALUATOR_PORT'] ?? 0) },
      ratingTimeoutMs: 120_000,
      buttons: LEVELS.map((level) => ({ input: `btn-${level}`, level, items: level <= 2 ? ['efficiency'] : [] })),
      leds: LEVELS.map((level) => ({ output: `led-${level}`, level })),
    },
    // One evaluator per window. Window 3's is a button box with a small OLED and no touch screen.
    devices: {
      'evaluator-1': {},
      'evaluator-2': { section: { page: { port: 0 } } },
      'evaluator-3': {
        io: { i2c: { oled: { address: 0x3c } }, displays: { status: { i2c: 'oled' } } },
        section: { page: { enabled: false }, display: 'status' },
      },
    },
    /** A simulated citizen presses a level button a while after each request (time enough for a person to rate on the page first). */
    animate(runtime, say, options) {
      const hal = runtime.hal;
      if (!isSimHal(hal)) return () => undefined;
      const device = runtime.config.device;
      const pending = new Set<NodeJS.Timeout>();
      let lastCase: unknown = null;
      let n = 0;
      const off = options.server.client.onState((from, role, state) => {
        if (from !== device || role !== 'evaluator') return;
        const caseId = state.data['screen'] === 'rating' ? state.data['case'] : null;
        if (caseId === lastCase) return;
        lastCase = caseId;
        if (caseId === null) return;
        const button = `btn-${[5, 4, 5, 3, 4, 2][n++ % 6] ?? 5}`;
        const press = setTimeout(() => {
          pending.delete(press);
          say(`citizen presses ${button} on ${device}`);
          hal.sim.press(button);
          setTimeout(() => hal.sim.release(button), 150).unref();
        }, options.citizenMs);
        press.unref();
        pending.add(press);
      });
      return () => {
        off();
        for (const p of pending) clearTimeout(p);
      };
    },
  },
  caller: {
    io: {
      inputs: { 'key-next': { pin: 'GPIO16' }, 'key-recall': { pin: 'GPIO19' } },
      matrices: { win: { rows: 16, cols: 64, chain: 2 }, hall: { rows: 32, cols: 64, chain: 2 } },
    },
    section: {
      window: '5',
      panels: { window: 'win', hall: ['hall'] },
      keys: { next: 'key-next', recall: 'key-recall' },
      voice: { repeat: 1 },
      page: { enabled: true, port: Number(process.env['HALLD_DEMO_CALLER_PORT'] ?? 0) },
    },
    /** The server calls each ticket the kiosk issues to window 5 a moment later; the panels' frames go to PNG files a person can look at. */
    animate(runtime, say, options) {
      const hal = runtime.hal;
      if (!isSimHal(hal)) return () => undefined;
      const device = runtime.config.device;
      const dir = join(runtime.config.dataDir, 'panels');
      const pending = new Set<NodeJS.Timeout>();
      let told = false;
      const writeFrames = async () => {
        await mkdir(dir, { recursive: true });
        for (const panel of ['win', 'hall']) await hal.sim.matrix(panel).writePng(join(dir, `${panel}.png`));
        if (!told) say(`${device}: LED panel frames in ${join(dir, 'win.png')} and hall.png (rewritten at every call)`);
        told = true;
      };
      const off = options.server.client.onEventOf('ticket-printer', 'ticket.issued', (data) => {
        const call = setTimeout(() => {
          pending.delete(call);
          options.server.client
            .command(device, 'caller/call', { ticket: data.number, window: '5' }, { timeoutMs: 5_000 })
            .then(async (ack) => {
              say(`${device}: call ${data.number} to window 5: ${ack.ok ? `ok, announcing "${String(ack.data?.['text'])}"` : ack.error.code}`);
              await writeFrames();
            })
            .catch((err: unknown) => say(`${device}: call ${data.number}: ${(err as Error).message}`));
        }, options.citizenMs / 2);
        call.unref();
        pending.add(call);
      });
      return () => {
        off();
        for (const p of pending) clearTimeout(p);
      };
    },
  },
  locker: {
    io: {
      serial: { rs485: { path: '/dev/ttyS-demo-rs485', baudRate: 9600 } },
      lockBoards: { 'cab-a': { serial: 'rs485', protocol: '8a80', address: 1, locks: 12 } },
    },
    section: {
      doors: Array.from({ length: 12 }, (_, i) => ({ door: i + 1, board: 'cab-a', lock: i + 1, size: (['S', 'S', 'M', 'M', 'M', 'M', 'L', 'L', 'L', 'XL', 'XL', 'XL'] as const)[i] })),
      leftOpenAfterMs: 60_000,
      maxCodeTries: 5,
      lockoutMs: 300_000,
      // The demo runs a whole hall in one process beside whatever else the machine does: room
      // for the reference server's N=16384 deposit on a busy laptop (a cabinet keeps 250 ms).
      scryptBudgetMs: 2_000,
      page: { port: Number(process.env['HALLD_DEMO_LOCKER_PORT'] ?? 0) },
    },
    /**
     * Once the cabinet is up, the server deposits a certificate and logs its pickup code, so a
     * person can pick it up on the cabinet's page; a simulated citizen shuts each door a while
     * after it opened.
     */
    animate(runtime, say, options) {
      const hal = runtime.hal;
      if (!isSimHal(hal)) return () => undefined;
      const device = runtime.config.device;
      const board = hal.sim.lockBoard('cab-a');
      const pending = new Set<NodeJS.Timeout>();
      let deposited = false;
      const deposit = async (): Promise<void> => {
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        const depositId = `demo-${Date.now().toString(36)}`;
        const now = Date.now();
        const ack = await options.server.client.command(device, 'locker/deposit', {
          door: 3,
          depositId,
          ...(await hashPickupCode(code)),
          expiresAt: now + 7 * 86_400_000,
          overdueAt: now + 3 * 86_400_000,
          kind: 'certificate',
        });
        say(ack.ok ? `${device}: certificate ${depositId} deposited in door 3; pickup code ${code} (type it on the cabinet page)` : `${device}: deposit refused: ${ack.error.message}`);
      };
      const offState = options.server.client.onState((from, role) => {
        if (from !== device || role !== 'locker' || deposited) return;
        deposited = true;
        deposit().catch((err: unknown) => say(`${device}: deposit failed: ${(err as Error).message}`));
      });
      const offEvents = options.server.client.onEvent((e) => {
        if (e.device !== device || e.role !== 'locker' || e.name !== 'door.opened') return;
        const door = e.message.data['door'];
        if (typeof door !== 'number') return;
        const close = setTimeout(() => {
          pending.delete(close);
          say(`citizen closes door ${door} of ${device}`);
          board.closeDoor(door);
        }, options.citizenMs);
        close.unref();
        pending.add(close);
      });
      return () => {
        offState();
        offEvents();
        for (const p of pending) clearTimeout(p);
      };
    },
  },
};
