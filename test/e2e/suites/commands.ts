// Commands end to end: a `halld run` child process driven by HallClient through a real broker.
// Runs once against aedes and once against Mosquitto (see the two *.test.ts files).
import type { Test } from 'tap';
import { join } from 'node:path';
import { generateSigningKeys, signEnvelope } from '../../../protocol/signing.js';
import { deviceProcess } from '../../../testkit/device-process.js';
import { testServer } from '../../../testkit/hall-server.js';
import { waitFor } from '../../../testkit/wait.js';
import { eventBarrier } from './event-barrier.js';
import { deviceConfig } from './device-config.js';

export async function commandSuite(t: Test, url: string, dir: string): Promise<void> {
  const keys = generateSigningKeys();
  const device = await deviceProcess(
    t,
    join(dir, 'dev'),
    deviceConfig(url, 'dev-1', { security: { serverPublicKey: keys.publicKeyPem, secureCommands: ['sys/identify'] } }),
  );
  const server = await testServer(t, { url, signingKey: keys.privateKeyPem, secureCommands: ['sys/identify'] });
  device.start();
  const birth = await server.waitOnline('dev-1');
  t.equal(birth.online, true);
  t.same(birth.roles, ['sys']);
  t.equal(birth.board, 'sim');

  t.test('ping echoes its data', async (t) => {
    const ack = await server.client.command('dev-1', 'sys/ping', { hello: '你好', n: 42 });
    t.same(ack, { v: 1, id: ack.id, ok: true, data: { hello: '你好', n: 42 } });
  });

  t.test('a repeated id answers the stored ack with dup:true and runs nothing again', async (t) => {
    const first = await server.client.command('dev-1', 'sys/test-events', { count: 3, tag: 'dup' }, { id: 'dup-test-1' });
    t.equal(first.ok, true);
    t.notOk(first.dup);
    const again = await server.client.command('dev-1', 'sys/test-events', { count: 3, tag: 'dup' }, { id: 'dup-test-1' });
    t.equal(again.ok, true);
    t.equal(again.dup, true);
    t.same(again.ok && again.data, { emitted: 3 });
    await waitFor('3 tagged events', () => server.events.filter((e) => e.message.data['tag'] === 'dup').length >= 3);
    await eventBarrier(server, 'dev-1');
    t.equal(server.events.filter((e) => e.message.data['tag'] === 'dup').length, 3, 'the duplicate emitted nothing');
  });

  t.test('bursts of identical ids run once each, for read-only and state commands', async (t) => {
    const acks: { id: string; ok: boolean; dup?: boolean }[] = [];
    const off = server.client.onAck((d, a) => void (d === 'dev-1' && a.id.startsWith('burst-') && acks.push(a)));
    t.teardown(off);
    const envelope = (id: string, data: Record<string, unknown>) => JSON.stringify({ v: 1, id, ts: Date.now(), exp: Date.now() + 30_000, data });
    for (let i = 0; i < 10; i++) {
      for (let copy = 0; copy < 3; copy++) {
        await server.client.publishRawCommand('dev-1', 'sys/test-events', envelope(`burst-ev-${i}`, { count: 2, tag: 'burst' }));
        await server.client.publishRawCommand('dev-1', 'sys/ping', envelope(`burst-ping-${i}`, { i }));
      }
    }
    await waitFor('60 acks', () => acks.length >= 60, 20_000);
    for (const prefix of ['burst-ev-', 'burst-ping-']) {
      for (let i = 0; i < 10; i++) {
        const got = acks.filter((a) => a.id === `${prefix}${i}`);
        t.equal(got.length, 3, `${prefix}${i}: one ack per copy`);
        t.equal(got.filter((a) => a.dup !== true).length, 1, `${prefix}${i}: exactly one first answer`);
      }
    }
    // Barrier: events arrive in seq order, so once this later one is in, every burst event is.
    await server.client.command('dev-1', 'sys/test-events', { count: 1, tag: 'burst-barrier' });
    await waitFor('barrier event', () => server.events.some((e) => e.message.data['tag'] === 'burst-barrier'));
    t.equal(server.events.filter((e) => e.message.data['tag'] === 'burst').length, 20, '10 ids x 2 events: every id ran once');
  });

  t.test('an expired command is refused, not run', async (t) => {
    const ack = await server.client.command('dev-1', 'sys/test-events', { count: 1, tag: 'expired' }, { ts: Date.now() - 60_000, expiresInMs: 1_000 });
    t.equal(ack.ok, false);
    t.equal(!ack.ok && ack.error.code, 'EXPIRED');
    await eventBarrier(server, 'dev-1');
    t.equal(server.events.filter((e) => e.message.data['tag'] === 'expired').length, 0);
  });

  t.test('secure commands need a valid signature', async (t) => {
    const unsigned = await server.client.command('dev-1', 'sys/identify', { durationMs: 100 }, { sign: false });
    t.equal(!unsigned.ok && unsigned.error.code, 'UNAUTHORIZED');
    t.match(!unsigned.ok && unsigned.error.message, /must be signed/);
    const other = generateSigningKeys();
    const forged = JSON.stringify(signEnvelope({ v: 1, id: 'forged-1', ts: Date.now(), exp: Date.now() + 5000, data: { durationMs: 100 } }, other.privateKeyPem));
    const forgedAck = new Promise((resolve) => server.client.onAck((d, a) => a.id === 'forged-1' && resolve(a)));
    await server.client.publishRawCommand('dev-1', 'sys/identify', forged);
    t.match(await forgedAck, { ok: false, error: { code: 'UNAUTHORIZED', message: /does not verify/ } });
    const signed = await server.client.command('dev-1', 'sys/identify', { durationMs: 100 });
    t.equal(signed.ok, true, 'correctly signed runs');
  });

  t.test('malformed input gets BAD_REQUEST or protocol.error and the device keeps running', async (t) => {
    const acks: unknown[] = [];
    server.client.onAck((_d, a) => void acks.push(a));
    await server.client.publishRawCommand('dev-1', 'sys/ping', '{not json');
    await waitFor('protocol.error event', () => server.eventsNamed('protocol.error').length > 0);
    t.match(server.eventsNamed('protocol.error')[0]?.message.data, { topic: 'cmd/sys/ping', reason: /not JSON/ });
    await server.client.publishRawCommand('dev-1', 'sys/ping', JSON.stringify({ v: 2, id: 'wrong-v', ts: Date.now(), exp: Date.now() + 5000, data: {} }));
    const wrongV = await waitFor('ack for wrong v', () => acks.find((a) => (a as { id: string }).id === 'wrong-v'));
    t.match(wrongV, { ok: false, error: { code: 'BAD_REQUEST', message: /unsupported protocol version 2/ } });
    const badData = await server.client.commandUnchecked('dev-1', 'sys/test-events', { count: 'many' });
    t.match(badData, { ok: false, error: { code: 'BAD_REQUEST', message: /\/count/ } });
    const noExp = JSON.stringify({ v: 1, id: 'no-exp', ts: Date.now(), data: {} });
    await server.client.publishRawCommand('dev-1', 'sys/ping', noExp);
    t.match(await waitFor('ack for no-exp', () => acks.find((a) => (a as { id: string }).id === 'no-exp')), { ok: false, error: { code: 'BAD_REQUEST', message: /exp/ } });
    const unknown = await server.client.commandUnchecked('dev-1', 'sys/self-destruct', {});
    t.match(unknown, { ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    const ping = await server.client.command('dev-1', 'sys/ping', { still: 'alive' });
    t.equal(ping.ok, true, 'device still answers');
  });

  t.test('the retained config is applied atomically or rejected with reasons', async (t) => {
    await server.client.publishConfig('dev-1', 2, { roles: { sys: { identifyMs: 'long' } } });
    const rejected = await waitFor('config.rejected', () => server.eventsNamed('config.rejected').find((e) => e.message.data['rev'] === 2));
    t.match(rejected.message.data['reasons'], [/identifyMs/]);
    await server.client.publishConfig('dev-1', 3, { roles: { locker: {} } });
    const wrongRole = await waitFor('config.rejected 3', () => server.eventsNamed('config.rejected').find((e) => e.message.data['rev'] === 3));
    t.match(wrongRole.message.data['reasons'], [/does not run role locker/]);
    t.equal(server.client.status('dev-1')?.online && (server.client.status('dev-1') as { configRev: number }).configRev, 0, 'still on the old config');
    await server.client.publishConfig('dev-1', 4, { roles: { sys: { identifyMs: 2000 } } });
    await waitFor('config.applied', () => server.eventsNamed('config.applied').find((e) => e.message.data['rev'] === 4));
    const status = await waitFor('birth with configRev 4', () => {
      const s = server.client.status('dev-1');
      return s?.online && s.configRev === 4 ? s : undefined;
    });
    t.equal(status.configRev, 4);
    const identify = await server.client.command('dev-1', 'sys/identify', {});
    t.match(identify, { ok: true, data: { durationMs: 2000 } }, 'the new config is in force');
  });

  t.test('hall-wide commands reach the device and are acked on its own topic', async (t) => {
    const got = new Promise((resolve) => server.client.onAck((d, a) => a.id === 'hall-ping-1' && resolve({ d, a })));
    await server.client.hallCommand('sys/ping', { all: true }, { id: 'hall-ping-1' });
    t.match(await got, { d: 'dev-1', a: { ok: true, data: { all: true } } });
  });

  t.test('diag reports self-tests and link state', async (t) => {
    const ack = await server.client.command('dev-1', 'sys/diag', {}, { timeoutMs: 15_000 });
    t.equal(ack.ok, true);
    const data = ack.ok ? (ack.data as { ok: boolean; results: { name: string; ok: boolean }[]; link: { connected: boolean } }) : undefined;
    t.ok(data?.results.some((r) => r.name === 'store' && r.ok), 'store self-test ran');
    t.equal(data?.link.connected, true);
  });

  t.test('a clean stop publishes offline status', async (t) => {
    await t.resolves(device.kill('SIGTERM'));
    const s = await waitFor('offline status', () => {
      const st = server.client.status('dev-1');
      return st && !st.online ? st : undefined;
    });
    t.equal(s.online, false);
  });
}
