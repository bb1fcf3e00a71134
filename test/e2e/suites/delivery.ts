// "Events: nothing lost" end to end, with the device as a child process:
// broker restarted mid-stream, device SIGKILLed mid-storm, server away while events pile up
// (past Mosquitto's queue limit), and a stale will after a reconnect.
import type { Test } from 'tap';
import { join } from 'node:path';
import { deviceProcess } from '../../../testkit/device-process.js';
import { testServer, seqProblems, type TestServer } from '../../../testkit/hall-server.js';
import { waitFor, sleep } from '../../../testkit/wait.js';
import { deviceConfig } from './device-config.js';
import type { Ack } from '../../../protocol/messages.js';

export interface RestartableBroker {
  url: string;
  restart(): Promise<void>;
}

interface StormResult {
  acked: Map<string, number>;
  failed: number;
}

/** Sends `sys/test-events` commands back to back until `stop()`; records which were acked ok. */
function storm(server: TestServer, device: string, perCommand: number): { stop: () => Promise<StormResult>; sent: string[]; acked: Map<string, number> } {
  const acked = new Map<string, number>();
  const sent: string[] = [];
  let failed = 0;
  let running = true;
  let i = 0;
  const loop = (async () => {
    while (running) {
      const id = `storm-${device}-${i++}`;
      sent.push(id);
      try {
        const ack: Ack = await server.client.command(device, 'sys/test-events', { count: perCommand, tag: 'storm' }, { id, timeoutMs: 1_500, expiresInMs: 600_000 });
        if (ack.ok) acked.set(id, perCommand);
        else failed += 1;
      } catch {
        failed += 1;
        await sleep(50);
      }
    }
  })();
  return {
    sent,
    acked,
    stop: async () => {
      running = false;
      await loop;
      return { acked, failed };
    },
  };
}

function stormEventsByCommand(server: TestServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of server.events) {
    if (e.message.data['tag'] !== 'storm') continue;
    const cmd = String(e.message.data['cmd']);
    counts.set(cmd, (counts.get(cmd) ?? 0) + 1);
  }
  return counts;
}

export async function brokerRestartSuite(t: Test, broker: RestartableBroker, dir: string): Promise<void> {
  const device = await deviceProcess(t, join(dir, 'dev'), deviceConfig(broker.url, 'dev-restart'));
  const server = await testServer(t, { url: broker.url, clientId: 'server-restart' });
  device.start();
  await server.waitOnline('dev-restart');
  const s = storm(server, 'dev-restart', 5);
  await waitFor('some storm events', () => server.events.length >= 50, 15_000);
  const ackedBefore = s.acked.size;
  await broker.restart();
  await waitFor('the storm going on after the restart', () => s.acked.size >= ackedBefore + 10 || undefined, 30_000);
  const { acked } = await s.stop();
  const total = [...acked.values()].reduce((a, b) => a + b, 0);
  await waitFor('every acknowledged event delivered', () => {
    const counts = stormEventsByCommand(server);
    return [...acked.keys()].every((id) => counts.get(id) === 5) || undefined;
  }, 30_000).catch(() => undefined);
  const byCmd = stormEventsByCommand(server);
  t.ok(server.events.length >= total, `${server.events.length} events delivered for ${total} acknowledged`);
  const missing = [...acked.keys()].filter((id) => byCmd.get(id) !== 5);
  t.same(missing, [], 'every acked command has all 5 events at the server');
  t.same(seqProblems(server.events), [], 'delivered in seq order with no gap');
  t.ok(acked.size >= ackedBefore + 10, `the storm ran across the restart (${ackedBefore} commands acked before, ${acked.size} in all)`);
  await device.kill();
}

export async function sigkillSuite(t: Test, url: string, dir: string): Promise<void> {
  const device = await deviceProcess(t, join(dir, 'dev'), deviceConfig(url, 'dev-kill'));
  const server = await testServer(t, { url, clientId: 'server-kill' });
  device.start();
  const first = await server.waitOnline('dev-kill');
  const s = storm(server, 'dev-kill', 4);
  await waitFor('storm under way', () => server.events.length >= 80, 15_000);
  t.equal(await device.kill('SIGKILL'), null, 'killed with SIGKILL');
  const during = await s.stop(); // waits for the command in flight to be answered or time out
  device.start();
  await server.waitOnline('dev-kill', { boot: first.boot + 1 });
  // Send every command again with its id: the acked ones must answer dup and emit nothing.
  let dups = 0;
  let reran = 0;
  for (const id of during.acked.keys()) {
    const again = await server.client.command('dev-kill', 'sys/test-events', { count: 4, tag: 'storm' }, { id, timeoutMs: 5_000, expiresInMs: 600_000 });
    if (again.dup === true) dups += 1;
    else reran += 1;
  }
  t.equal(reran, 0, 'no acknowledged command ran again after restart');
  t.equal(dups, during.acked.size, `all ${during.acked.size} answered dup:true`);
  const total = [...during.acked.values()].reduce((a, b) => a + b, 0);
  await waitFor('every acknowledged event delivered', () => {
    const byCmd = stormEventsByCommand(server);
    return [...during.acked.keys()].every((id) => byCmd.get(id) === 4) || undefined;
  }, 30_000);
  const byCmd = stormEventsByCommand(server);
  t.ok(server.events.length >= total, `${server.events.length} events delivered for ${total} acknowledged`);
  t.same([...byCmd.values()].filter((n) => n !== 4), [], 'no command emitted twice or partially');
  t.same(seqProblems(server.events), [], 'delivered in seq order with no gap across the kill');
  await device.kill();
}

export async function serverAwaySuite(t: Test, url: string, dir: string, pile: number): Promise<void> {
  const device = await deviceProcess(t, join(dir, 'dev'), deviceConfig(url, 'dev-away'));
  let server = await testServer(t, { url, clientId: 'server-away' });
  device.start();
  await server.waitOnline('dev-away');
  const commander = await testServer(t, { url, clientId: 'commander', events: false });
  await server.close(); // the server goes away; its persistent session stays at the broker
  const ack = await commander.client.command('dev-away', 'sys/test-events', { count: pile, tag: 'pile', durable: true }, { timeoutMs: 30_000 });
  t.equal(ack.ok, true, `device stored ${pile} events while the server was away`);
  await sleep(1500);
  server = await testServer(t, { url, clientId: 'server-away' });
  await waitFor(`${pile} events delivered`, () => server.events.filter((e) => e.message.data['tag'] === 'pile').length >= pile || undefined, 60_000);
  const got = server.events.filter((e) => e.message.data['tag'] === 'pile').map((e) => e.message.data['i']);
  t.equal(got.length, pile, 'each event exactly once');
  t.same(got.slice(0, 3), [0, 1, 2]);
  t.same(seqProblems(server.events), [], 'in seq order with no gap');
  t.ok(server.events.some((e) => e.message.replay === true), 'some arrived as replays (resent after no evt-ack)');
  await device.kill();
}

export async function staleWillSuite(t: Test, url: string, dir: string, dropConnection: () => Promise<void>): Promise<void> {
  const device = await deviceProcess(t, join(dir, 'dev'), deviceConfig(url, 'dev-will'));
  const server = await testServer(t, { url, clientId: 'server-will' });
  device.start();
  const first = await server.waitOnline('dev-will');
  await dropConnection();
  const second = await server.waitOnline('dev-will', { boot: first.boot, conn: first.conn + 1 });
  t.equal(second.conn, first.conn + 1, 'reconnected with the next connection number');
  t.ok(server.statuses.some((s) => !s.online && s.conn === first.conn), 'the will of the dropped connection was seen');
  // A will from the old connection arriving late (a bridged or clustered broker) must not mark it offline.
  await server.client['mqtt']().publishAsync('halld/v1/test-hall/dev-will/status', JSON.stringify({ v: 1, online: false, boot: first.boot, conn: first.conn }), { qos: 1 });
  // The barrier: the stale will has been processed (counted); only then is "still online" worth checking.
  await waitFor('the stale will processed', () => (server.client.stats()['staleStatus'] ?? 0) >= 1);
  t.equal(server.client.status('dev-will')?.online, true, 'stale will ignored');
  t.ok(server.client.stats()['staleStatus']! >= 1, 'counted as stale');
  const ping = await server.client.command('dev-will', 'sys/ping', {});
  t.equal(ping.ok, true);
  await device.kill();
}
