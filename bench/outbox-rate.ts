// Durable event rate through the outbox (group commits, synchronous=FULL) vs bare one-row
// SQLite inserts with the same durability; and a 100,000-event backlog drained to a server
// that acknowledges with evt-ack.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { Store } from '../firmware/store/store.js';
import { benchBroker } from './broker.js';
import { report, median } from './stats.js';
import { parseConfig } from '../firmware/config/parse-config.js';
import { Runtime } from '../firmware/runtime.js';
import { silentLogger } from '../firmware/log.js';
import { HallClient } from '../protocol/hall-client.js';
import { waitFor } from '../testkit/wait.js';
import { systemClock } from '../drivers/clock/system-clock.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 20_000);
const BACKLOG = Number(process.env['BENCH_BACKLOG'] ?? 100_000);
const ROUNDS = 3;

function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
}

async function bareInsertRate(dir: string): Promise<number> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(join(dir, 'bare.db'), (err) => (err ? reject(err) : resolve(d)));
  });
  await run(db, 'PRAGMA journal_mode=WAL');
  await run(db, 'PRAGMA synchronous=FULL');
  await run(db, 'CREATE TABLE t (seq INTEGER PRIMARY KEY, data TEXT)');
  const n = Math.min(EVENTS, 3000);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await run(db, 'INSERT INTO t (data) VALUES (?)', [JSON.stringify({ i, ticket: 'A023' })]);
  const rate = n / ((performance.now() - t0) / 1000);
  await new Promise<void>((r) => db.close(() => r()));
  return rate;
}

async function outboxRate(dir: string): Promise<number> {
  const store = await Store.open(dir, { maxOutbox: 1_000_000, clock: systemClock });
  // Producers as a busy hall makes them: many units in flight, each waits for its commit.
  const producers = 64;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (next < EVENTS) {
        const i = next++;
        await store.commit([], [{ role: 'ticket-printer', name: 'ticket.issued', data: { i, ticket: 'A023' }, durable: true }]);
      }
    }),
  );
  const rate = EVENTS / ((performance.now() - t0) / 1000);
  await store.close();
  return rate;
}

async function backlogDrain(dir: string): Promise<{ seconds: number; startSeconds: number; floorSeconds: number }> {
  const broker = await benchBroker();
  try {
    const config = parseConfig({ hall: 'bench', device: 'drain-dev', board: 'sim', dataDir: join(dir, 'drain'), broker: { url: broker.url }, outbox: { max: BACKLOG * 2 } });
    // Fill the outbox while the device is not running.
    const fill = await Store.open(config.dataDir, { maxOutbox: BACKLOG * 2, clock: systemClock });
    const chunk = 1000;
    for (let i = 0; i < BACKLOG; i += chunk) {
      await Promise.all(Array.from({ length: chunk }, (_, k) => fill.commit([], [{ role: 'sys', name: 'test-event', data: { i: i + k }, durable: true }])));
    }
    await fill.close();
    const server = new HallClient({ url: broker.url, hall: 'bench', clientId: 'bench-server' });
    let got = 0;
    server.onEvent(() => void (got += 1));
    await server.connect();
    const t0 = performance.now();
    const device = await Runtime.start(config, { log: silentLogger() });
    // The figure counts the device's start too (a board coming back with a backlog); say how much of it that was.
    const startSeconds = (performance.now() - t0) / 1000;
    await waitFor('backlog drained', () => (got >= BACKLOG && device.store.outboxStats().pending === 0) || undefined, 120_000, 50);
    const seconds = (performance.now() - t0) / 1000;
    await device.stop();
    await server.close();
    // Floor: the same number of QoS 1 publishes from a bare mqtt.js client with the same window.
    const mqtt = (await import('mqtt')).default;
    const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    let received = 0;
    sub.on('message', () => void (received += 1));
    await sub.subscribeAsync('bench/floor/#', { qos: 1 });
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    const f0 = performance.now();
    let inflight = 0;
    for (let i = 0; i < BACKLOG; i++) {
      while (inflight >= 500) await new Promise((r) => setImmediate(r));
      inflight += 1;
      pub.publish('bench/floor/e', JSON.stringify({ v: 1, id: `x${i}`, seq: i, data: { i } }), { qos: 1 }, () => void (inflight -= 1));
    }
    await waitFor('floor received', () => received >= BACKLOG || undefined, 120_000, 20);
    const floorSeconds = (performance.now() - f0) / 1000;
    await pub.endAsync();
    await sub.endAsync();
    return { seconds, startSeconds, floorSeconds };
  } finally {
    await broker.stop();
  }
}

export async function benchOutbox(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-outbox-'));
  try {
    const bare: number[] = [];
    const ours: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const d = join(dir, `r${r}`);
      await import('node:fs/promises').then((fs) => fs.mkdir(d, { recursive: true }));
      bare.push(await bareInsertRate(d));
      ours.push(await outboxRate(join(d, 'store')));
    }
    report('durable events/s through outbox', median(ours), 'ev/s', 'bare 1-row INSERT, WAL+FULL', median(bare), `median of ${ROUNDS} rounds`);
    const drain = await backlogDrain(dir);
    report(`backlog of ${BACKLOG} drained (s)`, drain.seconds, 's', 'bare mqtt.js QoS1 pub→sub same count', drain.floorSeconds, `includes the device's start (${drain.startSeconds.toFixed(2)} s), server in-order delivery + evt-ack`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
