// Password accounts over TLS, with the broker's certificate from the hall's own CA: the
// installer gives `--ca-cert` alone (no client certificate), provisioning installs the CA beside
// the config and names it in `broker.ca`, and the device provisioned that way comes online on a
// real Mosquitto whose TLS listener has the hall CA's server certificate. Without the CA the
// config is still valid (a broker with a public certificate needs none), but `config check`
// and `provision` say that only the system's CAs will be trusted.
import t from 'tap';
import { connectAsync } from 'mqtt';
import { generateKeyPairSync } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deviceProcess, runCli } from '../../testkit/device-process.js';
import { freePort, startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { tempDir } from '../../testkit/temp.js';
import { makeTestCa, opensslSkip } from '../../testkit/test-ca.js';
import { waitFor } from '../../testkit/wait.js';
import { hashPassword } from '../../provisioning/mosquitto-passwd.js';

const CLI_KILL_MS = 90_000;
const H = 'halld/v1/hall-1';

t.test('--ca-cert alone: the hall CA goes beside the config as broker.ca, and the device comes online over TLS with its password', { skip: mosquittoSkip() || opensslSkip() }, async (t) => {
  const dir = await tempDir(t);
  const ca = await makeTestCa(dir, 'hall-1-ca');
  const server = await ca.serverCert('broker');
  const tlsPort = await freePort();
  const tlsUrl = `mqtts://127.0.0.1:${tlsPort}`;
  const brokerDir = join(dir, 'broker');
  const root = join(dir, 'root');
  const serverPub = join(dir, 'server.pub');
  await writeFile(serverPub, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());

  const args = ['provision', '--hall', 'hall-1', '--device', 'kiosk-1', '--broker', tlsUrl, '--target', root, '--broker-dir', brokerDir, '--server-key-pub', serverPub, '--ca-cert', ca.certFile];
  const made = await runCli(args, CLI_KILL_MS);
  t.equal(made.code, 0, made.stderr);
  t.match(made.stdout, /hall-1\/kiosk-1: ok \(password new; hall CA installed/);
  t.notMatch(made.stderr, /warning/, `no warning: ${made.stderr}`);
  const etc = join(root, 'etc/halld');
  const config = JSON.parse(await readFile(join(etc, 'device.json'), 'utf8')) as Record<string, unknown>;
  t.match(config['broker'], { url: tlsUrl, username: 'kiosk-1', password: String, ca: 'hall-ca.pem' });
  t.notOk('cert' in (config['broker'] as object) || 'key' in (config['broker'] as object), 'no client certificate: the password is the account');
  t.equal(await readFile(join(etc, 'hall-ca.pem'), 'utf8'), await readFile(ca.certFile, 'utf8'), 'the hall CA beside the config');
  const check = await runCli(['config', 'check', join(etc, 'device.json')], CLI_KILL_MS);
  t.equal(check.code, 0, check.stderr);
  t.equal(check.stderr, '', 'nothing to warn about');

  const again = await runCli(args, CLI_KILL_MS);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /password kept/);
  t.same(JSON.parse(await readFile(join(etc, 'device.json'), 'utf8')), config, 'a re-run changes nothing');

  // The broker: the generated password file and ACL on a TLS listener with the hall CA's server certificate.
  await appendFile(join(brokerDir, 'halld.passwd'), `observer:${hashPassword('pw-o')}\n`);
  await appendFile(join(brokerDir, 'halld.acl'), '\nuser observer\ntopic read #\n');
  const broker = await startMosquitto(brokerDir, {
    passwordFile: join(brokerDir, 'halld.passwd'),
    aclFile: join(brokerDir, 'halld.acl'),
    extraConfig: [`listener ${tlsPort} 127.0.0.1`, `certfile ${server.certFile}`, `keyfile ${server.keyFile}`],
  });
  t.teardown(() => broker.stop());
  const observer = await connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0, username: 'observer', password: 'pw-o', clientId: 'observer' });
  t.teardown(() => observer.endAsync(true));
  const births: string[] = [];
  observer.on('message', (topic, payload) => {
    if (topic === `${H}/kiosk-1/status`) births.push(payload.toString());
  });
  await observer.subscribeAsync(`${H}/+/status`, { qos: 1 });

  delete config['dataDir']; // the test's data dir, not /var/lib/halld
  const device = await deviceProcess(t, etc, { ...config, broker: { ...(config['broker'] as object), reconnectMinMs: 100 } });
  device.start();
  await waitFor('kiosk-1 online over TLS', () => births.some((b) => (JSON.parse(b) as { online?: boolean }).online === true), 30_000);
  t.pass('the provisioned device trusted the broker through the hall CA and logged in with its password');
});

t.test('an mqtts broker without a CA: provisioning and config check say only the system CAs are trusted', { skip: opensslSkip() }, async (t) => {
  const dir = await tempDir(t);
  const root = join(dir, 'root');
  const made = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-2', '--broker', 'mqtts://broker.hall.local:8883', '--target', root, '--broker-dir', join(dir, 'broker')], CLI_KILL_MS);
  t.equal(made.code, 0, made.stderr);
  t.match(made.stderr, /^halld provision: warning: hall-1\/kiosk-2: field \/broker\/ca: not set: .*system's CAs.*--ca-cert/m);
  const file = join(root, 'etc/halld/device.json');
  const check = await runCli(['config', 'check', file], CLI_KILL_MS);
  t.equal(check.code, 0, 'a warning, not a refusal: a broker with a public certificate needs no CA');
  t.match(check.stdout, /ok \(hall hall-1, device kiosk-2/);
  t.match(check.stderr, new RegExp(`^${file.replaceAll('/', '\\/')}: warning: field /broker/ca: not set: the broker's certificate \\(mqtts://broker\\.hall\\.local:8883\\) is checked against the system's CAs only`, 'm'));
});
