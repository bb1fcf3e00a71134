// Fuzzing a whole device (sys + ticket-printer on the sim board, in-process, on aedes bound
// to 127.0.0.1) through every surface it reads: its cmd topics, the hall-wide cmd topics,
// res, evt-ack, config and time. Invariants: no crash, exactly one schema-valid ack per
// command payload whose id can be read (and none for any other), the device answers
// afterwards, and RSS and database size stay within the bounds stated below.
//
// Profiles: the default (CI) sends 2,000 payloads; HALLD_FUZZ=full sends 10,000
// (`npm run build --silent && HALLD_FUZZ=full node scripts/run-tests.mjs device-fuzz`).
// Both at most RATE_PER_S payloads a second. HALLD_FUZZ_SEED=<n> replays a run.
import t from 'tap';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import mqtt from 'mqtt';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { parseConfig } from '../../firmware/config/parse-config.js';
import { Runtime } from '../../firmware/runtime.js';
import { silentLogger } from '../../firmware/log.js';
import { deviceRoot } from '../../protocol/topics.js';
import { Ack } from '../../protocol/messages.js';
import { validate } from '../../protocol/validate.js';
import { testServer } from '../../testkit/hall-server.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { CATEGORIES, IO } from '../roles/ticket-printer/kiosk-fixture.js';
import { Gen, answerableId, fuzzCase, rng, type FuzzCase } from './payloads.js';

const FULL = process.env['HALLD_FUZZ'] === 'full';
const COUNT = FULL ? 10_000 : 2_000;
const SEED = Number(process.env['HALLD_FUZZ_SEED'] ?? 20261128);
const RATE_PER_S = 500;
const BATCH = 10;
const MAX_PAYLOAD_BYTES = 262_144;
// Bounds: the database (with its WAL) after the run, and how much the whole test process
// (broker, fuzzer, server and device share it) may grow. Measured on the dev machine: 2,000
// payloads 1.7 MiB / +82 MiB, 10,000 payloads 4.5 MiB / +152 MiB (most of it garbage of
// the ~1 MB payloads not yet returned to the OS). The RSS bound is a coarse guard against a
// runaway; the exact memory bounds (journal bytes, recent-ack bytes) are asserted in
// test/firmware/link/command-limits.test.ts.
const DB_BOUND_BYTES = 16 * 1024 * 1024;
const RSS_GROWTH_BOUND_BYTES = 256 * 1024 * 1024;

const HALL = 'fuzz-hall';
const DEVICE = 'fz-1';

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

t.test(`fuzz: ${COUNT} payloads at <= ${RATE_PER_S}/s (seed ${SEED})`, async (t) => {
  const dir = await tempDir(t, 'halld-fuzz-');
  const broker = await startAedesBroker();
  t.teardown(() => broker.close());
  t.match(broker.url, /^mqtt:\/\/127\.0\.0\.1:\d+$/, 'broker on loopback only');
  const server = await testServer(t, { url: broker.url, hall: HALL });
  const restarts: string[] = [];
  const dataDir = join(dir, 'data');
  const config = parseConfig({
    hall: HALL,
    device: DEVICE,
    board: 'sim',
    dataDir,
    broker: { url: broker.url, reconnectMinMs: 100 },
    io: IO,
    roles: {
      sys: {},
      'ticket-printer': { printer: 'main', hallName: '模糊测试大厅', categories: CATEGORIES, takeTimeoutMs: 400, statusPollMs: 1000, kiosk: { port: 0 } },
    },
  });
  const runtime = await Runtime.start(config, { log: silentLogger(), onRestartRequest: (reason) => void restarts.push(reason) });
  t.teardown(() => runtime.stop('fuzz end'));
  await server.waitOnline(DEVICE);

  const root = deviceRoot({ hall: HALL, device: DEVICE });
  const fuzzer = await mqtt.connectAsync(broker.url, { clientId: 'fuzzer', reconnectPeriod: 0 });
  t.teardown(() => fuzzer.endAsync());
  const acks = new Map<string, number>();
  const invalidAcks: string[] = [];
  fuzzer.on('message', (topic, payload) => {
    if (topic !== `${root}/ack`) return;
    const parsed = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    const check = validate(Ack, parsed);
    if (!check.ok) invalidAcks.push(`${payload.toString('utf8').slice(0, 200)}: ${check.errors.join('; ')}`);
    const id = String(parsed['id']);
    acks.set(id, (acks.get(id) ?? 0) + 1);
  });
  await fuzzer.subscribeAsync(`${root}/ack`, { qos: 1 });

  const rssBefore = process.memoryUsage().rss;
  const g = new Gen(rng(SEED));
  let n = 0;
  const nextId = () => `fz-${(n++).toString(36)}`;
  const expected = new Set<string>();
  const kinds = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < COUNT; i += BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(COUNT, i + BATCH); j++) {
      const c: FuzzCase = fuzzCase(g, nextId, Date.now());
      kinds.set(`${c.surface}/${c.kind}`, (kinds.get(`${c.surface}/${c.kind}`) ?? 0) + 1);
      const topic = topicFor(c, root);
      if (c.surface === 'cmd' || c.surface === 'hall-cmd') {
        const id = answerableId(c.payload, MAX_PAYLOAD_BYTES);
        if (id !== undefined) expected.add(id);
      }
      batch.push(fuzzer.publishAsync(topic, c.payload, { qos: 1 }));
    }
    await Promise.all(batch);
    // Bounded rate: a batch may not start before its share of time has passed.
    const due = started + ((i + BATCH) * 1000) / RATE_PER_S;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  t.comment(`sent ${COUNT} payloads in ${Date.now() - started} ms; ${expected.size} with a readable command id; cases: ${JSON.stringify(Object.fromEntries(kinds))}`);
  t.ok(expected.size > COUNT / 5, 'a good share of the payloads carried a readable id');

  await waitFor(`an ack for each of ${expected.size} ids`, () => [...expected].every((id) => acks.has(id)), 60_000, 100);
  // Barrier: an ack published after all of the above, so a second ack for any of them would be in by now.
  const barrier = await server.client.command(DEVICE, 'sys/ping', { barrier: true });
  t.equal(barrier.ok, true, 'the device still answers');

  const twice = [...acks].filter(([, count]) => count !== 1);
  t.same(twice, [], 'exactly one ack per id');
  const unexpected = [...acks.keys()].filter((id) => !expected.has(id) && id !== barrier.id);
  t.same(unexpected, [], 'no ack for an id the device could not have read');
  t.same(invalidAcks, [], 'every ack matches the Ack schema');

  const dbBytes = fileSize(join(dataDir, 'halld.db')) + fileSize(join(dataDir, 'halld.db-wal'));
  const rssGrowth = process.memoryUsage().rss - rssBefore;
  t.comment(`database ${(dbBytes / 1048576).toFixed(1)} MiB, RSS growth ${(rssGrowth / 1048576).toFixed(1)} MiB, restarts requested ${restarts.length}`);
  t.ok(dbBytes < DB_BOUND_BYTES, `database + WAL ${dbBytes} bytes < ${DB_BOUND_BYTES}`);
  t.ok(rssGrowth < RSS_GROWTH_BOUND_BYTES, `RSS grew ${rssGrowth} bytes < ${RSS_GROWTH_BOUND_BYTES}`);
  const journal = await runtime.store.get<{ c: number }>('SELECT count(*) AS c FROM journal');
  t.ok((journal?.c ?? 0) <= expected.size, 'the journal holds at most one row per command');
});

function topicFor(c: FuzzCase, root: string): string {
  switch (c.surface) {
    case 'cmd':
      return `${root}/cmd/${c.target?.role ?? 'sys'}/${c.target?.name ?? 'ping'}`;
    case 'hall-cmd':
      return `halld/v1/${HALL}/all/cmd/${c.target?.role ?? 'sys'}/${c.target?.name ?? 'ping'}`;
    case 'res':
      return `${root}/res`;
    case 'evt-ack':
      return `${root}/evt-ack`;
    case 'config':
      return `${root}/config`;
    case 'time':
      return `halld/v1/${HALL}/time`;
  }
}
