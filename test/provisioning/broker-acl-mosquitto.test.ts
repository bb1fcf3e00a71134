// The broker files `halld provision` writes, loaded by a real Mosquitto with
// allow_anonymous false and use_username_as_clientid: each device's own traffic works, and it
// can neither publish under another device's root or to any server topic, nor read another
// device's commands, nor take another device's client id. A denied publish is proven absent
// by a barrier: an allowed message the same client sends after it, which must arrive alone.
import t from 'tap';
import { connectAsync, type MqttClient, type IClientOptions } from 'mqtt';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { BrokerFiles } from '../../provisioning/broker-files.js';
import { hashPassword } from '../../provisioning/mosquitto-passwd.js';

const H = 'halld/v1/hall-1';

async function client(t: { teardown(fn: () => unknown): void }, url: string, opts: IClientOptions): Promise<MqttClient> {
  const c = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5_000, ...opts });
  t.teardown(() => c.endAsync(true));
  return c;
}

/** Every message a client receives, in order. */
function recorder(c: MqttClient): { topic: string; body: string }[] {
  const got: { topic: string; body: string }[] = [];
  c.on('message', (topic, payload) => got.push({ topic, body: payload.toString() }));
  return got;
}

/** The PUBACK reason code Mosquitto gives a QoS 1 publish (0x87 = not authorized). */
async function pubackCode(c: MqttClient, topic: string, body: string): Promise<number> {
  try {
    const packet = await c.publishAsync(topic, body, { qos: 1 });
    return (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

t.test('a real Mosquitto with the generated passwd and ACL keeps each device in its own lane', { skip: mosquittoSkip() }, async (t) => {
  const dir = await tempDir(t);
  const files = await BrokerFiles.open(dir);
  files.setDevice('hall-1', 'kiosk-a', ['ticket-printer'], 'pw-a');
  files.setDevice('hall-1', 'kiosk-b', ['ticket-printer'], 'pw-b');
  const server = await files.ensureServerAccount('hall-1');
  await files.save();
  const serverPw = (await readFile(join(dir, `${server}.password`), 'utf8')).trim();
  // A test-only observer that reads the whole broker: where a denied message would show up.
  await appendFile(join(dir, 'halld.passwd'), `observer:${hashPassword('pw-o')}\n`);
  await appendFile(join(dir, 'halld.acl'), '\nuser observer\ntopic read #\n');
  const broker = await startMosquitto(dir, { passwordFile: join(dir, 'halld.passwd'), aclFile: join(dir, 'halld.acl') });
  t.teardown(() => broker.stop());

  const observer = await client(t, broker.url, { username: 'observer', password: 'pw-o', clientId: 'observer', clean: true });
  await observer.subscribeAsync('#', { qos: 1 });
  const seen = recorder(observer);
  const a = await client(t, broker.url, { username: 'kiosk-a', password: 'pw-a', clientId: 'kiosk-a', clean: false });
  const b = await client(t, broker.url, { username: 'kiosk-b', password: 'pw-b', clientId: 'kiosk-b', clean: false });
  const srv = await client(t, broker.url, { username: server, password: serverPw, clientId: server, clean: true });
  const aGot = recorder(a);
  const bGot = recorder(b);
  const srvGot = recorder(srv);

  t.test('anonymous and wrong passwords are refused', async (t) => {
    await t.rejects(connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0, clientId: 'kiosk-a' }), 'no credentials');
    await t.rejects(connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0, username: 'kiosk-a', password: 'pw-b' }), 'another device\'s password');
  });

  t.test('own traffic works both ways', async (t) => {
    t.equal((await srv.subscribeAsync(`${H}/+/evt/#`, { qos: 1 }))[0]?.qos, 1);
    for (const s of [`${H}/kiosk-a/cmd/#`, `${H}/kiosk-a/config`, `${H}/kiosk-a/res`, `${H}/kiosk-a/evt-ack`, `${H}/time`, `${H}/all/cmd/ticket-printer/#`]) {
      t.equal((await a.subscribeAsync(s, { qos: 1 }))[0]?.qos, 1, `kiosk-a may subscribe ${s}`);
    }
    t.equal(await pubackCode(a, `${H}/kiosk-a/evt/sys/boot`, 'a-evt'), 0);
    await waitFor('server gets kiosk-a evt', () => srvGot.some((m) => m.body === 'a-evt'));
    for (const topic of [`${H}/kiosk-a/cmd/sys/identify`, `${H}/kiosk-a/config`, `${H}/kiosk-a/evt-ack`, `${H}/time`, `${H}/all/cmd/ticket-printer/reset`]) {
      t.equal(await pubackCode(srv, topic, `srv:${topic}`), 0, `server publishes ${topic}`);
      await waitFor(`kiosk-a gets ${topic}`, () => aGot.some((m) => m.topic === topic));
    }
  });

  t.test('a device cannot publish under another root or to any server topic', async (t) => {
    const denied = [`${H}/kiosk-b/evt/sys/boot`, `${H}/kiosk-b/status`, `${H}/kiosk-a/cmd/sys/identify`, `${H}/kiosk-b/cmd/locker/open`, `${H}/kiosk-a/config`, `${H}/kiosk-a/evt-ack`, `${H}/kiosk-a/res`, `${H}/time`, `${H}/all/cmd/sys/restart`];
    for (const topic of denied) t.equal(await pubackCode(a, topic, `forged:${topic}`), 0x87, `kiosk-a -> ${topic}: not authorized`);
    // Barrier: allowed, sent after every denied one by the same client.
    t.equal(await pubackCode(a, `${H}/kiosk-a/evt/sys/barrier`, 'barrier-1'), 0);
    await waitFor('observer gets the barrier', () => seen.some((m) => m.body === 'barrier-1'));
    t.same(seen.filter((m) => m.body.startsWith('forged:')), [], 'no forged message reached the broker\'s subscribers');
  });

  t.test("a device cannot read another device's commands", async (t) => {
    // Mosquitto 2.0's acl_file grants the SUBSCRIBE itself (SUBACK qos 1) and checks `read` on
    // every delivery instead, so what counts is that nothing is delivered.
    await b.subscribeAsync(`${H}/kiosk-a/cmd/#`, { qos: 1 });
    await b.subscribeAsync(`${H}/kiosk-b/cmd/#`, { qos: 1 });
    await pubackCode(srv, `${H}/kiosk-a/cmd/locker/open`, 'secret-for-a');
    await pubackCode(srv, `${H}/kiosk-b/cmd/sys/identify`, 'barrier-b');
    await waitFor('kiosk-b gets its own command', () => bGot.some((m) => m.body === 'barrier-b'));
    t.notOk(bGot.some((m) => m.body === 'secret-for-a'), "kiosk-b never saw kiosk-a's command");
    await waitFor('kiosk-a gets its command', () => aGot.some((m) => m.body === 'secret-for-a'));
  });

  t.test("a device cannot take another device's client id", async (t) => {
    let aClosed = false;
    a.once('close', () => (aClosed = true));
    // kiosk-b's credentials with kiosk-a's client id: the broker makes it kiosk-b (and kicks kiosk-b's old session, not kiosk-a's).
    const thief = await client(t, broker.url, { username: 'kiosk-b', password: 'pw-b', clientId: 'kiosk-a', clean: false });
    const thiefGot = recorder(thief);
    await pubackCode(srv, `${H}/kiosk-a/cmd/sys/identify`, 'after-thief');
    await waitFor('kiosk-a still gets its commands', () => aGot.some((m) => m.body === 'after-thief'));
    t.notOk(aClosed, 'kiosk-a was not disconnected');
    t.notOk(thiefGot.some((m) => m.body === 'after-thief'), "the thief got none of kiosk-a's commands");
  });
});
