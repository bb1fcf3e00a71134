// A tap on the evaluator's page → `rating.submitted` durable: the POST /api/rate answer comes
// only after the rating's row and its event are committed in one fsync'd SQLite transaction
// (WAL, synchronous=FULL). Also tap → the event at the reference server through aedes.
// Floor: one bare fsync'd SQLite insert with the same durability, in the same run.
// The tap's figure includes the bench's own HTTP client (global fetch) and a loopback POST,
// which the floor has none of: a second figure takes the median of a bare POST round trip to a
// node:http server in this process (same client, same body, sampled alternately with the taps)
// off the tap, so what halld adds above HTTP shows against the same floor.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAedesBroker } from '../simulators/hall/aedes-broker.js';
import { ReferenceServer } from '../simulators/hall/reference-server.js';
import { parseConfig } from '../firmware/config/parse-config.js';
import { Runtime } from '../firmware/runtime.js';
import { silentLogger } from '../firmware/log.js';
import { waitFor } from '../testkit/wait.js';
import { report, median } from './stats.js';
import { bareDb } from './bare-insert.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const DEVICE = 'eval-bench';

/** A server that reads a JSON body and answers a small JSON object, as the page's rate route does, minus halld. */
async function bareHttp(): Promise<{ postMs: (body: string) => Promise<number>; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const data = Buffer.from(JSON.stringify({ ok: true, echo: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length, 'Cache-Control': 'no-store' });
      res.end(data);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/rate`;
  return {
    postMs: async (body) => {
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.json();
      return performance.now() - t0;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export async function benchEvaluatorTap(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-eval-'));
  const broker = await startAedesBroker({ port: 0 });
  const server = new ReferenceServer({ url: broker.url, hall: 'bench' });
  await server.start();
  let url: string | undefined;
  server.client.onState((device, role, state) => {
    if (device === DEVICE && role === 'evaluator' && typeof state.data['page'] === 'string') url = state.data['page'];
  });
  const config = parseConfig({
    hall: 'bench',
    device: DEVICE,
    board: 'sim',
    dataDir: join(dir, 'data'),
    broker: { url: broker.url },
    roles: { sys: {}, evaluator: { page: { port: 0 }, thankYouMs: 500 } },
  });
  const runtime = await Runtime.start(config, { log: silentLogger() });
  try {
    const page = await waitFor('evaluator page', () => url);
    const durable: number[] = [];
    const delivered: number[] = [];
    // The floor's inserts alternate with the taps, so the machine's load weighs on both alike.
    const bare = await bareDb(dir);
    const floorSamples: number[] = [];
    const http = await bareHttp();
    const httpSamples: number[] = [];
    for (let i = 0; i < ROUNDS + 5; i++) {
      const caseId = `bench-${i}`;
      const ack = await server.client.command(DEVICE, 'evaluator/request', { caseId, staffId: 's1', window: '1', contentVersion: 'builtin-1' });
      if (!ack.ok) throw new Error(`bench: request refused: ${ack.error.message}`);
      const seen = server.events.length;
      const t0 = performance.now();
      const res = await fetch(new URL('api/rate', page), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caseId, level: 5, items: [] }) });
      const body = (await res.json()) as { ok: boolean };
      const t1 = performance.now();
      if (!body.ok) throw new Error(`bench: rating refused: ${JSON.stringify(body)}`);
      await waitFor('rating.submitted at the server', () => server.events.slice(seen).some((e) => e.name === 'rating.submitted' && e.message.data['caseId'] === caseId), 10_000, 1);
      const t2 = performance.now();
      const inserts: number[] = [];
      for (let k = 0; k < 5; k++) inserts.push(await bare.insertMs(i * 5 + k));
      const posted = await http.postMs(JSON.stringify({ caseId, level: 5, items: [] }));
      if (i >= 5) {
        durable.push(t1 - t0);
        delivered.push(t2 - t0);
        floorSamples.push(...inserts);
        httpSamples.push(posted);
      }
    }
    await bare.close();
    await http.close();
    const floor = median(floorSamples);
    const httpFloor = median(httpSamples);
    report('tap → rating.submitted durable', median(durable), 'ms', 'one fsync\'d SQLite insert', floor, `median of ${durable.length}; HTTP POST to its answer`);
    report('tap less a bare HTTP POST', median(durable) - httpFloor, 'ms', 'one fsync\'d SQLite insert', floor, `the tap's median less a bare loopback POST's (${httpFloor.toFixed(3)} ms, same fetch client)`);
    report('tap → rating.submitted at server', median(delivered), 'ms', 'one fsync\'d SQLite insert', floor, 'through aedes to the reference server');
  } finally {
    await runtime.stop('bench done');
    await server.stop();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('evaluator-tap.js')) await benchEvaluatorTap();
