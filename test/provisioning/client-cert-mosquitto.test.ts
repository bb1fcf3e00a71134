// Devices provisioned with certificates from the hall CA on a real Mosquitto whose TLS listener
// requires a client certificate and takes the username from its CN (`require_certificate
// true`, `use_identity_as_username true`): the provisioned device (`halld run` on the config
// `halld provision` wrote) comes online with its certificate, the generated ACL applies to the
// certificate's identity, and a client without a certificate or with one from another CA is
// refused. The hall server and a test observer use the password listener beside it.
import t from 'tap';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deviceProcess, runCli } from '../../testkit/device-process.js';
import { freePort, startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { tempDir } from '../../testkit/temp.js';
import { makeTestCa, opensslSkip } from '../../testkit/test-ca.js';
import { waitFor } from '../../testkit/wait.js';
import { hashPassword } from '../../provisioning/mosquitto-passwd.js';

const H = 'halld/v1/hall-1';

async function client(t: { teardown(fn: () => unknown): void }, url: string, opts: IClientOptions): Promise<MqttClient> {
  const c = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5_000, ...opts });
  t.teardown(() => c.endAsync(true));
  return c;
}

/** The PUBACK reason code Mosquitto gives a QoS 1 publish (0x87 = not authorized). */
async function pubackCode(c: MqttClient, topic: string, body: string): Promise<number> {
  try {
    const packet = await c.publishAsync(topic, body, { qos: 1 });
    return (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1; // mqtt.js rejects a PUBACK with a failure reason
  }
}

t.test('client certificates from the hall CA: the device connects with its own, the ACL follows its CN, a foreign CA is refused', { skip: mosquittoSkip() || opensslSkip() }, async (t) => {
  const dir = await tempDir(t);
  const ca = await makeTestCa(dir, 'hall-1-ca');
  const server = await ca.serverCert('broker');
  const tlsPort = await freePort();
  const tlsUrl = `mqtts://127.0.0.1:${tlsPort}`;
  const brokerDir = join(dir, 'broker');
  const roots: Record<string, string> = {};
  for (const device of ['kiosk-1', 'kiosk-2']) {
    roots[device] = join(dir, device);
    const r = await runCli(['provision', '--hall', 'hall-1', '--device', device, '--broker', tlsUrl, '--target', roots[device], '--broker-dir', brokerDir, '--ca-cert', ca.certFile, '--ca-key', ca.keyFile], 60_000);
    t.equal(r.code, 0, r.stderr);
  }
  // A test-only observer that reads the whole broker, on the password listener.
  await appendFile(join(brokerDir, 'halld.passwd'), `observer:${hashPassword('pw-o')}\n`);
  await appendFile(join(brokerDir, 'halld.acl'), '\nuser observer\ntopic read #\n');
  const broker = await startMosquitto(brokerDir, {
    passwordFile: join(brokerDir, 'halld.passwd'),
    aclFile: join(brokerDir, 'halld.acl'),
    extraConfig: [`listener ${tlsPort} 127.0.0.1`, `cafile ${ca.certFile}`, `certfile ${server.certFile}`, `keyfile ${server.keyFile}`, 'require_certificate true', 'use_identity_as_username true', 'use_username_as_clientid true'],
  });
  t.teardown(() => broker.stop());
  const observer = await client(t, broker.url, { username: 'observer', password: 'pw-o', clientId: 'observer', clean: true });
  await observer.subscribeAsync('#', { qos: 1 });
  const seen: { topic: string; body: string }[] = [];
  observer.on('message', (topic, payload) => seen.push({ topic, body: payload.toString() }));

  // The device as provisioned: its own config, key, certificate and CA beside it.
  const etc = join(roots['kiosk-1'] ?? '', 'etc/halld');
  const config = JSON.parse(await readFile(join(etc, 'device.json'), 'utf8')) as Record<string, unknown>;
  t.match(config['broker'], { url: tlsUrl, ca: 'hall-ca.pem', cert: 'device.crt', key: 'device.key' });
  // It must get in by its certificate alone: the password listener's secret is not sent.
  const broker1: Record<string, unknown> = { ...(config['broker'] as Record<string, unknown>), reconnectMinMs: 100 };
  delete broker1['password'];
  delete config['dataDir']; // the test's data dir, not /var/lib/halld
  const device = await deviceProcess(t, etc, { ...config, broker: broker1 });
  device.start();
  const birth = await waitFor('kiosk-1 online through the TLS listener', () => seen.find((m) => m.topic === `${H}/kiosk-1/status` && (JSON.parse(m.body) as { online?: boolean }).online === true), 20_000);
  t.ok(birth, 'the provisioned device came online with its certificate');

  // kiosk-2's certificate, as an mqtt.js client: the ACL of account kiosk-2 applies to it.
  const etc2 = join(roots['kiosk-2'] ?? '', 'etc/halld');
  const tls = async (name: string) => readFile(join(etc2, name));
  const k2 = await client(t, tlsUrl, { clientId: 'kiosk-2', clean: false, ca: await tls('hall-ca.pem'), cert: await tls('device.crt'), key: await tls('device.key') });
  t.equal(await pubackCode(k2, `${H}/kiosk-1/evt/sys/forged`, '{}'), 0x87, "kiosk-2's certificate cannot publish under kiosk-1's root");
  t.equal(await pubackCode(k2, `${H}/kiosk-2/cmd/sys/ping`, '{}'), 0x87, 'nor to a cmd topic');
  t.equal(await pubackCode(k2, `${H}/kiosk-2/evt/sys/test`, '{"own":true}'), 0, 'its own root is allowed');
  await waitFor('its own event at the observer', () => seen.find((m) => m.topic === `${H}/kiosk-2/evt/sys/test`));
  t.notOk(seen.find((m) => m.topic.endsWith('/forged') || m.topic.includes('/cmd/')), 'the denied messages never reached anyone');

  // Without a certificate, or with one the hall CA did not sign (even with CN=kiosk-1): refused.
  await t.rejects(connectAsync(tlsUrl, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5_000, clientId: 'kiosk-1', ca: await tls('hall-ca.pem') }), 'no client certificate: refused');
  const other = await makeTestCa(dir, 'other-ca');
  const otherRoot = join(dir, 'forged-root');
  t.equal((await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-1', '--broker', tlsUrl, '--target', otherRoot, '--ca-cert', other.certFile, '--ca-key', other.keyFile], 60_000)).code, 0);
  const forged = async (name: string) => readFile(join(otherRoot, 'etc/halld', name));
  await t.rejects(
    connectAsync(tlsUrl, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5_000, clientId: 'kiosk-1', ca: await tls('hall-ca.pem'), cert: await forged('device.crt'), key: await forged('device.key') }),
    'a certificate from another CA: refused',
  );
  t.equal(device.running, true, 'the real kiosk-1 is still running');
  t.notOk(seen.find((m) => m.topic === `${H}/kiosk-1/status` && (JSON.parse(m.body) as { online?: boolean }).online === false), 'and was never pushed offline by the refused clients');
});
