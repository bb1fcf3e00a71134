// Button press → first byte of the ticket at the printer, on the sim board: GPIO debounce,
// printer status query (DLE EOT), `req/ticket.take` to the reference server through aedes,
// the SQLite commit of the number with its event, rendering, and the serial write that
// reaches the byte-level printer simulator. Floor: building the same ticket's bytes alone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAedesBroker } from '../simulators/hall/aedes-broker.js';
import { ReferenceServer } from '../simulators/hall/reference-server.js';
import { parseConfig } from '../firmware/config/parse-config.js';
import { Runtime } from '../firmware/runtime.js';
import { silentLogger } from '../firmware/log.js';
import { isSimHal } from '../simulators/hal/sim-hal.js';
import { DEFAULT_TICKET_TEMPLATE, renderTicketBytes } from '../drivers/printer/index.js';
import { report, median } from './stats.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const DEBOUNCE_MS = 20;

export async function benchTicketPress(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-kiosk-'));
  const broker = await startAedesBroker({ port: 0 });
  const server = new ReferenceServer({ url: broker.url, hall: 'bench', desk: { prefixes: { social: 'A' } } });
  await server.start();
  const config = parseConfig({
    hall: 'bench',
    device: 'kiosk-bench',
    board: 'sim',
    dataDir: join(dir, 'data'),
    broker: { url: broker.url },
    io: {
      inputs: { 'btn-social': { pin: 'GPIO17', debounceMs: DEBOUNCE_MS } },
      serial: { 'printer-port': { path: '/dev/ttyS-bench-printer' } },
      printers: { main: { serial: 'printer-port' } },
    },
    roles: {
      sys: {},
      'ticket-printer': {
        printer: 'main',
        categories: [{ id: 'social', name: '社保医保', nameEn: 'Social insurance', prefix: 'A' }],
        buttons: [{ input: 'btn-social', category: 'social' }],
        repeatGuardMs: 0,
        qrUrl: 'https://hall.example.cn/q/{hall}/{number}',
        kiosk: { enabled: false },
      },
    },
  });
  const runtime = await Runtime.start(config, { log: silentLogger() });
  try {
    if (!isSimHal(runtime.hal)) throw new Error('sim board expected');
    const hal = runtime.hal;
    const printer = hal.sim.printer('main');
    await waitUntil(() => server.client.status('kiosk-bench')?.online === true);
    // The first byte of a ticket is ESC @ (0x1b 0x40); status queries are DLE EOT (0x10 0x04).
    let firstByteAt: number | undefined;
    const receive = printer.receive.bind(printer);
    printer.receive = (bytes: Uint8Array) => {
      if (firstByteAt === undefined && bytes[0] === 0x1b) firstByteAt = performance.now();
      receive(bytes);
    };
    // A take is still finishing after its bytes reach the printer (it records the print, then
    // publishes the role's state), and a press while it is in flight is ignored by design: under
    // load that outlasted the release + 40 ms and the next press was lost. The state carrying
    // the new count is the barrier.
    let issuedSeen = 0;
    server.client.onState((device, role, state) => {
      const n = (state.data['issued'] as Record<string, unknown> | undefined)?.['social'];
      if (device === 'kiosk-bench' && role === 'ticket-printer' && typeof n === 'number') issuedSeen = n;
    });
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS + 5; i++) {
      const printed = printer.tickets().length;
      firstByteAt = undefined;
      const pressedAt = performance.now();
      hal.sim.press('btn-social');
      await waitUntil(() => printer.tickets().length > printed);
      await waitUntil(() => issuedSeen >= i + 1);
      hal.sim.release('btn-social');
      await new Promise((r) => setTimeout(r, DEBOUNCE_MS * 2));
      if (i >= 5 && firstByteAt !== undefined) samples.push(firstByteAt - pressedAt);
    }

    const fields = { number: 'A123', category: '社保医保', categoryEn: 'Social insurance', waiting: 12, issuedAtMs: Date.now(), qrUrl: 'https://hall.example.cn/q/bench/A123', hallName: '政务服务中心' };
    const floor: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      renderTicketBytes(DEFAULT_TICKET_TEMPLATE, fields);
      floor.push(performance.now() - t0);
    }
    report('button press → first ticket byte', median(samples), 'ms', 'render the same ticket bytes', median(floor), `median of ${samples.length}; includes ${DEBOUNCE_MS} ms debounce and the server round trip`);
    report('  same, less the debounce time', median(samples) - DEBOUNCE_MS, 'ms', 'render the same ticket bytes', median(floor));
  } finally {
    await runtime.stop('bench done');
    await server.stop();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitUntil(probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await new Promise((r) => setTimeout(r, 1));
  }
}
