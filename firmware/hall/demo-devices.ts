// What each simulated device of the demo hall runs with: its io section on the sim board and
// its role section, plus the people around it on the injected timers: visitors taking tickets,
// citizens rating at the windows (a low rating with a reason drawn from the content), a visitor
// picking up the cabinet's deposit with its code, and the panels' and OLED's pictures as PNGs.
import type { Runtime } from '../runtime.js';
import { isSimHal } from '../../simulators/hal/sim-hal.js';
import { renderTicketText } from '../../simulators/escpos-printer/render-text.js';
import type { ReferenceServer } from '../../simulators/hall/reference-server.js';
import type { StaffCommand } from '../../protocol/evaluator.js';
import type { Role } from '../../protocol/topics.js';
import type { TimerHandle, Timers } from '../../drivers/clock/timers.js';
import type { Clock } from '../../drivers/hal/types.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { hashPickupCode } from '../../protocol/locker-code.js';
import { DEFAULT_CONTENT } from '../roles/evaluator/config.js';

/** What the people of the demo hall act on. */
export interface DemoContext {
  visitorEveryMs: number;
  citizenMs: number;
  server: ReferenceServer;
  timers: Timers;
  clock: Clock;
  /** Tells the banner of a picture file the device keeps up to date. */
  files(line: string): void;
}

export interface DemoDevice {
  io?: Record<string, unknown>;
  section: Record<string, unknown>;
  /**
   * The devices of this role in the demo hall, by id, each with what it has beyond io and
   * section above (merged over them, one level deep); default: one device `<role>-1`.
   */
  devices?: Record<string, { io?: Record<string, unknown>; section?: Record<string, unknown> }>;
  /** Starts the device's simulated visitors; returns a stop function. */
  animate?(runtime: Runtime, say: (line: string) => void, ctx: DemoContext): () => void;
}

/** Timers of one animation, all cleared by its stop function. */
function later(ctx: DemoContext) {
  const pending = new Set<TimerHandle>();
  return {
    after(ms: number, fn: () => void): void {
      const h = ctx.timers.setTimeout(() => {
        pending.delete(h);
        fn();
      }, ms);
      pending.add(h);
    },
    clear(): void {
      for (const h of pending) ctx.timers.clearTimeout(h);
      pending.clear();
    },
  };
}

function pick<T>(items: readonly T[]): T {
  return items[randomInt(0, items.length)] as T;
}

/** A low level's reason, drawn from the rating content as a citizen would choose one. */
function reasonFor(level: number): string[] {
  const items = DEFAULT_CONTENT.levels[String(level) as keyof typeof DEFAULT_CONTENT.levels];
  return items.length > 0 ? [pick(items).id] : [];
}

export const DEMO_CATEGORIES = [
  { id: 'social', name: '社保医保', nameEn: 'Social & medical insurance', prefix: 'A', priority: true },
  { id: 'housing', name: '不动产登记', nameEn: 'Real estate registration', prefix: 'B' },
  { id: 'fund', name: '住房公积金', nameEn: 'Housing provident fund', prefix: 'C' },
  { id: 'business', name: '企业开办', nameEn: 'Business registration', prefix: 'D', priority: true },
  { id: 'entry-exit', name: '出入境', nameEn: 'Exit & entry', prefix: 'E' },
  { id: 'tax', name: '税务综合', nameEn: 'Taxation', prefix: 'F', quota: 200 },
];

/** The reference server numbers the demo kiosk's categories with the same prefixes. */
export const DEMO_PREFIXES: Record<string, string> = Object.fromEntries(DEMO_CATEGORIES.map((c) => [c.id, c.prefix]));
/** One kiosk button per category, and a green-channel one for the categories that offer it. */
const KIOSK_BUTTONS = [...DEMO_CATEGORIES.map((c) => ({ input: `btn-${c.id}`, category: c.id, priority: false })), ...DEMO_CATEGORIES.filter((c) => c.priority).map((c) => ({ input: `btn-${c.id}-green`, category: c.id, priority: true }))];

const GUIDE = ['办理完成后，请在本屏幕上对本次服务进行评价。', '选择“不满意”或“非常不满意”时，请选择原因。', '您的评价将实名上传至政务服务好差评系统。'];

/** Who serves at each window, by the evaluator facing it (sent by the reference server with cmd `staff`). */
export const DEMO_WINDOWS: Record<string, StaffCommand> = {
  'evaluator-1': { name: '王丽', number: 'SF-0315', window: '1号窗口', starLevel: 5, matters: ['社保医保', '住房公积金'], guide: GUIDE },
  'evaluator-2': { name: '李明', number: 'SF-0422', window: '2号窗口', starLevel: 4, matters: ['不动产登记', '税务综合'], guide: GUIDE },
  'evaluator-3': { name: '张伟', number: 'SF-0508', window: '3号窗口', matters: ['企业开办', '出入境'], guide: GUIDE },
};

const LEVELS = [5, 4, 3, 2, 1] as const;
/** How the demo's citizens rate, in turn: mostly satisfied, now and then not. */
const CITIZEN_LEVELS = [5, 4, 5, 3, 5, 2, 4, 5, 1] as const;

/** The devices of the demo hall that serve a page (window 3's evaluator is a button box). */
export const DEMO_PAGES = ['ticket-printer-1', 'evaluator-1', 'evaluator-2', 'caller-1', 'locker-1'] as const;

// Keyed by every role (protocol/topics.ts ROLES): a role without its demo device does not compile.
export const DEMO_DEVICES: Record<Role, DemoDevice> = {
  sys: { section: {} },
  'ticket-printer': {
    io: {
      inputs: Object.fromEntries(KIOSK_BUTTONS.map((b, i) => [b.input, { pin: `GPIO${[17, 27, 22, 23, 24, 25, 12, 13][i] ?? 26}` }])),
      serial: { 'printer-port': { path: '/dev/ttyS-demo-printer' }, 'scanner-port': { path: '/dev/ttyS-demo-scanner' } },
      printers: { main: { serial: 'printer-port' } },
      scanners: { scan: { serial: 'scanner-port' } },
    },
    section: {
      printer: 'main',
      scanner: 'scan',
      hallName: '示范区政务服务中心',
      hallNameEn: 'Demo District Government Service Center',
      categories: DEMO_CATEGORIES,
      buttons: KIOSK_BUTTONS,
      qrUrl: 'https://hall.example.cn/q/{hall}/{number}',
      offline: { prefix: 'K' },
      kiosk: { port: Number(process.env['HALLD_DEMO_KIOSK_PORT'] ?? 0) },
    },
    /** A visitor takes a ticket every visitorEveryMs: a category at random, now and then on the green channel. The first ticket is shown as printed. */
    animate(runtime, say, ctx) {
      const hal = runtime.hal;
      if (!isSimHal(hal)) return () => undefined;
      const device = runtime.config.device;
      let shown = false;
      const off = hal.sim.printer('main').onTicket((ticket) => {
        if (shown) return;
        shown = true;
        say(`${device}: the first ticket as printed\n${renderTicketText(ticket, { columns: 48 })}`);
      });
      const timers = later(ctx);
      const visit = () => {
        const button = randomInt(0, 5) === 0 ? pick(KIOSK_BUTTONS.filter((b) => b.priority)) : pick(KIOSK_BUTTONS.filter((b) => !b.priority));
        say(`visitor presses ${button.input} on ${device}`);
        hal.sim.press(button.input);
        timers.after(150, () => hal.sim.release(button.input));
        timers.after(ctx.visitorEveryMs, visit);
      };
      timers.after(1_000, visit);
      return () => {
        timers.clear();
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
      // A button cannot ask why; the box's low buttons report a reason drawn from the content when the demo starts.
      buttons: LEVELS.map((level) => ({ input: `btn-${level}`, level, items: reasonFor(level) })),
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
    /**
     * A citizen answers each rating request a while later (time for a person to rate on the page
     * first): on a touch page through the page, a low level with a reason drawn from the content;
     * on the button box (window 3) with a level button. The box's OLED is written as a PNG.
     */
    animate(runtime, say, ctx) {
      const hal = runtime.hal;
      if (!isSimHal(hal)) return () => undefined;
      const device = runtime.config.device;
      const timers = later(ctx);
      const oled = Object.keys(runtime.config.io.displays ?? {}).length > 0 ? join(runtime.config.dataDir, 'oled.png') : undefined;
      if (oled) ctx.files(`${device}: OLED screen in ${oled}`);
      let lastCase: unknown = null;
      let page: string | undefined;
      let n = 0;
      const off = ctx.server.client.onState((from, role, state) => {
        if (from !== device || role !== 'evaluator') return;
        if (typeof state.data['page'] === 'string') page = state.data['page'];
        if (oled) void mkdir(runtime.config.dataDir, { recursive: true }).then(() => writeFile(oled, hal.sim.display('status').png())).catch(() => undefined);
        const caseId = state.data['screen'] === 'rating' ? state.data['case'] : null;
        if (caseId === lastCase) return;
        lastCase = caseId;
        if (typeof caseId !== 'string') return;
        const level = CITIZEN_LEVELS[n++ % CITIZEN_LEVELS.length] ?? 5;
        timers.after(ctx.citizenMs, () => {
          if (page === undefined) {
            say(`citizen presses btn-${level} on ${device}`);
            hal.sim.press(`btn-${level}`);
            timers.after(150, () => hal.sim.release(`btn-${level}`));
            return;
          }
          const items = reasonFor(level);
          say(`citizen rates ${level}${items.length ? ` (reason: ${items.join(', ')})` : ''} on the page of ${device}`);
          fetch(new URL('api/rate', page), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caseId, level, items }) }).catch((err: unknown) => say(`${device}: rating not sent: ${(err as Error).message}`));
        });
      });
      return () => {
        off();
        timers.clear();
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
    /** The panels' frames go to PNG files a person can look at, rewritten at every change of the caller's state. */
    animate(runtime, _say, ctx) {
      const hal = runtime.hal;
      if (!isSimHal(hal)) return () => undefined;
      const device = runtime.config.device;
      const dir = join(runtime.config.dataDir, 'panels');
      for (const panel of ['win', 'hall']) ctx.files(`${device}: LED panel ${panel} in ${join(dir, `${panel}.png`)}`);
      let writing = Promise.resolve();
      const off = ctx.server.client.onState((from, role) => {
        if (from !== device || role !== 'caller') return;
        writing = writing
          .then(async () => {
            await mkdir(dir, { recursive: true });
            for (const panel of ['win', 'hall']) await hal.sim.matrix(panel).writePng(join(dir, `${panel}.png`));
          })
          .catch(() => undefined);
      });
      return off;
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
     * Once the cabinet is up, the server deposits a certificate and logs its pickup code (a
     * person can type it on the cabinet page); a little later a simulated visitor picks it up
     * with that code, and shuts each door a while after it opened.
     */
    animate(runtime, say, ctx) {
      const hal = runtime.hal;
      if (!isSimHal(hal)) return () => undefined;
      const device = runtime.config.device;
      const board = hal.sim.lockBoard('cab-a');
      const timers = later(ctx);
      let deposited = false;
      let page: string | undefined;
      const pickUp = (code: string) => {
        if (page === undefined) return say(`${device}: no cabinet page to pick up at`);
        say(`visitor types pickup code ${code} on the cabinet page of ${device}`);
        fetch(new URL('api/code', page), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })
          .then(async (res) => say(`${device}: pickup code answered ${JSON.stringify(await res.json())}`))
          .catch((err: unknown) => say(`${device}: pickup failed: ${(err as Error).message}`));
      };
      const deposit = async (): Promise<void> => {
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        const now = ctx.clock.now();
        const depositId = `demo-${now.toString(36)}`;
        const ack = await ctx.server.client.command(device, 'locker/deposit', {
          door: 3,
          depositId,
          ...(await hashPickupCode(code)),
          expiresAt: now + 7 * 86_400_000,
          overdueAt: now + 3 * 86_400_000,
          kind: 'certificate',
        });
        if (!ack.ok) return say(`${device}: deposit refused: ${ack.error.message}`);
        say(`${device}: certificate ${depositId} deposited in door 3; pickup code ${code} (type it on the cabinet page)`);
        timers.after(ctx.citizenMs * 5, () => pickUp(code));
      };
      const offState = ctx.server.client.onState((from, role, state) => {
        if (from !== device || role !== 'locker') return;
        if (typeof state.data['page'] === 'string') page = state.data['page'];
        if (deposited) return;
        deposited = true;
        deposit().catch((err: unknown) => say(`${device}: deposit failed: ${(err as Error).message}`));
      });
      const offEvents = ctx.server.client.onEvent((e) => {
        if (e.device !== device || e.role !== 'locker' || e.name !== 'door.opened') return;
        const door = e.message.data['door'];
        if (typeof door !== 'number') return;
        timers.after(ctx.citizenMs, () => {
          say(`citizen closes door ${door} of ${device}`);
          board.closeDoor(door);
        });
      });
      return () => {
        offState();
        offEvents();
        timers.clear();
      };
    },
  },
};
