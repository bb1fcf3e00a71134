// `halld demo`: a whole hall on one machine — embedded broker on 127.0.0.1, the reference
// server, and one simulated device per role this firmware has — telling one story a person can
// follow in the log: visitors take tickets, each is called to a window that has an evaluator,
// served, and rated there for its own matter; the cabinet's deposit is picked up with its code.
// The banner lists every page and where the panel and OLED pictures are written. Time is
// injectable (`time`), so a test can run a hall day on simulated time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { ReferenceServer } from '../../simulators/hall/reference-server.js';
import { HallDirector } from '../../simulators/hall/hall-director.js';
import { EvaluatorCases } from '../../simulators/hall/evaluator-cases.js';
import { parseConfig } from '../config/parse-config.js';
import { Runtime } from '../runtime.js';
import { createLogger } from '../log.js';
import { ROLE_MODULES } from '../roles/index.js';
import { DEFAULT_CONTENT } from '../roles/evaluator/config.js';
import { generateSigningKeys } from '../../protocol/signing.js';
import { globalTimers, type Timers } from '../../drivers/clock/timers.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import type { Clock } from '../../drivers/hal/types.js';
import { DEMO_CATEGORIES, DEMO_DEVICES, DEMO_PAGES, DEMO_PREFIXES, DEMO_WINDOWS, type DemoContext } from './demo-devices.js';

export interface DemoOptions {
  port: number;
  /** Where the devices keep their data; default a temp folder, removed at the end unless `keep`. */
  dataDir?: string;
  keep?: boolean;
  hall?: string;
  /** Stop after this long (tests); runs until Ctrl-C otherwise. */
  runForMs?: number;
  out?: (line: string) => void;
  /** A simulated visitor takes a ticket this often (default 8 s). */
  visitorEveryMs?: number;
  /** A simulated citizen answers a rating request, or shuts a door, this long after (default 6 s: time for a person to rate on the page first). */
  citizenMs?: number;
  /** A window serves a ticket this long before it asks for the rating (default 8 s). */
  caseMs?: number;
  /** The devices' and the story's time (default: the real clock and timers). */
  time?: { timers: Timers; clock: Clock };
}

export interface DemoHall {
  director: HallDirector;
  server: ReferenceServer;
  /** Stops everything; resolves with the lines said about it. */
  stop(): Promise<void>;
}

const PAGE_ROLES: Record<string, string> = { 'ticket-printer': 'touchscreen page', evaluator: 'rating page', locker: 'cabinet page', caller: 'hall TV page' };

export async function startDemo(options: DemoOptions): Promise<DemoHall> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const timers = options.time?.timers ?? globalTimers;
  const clock = options.time?.clock ?? systemClock;
  const say = (who: string, line: string) => out(`${new Date(clock.now()).toISOString().slice(11, 23)} ${who.padEnd(8)} ${line}`);
  const hall = options.hall ?? 'demo-hall';
  const tempData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'halld-demo-')));
  const broker = await startAedesBroker({ port: options.port });
  say('broker', `aedes listening on ${broker.url}`);
  // The hall's signing key, as in a real hall: the locker takes deposits and opens only signed.
  const keys = generateSigningKeys();
  // Its signed commands carry the hall's time (simulated in tests), which the devices check them against.
  const server = new ReferenceServer({ url: broker.url, hall, signingKeyPem: keys.privateKeyPem, now: () => clock.now(), say: (l) => say('server', l), desk: { prefixes: DEMO_PREFIXES, qrUrl: 'https://hall.example.cn/q/{number}' } });
  await server.start();
  const staff = new EvaluatorCases(server.client, { windows: DEMO_WINDOWS, say: (l) => say('server', l) });
  const director = new HallDirector({
    client: server.client,
    desk: server.desk,
    caller: 'caller-1',
    windows: Object.entries(DEMO_WINDOWS).map(([evaluator, s]) => ({ evaluator, staff: s, window: s.window.replace(/号窗口$/, '') })),
    matters: Object.fromEntries(DEMO_CATEGORIES.map((c) => [c.id, c.name])),
    contentVersion: DEFAULT_CONTENT.version,
    timers,
    now: () => clock.now(),
    serveMs: options.caseMs ?? 8_000,
    say: (l) => say('story', l),
  });

  const pages = new Map<string, string>();
  server.client.onState((device, role, state) => {
    const url = role === 'ticket-printer' ? state.data['kiosk'] : state.data['page'];
    if (typeof url === 'string' && PAGE_ROLES[role] !== undefined) pages.set(device, `${device}: ${PAGE_ROLES[role]} at ${url}`);
  });

  // Info is the demo's own story; the devices say only what goes wrong (HALLD_LOG=info for more).
  const log = createLogger({ level: process.env['HALLD_LOG'] ?? 'warn' });
  const devices: Runtime[] = [];
  const stopAnimations: (() => void)[] = [];
  const animations: (() => () => void)[] = [];
  const files: string[] = [];
  const ctx: DemoContext = { visitorEveryMs: options.visitorEveryMs ?? 8_000, citizenMs: options.citizenMs ?? 6_000, server, timers, clock, files: (line) => files.push(line) };
  for (const module of ROLE_MODULES) {
    const demo = DEMO_DEVICES[module.role] ?? { section: {} };
    for (const [device, own] of Object.entries(demo.devices ?? { [`${module.role}-1`]: {} })) {
      const io = { ...demo.io, ...own.io };
      const config = parseConfig({
        hall,
        device,
        board: 'sim',
        dataDir: join(dataDir, device),
        broker: { url: broker.url },
        security: { serverPublicKey: keys.publicKeyPem },
        ...(Object.keys(io).length > 0 ? { io } : {}),
        roles: { [module.role]: { ...demo.section, ...own.section } },
      });
      const runtime = await Runtime.start(config, { log, timers, clock });
      devices.push(runtime);
      const animate = demo.animate;
      if (animate) animations.push(() => animate(runtime, (l) => say('device', l), ctx));
    }
  }
  // The people come in once the whole hall is up: no ticket is called before the caller listens.
  for (const start of animations) stopAnimations.push(start());
  // The pages announce themselves in the devices' retained state; wait for them (real time: it is I/O).
  for (let i = 0; i < 100 && pages.size < DEMO_PAGES.length; i++) await new Promise((r) => setTimeout(r, 50));

  const banner = [
    `demo hall "${hall}" running: broker ${broker.url}, ${devices.length} device(s): ${devices.map((d) => d.config.device).join(', ')}`,
    'pages (open them in a browser):',
    ...[...pages.values()].sort().map((p) => `  ${p}`),
    'pictures (rewritten as they change):',
    ...files.map((f) => `  ${f}`),
    `data in ${dataDir}${tempData && !options.keep ? ' (removed at the end; --keep keeps it)' : ''}`,
    'Ctrl-C stops.',
  ];
  for (const line of banner) out(line);

  // Pings prove the link; only a failed one is worth a line.
  const pinger = timers.setInterval(() => {
    for (const d of devices)
      server.client
        .command(d.config.device, 'sys/ping', { hello: 'hall' }, { timeoutMs: 2_000 })
        .then((ack) => (ack.ok ? undefined : say('server', `${d.config.device}: sys/ping failed: ${ack.error.message}`)))
        .catch((err: unknown) => say('server', `${d.config.device}: sys/ping ${(err as Error).message}`));
  }, 5_000);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      timers.clearInterval(pinger);
      for (const s of stopAnimations) s();
      director.stop();
      staff.stop();
      say('demo', 'stopping');
      for (const d of devices) await d.stop('demo stopped');
      await server.stop();
      await broker.close();
      const removed = tempData && !options.keep;
      if (removed) await rm(dataDir, { recursive: true, force: true });
      say('demo', `stopped ${devices.length} device(s) (${devices.map((d) => d.config.device).join(', ')}), the reference server and the broker; ${removed ? `removed ${dataDir}` : `data kept in ${dataDir}`}`);
    })());
  return { director, server, stop };
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const demo = await startDemo(options);
  if (options.runForMs !== undefined) {
    await new Promise((r) => setTimeout(r, options.runForMs));
    await demo.stop();
    return;
  }
  await new Promise<void>((resolve) => {
    const onSignal = () => void demo.stop().then(resolve);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
