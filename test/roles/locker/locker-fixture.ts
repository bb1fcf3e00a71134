// A whole locker in one process for the role tests: embedded broker, the reference server with
// the hall's signing key, and a `locker` device on the sim board whose 8a80 lock board is the
// byte-level simulator on the virtual serial line (the real driver talks to it). Device time is
// fake: `run()` moves it on in 1 ms steps while I/O settles, `tick()` jumps.
import type { ReferenceServer } from '../../../simulators/hall/reference-server.js';
import { Runtime } from '../../../firmware/runtime.js';
import { isSimHal } from '../../../simulators/hal/sim-hal.js';
import { generateSigningKeys, signEnvelope } from '../../../protocol/signing.js';
import { topics } from '../../../protocol/topics.js';
import { hashPickupCode, scryptHex } from '../../../protocol/locker-code.js';
import { randomBytes } from 'node:crypto';
import type { DeviceEvent } from '../../../protocol/hall-client.js';
import type { Ack } from '../../../protocol/messages.js';
import type { VirtualLockBoard } from '../../../simulators/lock-board/virtual-lock-board.js';
import type { VirtualLockBus } from '../../../simulators/lock-board/virtual-lock-bus.js';
import { deviceTime, type DeviceTime } from '../../../testkit/device-time.js';
import { startPageDevice } from '../../../testkit/page-device.js';
import { roleRuntimeOptions, startRoleHall } from '../../../testkit/role-hall.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export const DEVICE = 'cab-1';
export const HALL = 'test-hall';
/** Cheap scrypt for tests (the protocol's floor); the device takes whatever the deposit says. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1, keylen: 32 };

export const IO = {
  serial: { rs485: { path: '/dev/ttyRS485', baudRate: 9600 }, 'qr-port': { path: '/dev/ttyS-sim-qr' } },
  scanners: { qr: { serial: 'qr-port' } },
  lockBoards: { 'cab-a': { serial: 'rs485', protocol: '8a80', address: 1, locks: 8 } },
};

/** A physical keypad (one sim GPIO line per key) for the locker section's `keypad`. */
export const KEYPAD = { digits: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => `key-${d}`), clear: 'key-clear', enter: 'key-enter', idleMs: 20_000 };
export const KEYPAD_IO = {
  ...IO,
  inputs: Object.fromEntries([...KEYPAD.digits, KEYPAD.clear, KEYPAD.enter].map((k, i) => [k, { pin: `GPIO${4 + i}`, debounceMs: 20 }])),
};

/** The sim board with an ID-card reader (the GA 467 module simulator) named `desk`. */
export const ID_READER_IO = { ...IO, serial: { ...IO.serial, idr: { path: '/dev/ttyUSB1', baudRate: 115200 } }, idCardReaders: { desk: { serial: 'idr', pollMs: 100 } } };

/** A deposit's `identity`: the salted hash of `number`, made with scrypt here, not with the device's code. */
export async function boundTo(number: string): Promise<{ identity: { hash: string; salt: string; scrypt: typeof TEST_SCRYPT } }> {
  const salt = randomBytes(16).toString('hex');
  return { identity: { hash: await scryptHex(number, salt, TEST_SCRYPT), salt, scrypt: TEST_SCRYPT } };
}

/** Lifts whatever card lies on the `desk` reader and lays one with this number. */
export function layCard(e: LockerFixture, number: string): void {
  const hal = e.runtime.hal;
  if (!isSimHal(hal)) throw new Error('expected the sim board');
  const reader = hal.sim.idCardReader('desk');
  reader.removeCard();
  reader.placeCard({ number });
}

export const DOORS = [
  { door: 1, board: 'cab-a', lock: 1, size: 'S' },
  { door: 2, board: 'cab-a', lock: 2, size: 'M' },
  { door: 3, board: 'cab-a', lock: 3, size: 'M' },
  { door: 4, board: 'cab-a', lock: 4, size: 'L' },
];

export interface LockerFixture {
  server: ReferenceServer;
  time: DeviceTime;
  runtime: Runtime;
  url: string;
  board: VirtualLockBoard;
  bus: VirtualLockBus;
  brokerDown(): Promise<void>;
  brokerUp(): Promise<void>;
  /** A command with the device's (fake) time as its ts; `open` is signed by the client. */
  command(name: string, data: Record<string, unknown>, options?: { id?: string; sign?: boolean; expiresInMs?: number; ts?: number }): Promise<Ack>;
  /** A deposit with the code's scrypt hash. */
  deposit(door: number, depositId: string, code: string, extra?: Record<string, unknown>): Promise<Ack>;
  /** Awaits `p` while moving device time on 1 ms per event-loop turn (the bus and the sensor polls run on it). */
  run<T>(p: Promise<T>): Promise<T>;
  /** Runs device time until `probe` holds (or `maxMs` of device time passed). */
  until<T>(what: string, probe: () => T | undefined | false, maxMs?: number): Promise<T>;
  events(name: string): DeviceEvent[];
  /** POST /api/<action> on the cabinet's page (device time runs meanwhile). */
  page<T = Record<string, unknown>>(action: string, body: Record<string, unknown>): Promise<T>;
  /** A QR scan on the cabinet's scanner. */
  scan(code: string): Promise<void>;
  /** A signed locker command as bytes, signed for `to` (default: the topic it is meant for), with a fake-time ts. */
  signed(name: string, data: Record<string, unknown>, o: { id: string; to?: string; expiresInMs?: number }): string;
  /** Publishes bytes on this device's cmd/locker/<name> topic. */
  publish(name: string, payload: string): Promise<void>;
  /** Every ack seen for an id, in arrival order. */
  acks(id: string): Ack[];
  /** The topic of cmd/locker/<name> for a device (default this one). */
  topic(name: string, device?: string): string;
  restart(): Promise<void>;
  pageUrl(): string;
}

/** The same cabinet on a Kerong KR-CU16 board (19200 baud, infrared item sensors). */
export const KERONG_IO = {
  ...IO,
  serial: { ...IO.serial, rs485: { path: '/dev/ttyRS485', baudRate: 19200 } },
  lockBoards: { 'cab-a': { serial: 'rs485', protocol: 'kerong-cu', address: 0, locks: 16 } },
};

export async function lockerFixture(t: Teardown, options: { role?: Record<string, unknown>; io?: Record<string, unknown>; security?: Record<string, unknown> } = {}): Promise<LockerFixture> {
  const time = deviceTime(t);
  const keys = generateSigningKeys();
  const hall = await startRoleHall(t, { prefix: 'halld-locker-', hall: HALL, server: { signingKeyPem: keys.privateKeyPem } });
  const { server } = hall;
  const config = hall.config(DEVICE, {
    // The link reconnects and resends on real time (the network side does not run on device
    // time): a short resend, so a test that runs device time far ahead does not outrun it.
    outbox: { resendMs: 200 },
    // A long signed lifetime: the device's fake clock runs ahead of the server's real one.
    security: options.security ?? { serverPublicKey: keys.publicKeyPem, maxSecureLifetimeMs: 3_600_000 },
    io: options.io ?? IO,
    roles: {
      sys: {},
      locker: { doors: DOORS, page: { port: 0 }, scanner: 'qr', pollIntervalMs: 200, openConfirmMs: 5000, leftOpenAfterMs: 60_000, maxCodeTries: 3, lockoutMs: 300_000, ...options.role },
    },
  });

  const run = async <T>(p: Promise<T>): Promise<T> => {
    let done = false;
    p.then(
      () => (done = true),
      () => (done = true),
    );
    // Bounded by device time, not wall time: a hang fails after ten device minutes.
    for (let ms = 0; ms < 600_000 && !done; ms++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!done) time.tick(1);
    }
    return p;
  };

  const fixture = { server, time, run } as LockerFixture;
  const start = () => run(Runtime.start(config, roleRuntimeOptions({ time })));
  const device = await startPageDevice(t, {
    client: server.client,
    device: DEVICE,
    role: 'locker',
    pageField: 'page',
    start,
    onReady: (runtime, url) => {
      fixture.runtime = runtime;
      fixture.url = url;
      if (!isSimHal(runtime.hal)) throw new Error('expected the sim board');
      fixture.board = runtime.hal.sim.lockBoard('cab-a');
      fixture.bus = runtime.hal.sim.lockBus('cab-a');
    },
  });
  const acks: Array<{ device: string; ack: Ack }> = [];
  server.client.onAck((device, ack) => void acks.push({ device, ack }));
  Object.assign(fixture, {
    topic: (name: string, device = DEVICE) => topics.command(server.client.address(device), 'locker', name),
    signed: (name: string, data: Record<string, unknown>, o: { id: string; to?: string; expiresInMs?: number }) => {
      const ts = time.clock.now();
      return JSON.stringify(signEnvelope({ v: 1, id: o.id, ts, exp: ts + (o.expiresInMs ?? 600_000), data, to: o.to ?? fixture.topic(name) }, keys.privateKeyPem));
    },
    page: async (action: string, body: Record<string, unknown>) => {
      const res = await run(fetch(new URL(`api/${action}`, fixture.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      return (await res.json()) as unknown;
    },
    scan: (code: string) => {
      const hal = fixture.runtime.hal;
      if (!isSimHal(hal)) throw new Error('expected the sim board');
      return hal.sim.scan('qr', code);
    },
    publish: (name: string, payload: string) => server.client.publishRawCommand(DEVICE, `locker/${name}`, payload),
    acks: (id: string) => acks.filter((a) => a.device === DEVICE && a.ack.id === id).map((a) => a.ack),
    brokerDown: () => hall.brokerDown(),
    brokerUp: async () => {
      const broker = await hall.brokerUp();
      // Both reconnect on real time and the device may win: events it publishes before the
      // server subscribes again reach nobody and come back with the link's resend (short here).
      // Returning only once the server listens again keeps that to the events of that moment.
      const aedes = broker.aedes;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the reference server did not subscribe again within 10 s')), 10_000);
        const onSubscribe = (subs: Array<{ topic: string }>) => {
          if (!subs.some((s) => s.topic.endsWith('/evt/+/+'))) return;
          clearTimeout(timer);
          aedes.removeListener('subscribe', onSubscribe);
          resolve();
        };
        aedes.on('subscribe', onSubscribe);
      });
    },
    command: (name: string, data: Record<string, unknown>, o: { id?: string; sign?: boolean; expiresInMs?: number; ts?: number } = {}) =>
      run(server.client.commandUnchecked(DEVICE, `locker/${name}`, data, { ts: o.ts ?? time.clock.now(), expiresInMs: o.expiresInMs ?? 600_000, timeoutMs: 30_000, ...(o.id ? { id: o.id } : {}), ...(o.sign !== undefined ? { sign: o.sign } : {}) })),
    deposit: async (door: number, depositId: string, code: string, extra: Record<string, unknown> = {}) => {
      const hashed = await hashPickupCode(code, TEST_SCRYPT);
      const now = time.clock.now();
      return fixture.command('deposit', { door, depositId, ...hashed, expiresAt: now + 86_400_000, overdueAt: now + 3 * 86_400_000, kind: 'certificate', ...extra });
    },
    until: async <T>(what: string, probe: () => T | undefined | false, maxMs = 120_000): Promise<T> => {
      for (let ms = 0; ms < maxMs; ms++) {
        const v = probe();
        if (v !== undefined && v !== false) return v;
        // Mostly one event-loop turn per device millisecond; now and then a real millisecond, so
        // what runs on real time (the broker's sockets, the reference server's reconnect) keeps up.
        await new Promise<void>((resolve) => (ms % 200 === 199 ? setTimeout(resolve, 1) : setImmediate(resolve)));
        time.tick(1);
      }
      throw new Error(`device time ran ${maxMs} ms without ${what}`);
    },
    events: (name: string) => uniqueEvents(server.events.filter((e) => e.device === DEVICE && e.role === 'locker' && e.name === name)),
    restart: () => device.restart(),
    pageUrl: () => fixture.url,
  });
  fixture.restart = device.restart;
  return fixture;
}

/** Events by id: a resend after a lost evt-ack is the same event. */
function uniqueEvents(events: DeviceEvent[]): DeviceEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => (seen.has(e.message.id) ? false : (seen.add(e.message.id), true)));
}
