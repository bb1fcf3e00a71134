// `halld demo`: a whole hall on one machine — embedded broker on 127.0.0.1, the reference
// server, and one simulated device per role this firmware has — with a readable log.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { ReferenceServer } from '../../simulators/hall/reference-server.js';
import { parseConfig } from '../config/load.js';
import { Runtime } from '../runtime.js';
import { createLogger } from '../log.js';
import { ROLE_MODULES } from '../roles/index.js';
import { DEMO_DEVICES, DEMO_PREFIXES, DEMO_WINDOWS } from './demo-devices.js';
import { EvaluatorCases } from '../../simulators/hall/evaluator-cases.js';
import { DEFAULT_CONTENT } from '../roles/evaluator/config.js';
import { generateSigningKeys } from '../../protocol/signing.js';

export interface DemoOptions {
  port: number;
  dataDir?: string;
  hall?: string;
  /** Stop after this long (tests); runs until Ctrl-C otherwise. */
  runForMs?: number;
  out?: (line: string) => void;
  /** A simulated visitor presses a kiosk button this often (default 8 s). */
  visitorEveryMs?: number;
  /** A simulated citizen presses an evaluator button this long after a rating request (default 6 s: time for a person to rate on the page first). */
  citizenMs?: number;
  /** A ticket's case is finished (and its rating requested) this long after it was issued (default 3 s). */
  caseMs?: number;
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const say = (who: string, line: string) => out(`${new Date().toISOString().slice(11, 23)} ${who.padEnd(8)} ${line}`);
  const hall = options.hall ?? 'demo-hall';
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'halld-demo-')));
  const broker = await startAedesBroker({ port: options.port });
  say('broker', `aedes listening on ${broker.url}`);
  // The hall's signing key, as in a real hall: the locker takes deposits and opens only signed.
  const keys = generateSigningKeys();
  const server = new ReferenceServer({ url: broker.url, hall, signingKeyPem: keys.privateKeyPem, say: (l) => say('server', l), desk: { prefixes: DEMO_PREFIXES, qrUrl: 'https://hall.example.cn/q/{number}' } });
  await server.start();
  // After each ticket's case the server asks the window's evaluator for a rating.
  const cases = new EvaluatorCases(server.client, {
    windows: DEMO_WINDOWS,
    contentVersion: DEFAULT_CONTENT.version,
    caseMs: options.caseMs ?? 3_000,
    say: (l) => say('server', l),
  });

  const kioskUrls = new Map<string, string>();
  const log = createLogger({ level: process.env['HALLD_LOG'] ?? 'warn' });
  const devices: Runtime[] = [];
  const stopAnimations: (() => void)[] = [];
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
      const runtime = await Runtime.start(config, { log });
      devices.push(runtime);
      say('device', `${device}: started (sim board, data in ${config.dataDir})`);
      if (demo.animate) stopAnimations.push(demo.animate(runtime, (l) => say('device', l), { visitorEveryMs: options.visitorEveryMs ?? 8_000, citizenMs: options.citizenMs ?? 6_000, server }));
    }
  }
  server.client.onState((device, role, state) => {
    const url = role === 'ticket-printer' ? state.data['kiosk'] : role === 'evaluator' || role === 'locker' || role === 'caller' ? state.data['page'] : undefined;
    if (typeof url === 'string' && url !== kioskUrls.get(device)) {
      kioskUrls.set(device, url);
      const what = role === 'evaluator' ? 'rating page' : role === 'locker' ? 'cabinet page' : role === 'caller' ? 'hall TV page' : 'touchscreen page';
      say('device', `${device}: ${what} at ${url} (open it in a browser)`);
    }
  });

  const pinger = setInterval(() => {
    for (const d of devices) {
      const started = performance.now();
      server.client
        .command(d.config.device, 'sys/ping', { hello: 'hall' }, { timeoutMs: 2_000 })
        .then((ack) => say('server', `${d.config.device}: sys/ping ${ack.ok ? 'ok' : 'failed'} in ${(performance.now() - started).toFixed(2)} ms`))
        .catch((err: unknown) => say('server', `${d.config.device}: sys/ping ${(err as Error).message}`));
    }
  }, 5_000);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(pinger);
    for (const s of stopAnimations) s();
    cases.stop();
    say('demo', 'stopping');
    for (const d of devices) await d.stop('demo stopped');
    await server.stop();
    await broker.close();
    say('demo', 'stopped');
  };
  out(`demo hall "${hall}" running: broker ${broker.url}, ${devices.length} device(s). Ctrl-C stops.`);
  if (options.runForMs !== undefined) {
    await new Promise((r) => setTimeout(r, options.runForMs));
    await stop();
    return;
  }
  await new Promise<void>((resolve) => {
    const onSignal = () => void stop().then(resolve);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
