// A whole kiosk in one process for the role tests: embedded broker, the reference server
// with its ticket desk, and a `ticket-printer` device on the sim board whose printer is the
// byte-level ESC/POS simulator on a virtual serial port.
import type { EmbeddedBroker } from '../../../simulators/hall/aedes-broker.js';
import type { ReferenceServer } from '../../../simulators/hall/reference-server.js';
import type { TicketDeskOptions } from '../../../simulators/hall/ticket-desk.js';
import { Runtime } from '../../../firmware/runtime.js';
import { isSimHal, type SimHal } from '../../../simulators/hal/sim-hal.js';
import type { VirtualEscPosPrinter } from '../../../simulators/escpos-printer/index.js';
import type { DeviceEvent } from '../../../protocol/hall-client.js';
import type { TakeResult, KioskView } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-types.js';
import type { DeviceTime } from '../../../testkit/device-time.js';
import { startPageDevice } from '../../../testkit/page-device.js';
import { roleRuntimeOptions, startRoleHall } from '../../../testkit/role-hall.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export const CATEGORIES = [
  { id: 'social', name: '社保业务', nameEn: 'Social security', prefix: 'A', priority: true },
  { id: 'tax', name: '税务登记', nameEn: 'Tax registration', prefix: 'B', quota: 2 },
  { id: 'night', name: '夜间业务', nameEn: 'Night desk', prefix: 'C', days: [] },
];

export const IO = {
  inputs: { 'btn-social': { pin: 'GPIO17', debounceMs: 20 }, 'btn-tax': { pin: 'GPIO27', debounceMs: 20 } },
  serial: { 'printer-port': { path: '/dev/ttyS-sim-printer' }, 'scanner-port': { path: '/dev/ttyS-sim-scanner' } },
  printers: { main: { serial: 'printer-port' } },
  scanners: { scan: { serial: 'scanner-port' } },
};

export interface KioskFixture {
  server: ReferenceServer;
  broker: EmbeddedBroker;
  runtime: Runtime;
  hal: SimHal;
  printer: VirtualEscPosPrinter;
  url: string;
  take(category: string, priority?: boolean): Promise<TakeResult>;
  view(): Promise<KioskView>;
  events(name: string): DeviceEvent[];
  /** Stops the device (clean) and starts it again on the same data. */
  restart(): Promise<void>;
}

export async function kioskFixture(
  t: Teardown,
  options: {
    role?: Record<string, unknown>;
    desk?: TicketDeskOptions;
    /** The device's timers and clock (the broker and server keep real time). */
    time?: DeviceTime;
    timeBeaconMs?: number;
    dataDir?: string;
    /** Added to the io section (e.g. an ID-card reader). */
    io?: { serial?: Record<string, unknown>; idCardReaders?: Record<string, unknown> };
  } = {},
): Promise<KioskFixture> {
  const hall = await startRoleHall(t, {
    prefix: 'halld-kiosk-',
    server: { desk: { prefixes: { social: 'A', tax: 'B', night: 'C' }, ...options.desk }, ...(options.timeBeaconMs !== undefined ? { timeBeaconMs: options.timeBeaconMs } : {}) },
  });
  const { server } = hall;
  const broker = hall.broker();
  if (!broker) throw new Error('the broker was just started');
  const config = hall.config('kiosk-1', {
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    io: { ...IO, ...options.io, serial: { ...IO.serial, ...options.io?.serial } },
    roles: {
      sys: {},
      'ticket-printer': {
        printer: 'main',
        scanner: 'scan',
        hallName: '测试政务服务中心',
        categories: CATEGORIES,
        takeTimeoutMs: 400,
        offline: { prefix: 'K' },
        buttons: [
          { input: 'btn-social', category: 'social' },
          { input: 'btn-tax', category: 'tax' },
        ],
        repeatGuardMs: 10_000,
        statusPollMs: 500,
        qrUrl: 'https://hall.example.cn/q/{hall}/{day}/{number}?n=号',
        kiosk: { port: 0, idleMs: 5000 },
        ...options.role,
      },
    },
  });

  const fixture = {} as KioskFixture;
  const start = () => Runtime.start(config, roleRuntimeOptions({ time: options.time }));
  const onReady = (runtime: Runtime, pageUrl: string) => {
    if (!isSimHal(runtime.hal)) throw new Error('expected the sim board');
    fixture.runtime = runtime;
    fixture.hal = runtime.hal;
    fixture.printer = runtime.hal.sim.printer('main');
    fixture.url = pageUrl;
  };
  Object.assign(fixture, {
    server,
    broker,
    take: async (category: string, priority = false) => {
      const res = await fetch(new URL('api/take', fixture.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ category, priority }) });
      return (await res.json()) as TakeResult;
    },
    view: async () => (await (await fetch(new URL('api/view', fixture.url))).json()) as KioskView,
    events: (name: string) => server.events.filter((e) => e.device === 'kiosk-1' && e.name === name),
  });
  const device = await startPageDevice(t, { client: server.client, device: 'kiosk-1', role: 'ticket-printer', pageField: 'kiosk', start, onReady });
  fixture.restart = device.restart;
  return fixture;
}

/** The printed ticket's text lines, joined, for assertions on what the real bytes said. */
export function ticketText(printer: VirtualEscPosPrinter, index = -1): string {
  const tickets = printer.tickets();
  const ticket = tickets.at(index);
  if (!ticket) return '';
  return ticket.items
    .map((i) => (i.type === 'text' ? i.text : i.type === 'qr' ? `[QR ${i.data}]` : ''))
    .filter(Boolean)
    .join('\n');
}

/** One clean press and release of a kiosk button on device time: each edge held past the 20 ms debounce. */
export function clickOnDeviceTime(k: Pick<KioskFixture, 'hal'>, time: DeviceTime, input: string): void {
  k.hal.sim.press(input);
  time.tick(25);
  k.hal.sim.release(input);
  time.tick(25);
}
