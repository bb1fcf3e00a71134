// `halld provision` with a hall CA: the device's key and certificate (CN = its MQTT username)
// beside its config, signed here with the CA the installer points to, or requested by CSR and
// installed once the CA has signed it; kept on a re-run, renewed only when asked or unusable.
import t from 'tap';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { makeTestCa, opensslSkip, type TestCa } from '../../testkit/test-ca.js';

const CLI_KILL_MS = 60_000;
const mode = async (file: string) => (await stat(file)).mode & 0o777;
const etc = (target: string, name: string) => join(target, 'etc/halld', name);
const provision = (args: string[]) => runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-1', '--broker', 'mqtts://broker.hall.local:8883', ...args], CLI_KILL_MS);

t.test('signed with the hall CA: key 0600, certificate for the username, config names both; re-runs keep them', { skip: opensslSkip() }, async (t) => {
  const dir = await tempDir(t);
  const ca = await makeTestCa(dir, 'hall-1-ca');
  const target = join(dir, 'root');
  const first = await provision(['--target', target, '--ca-cert', ca.certFile, '--ca-key', ca.keyFile]);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /hall-1\/kiosk-1: ok \(password new; new key, certificate signed by CN=hall-1-ca until .*etc\/halld\/device\.key/);
  t.equal(await mode(etc(target, 'device.key')), 0o600, 'the key is 0600');
  const certPem = await readFile(etc(target, 'device.crt'), 'utf8');
  const cert = new X509Certificate(certPem);
  const caCert = new X509Certificate(await readFile(ca.certFile));
  t.match(cert.subject, /^CN=kiosk-1$/m, 'CN = the MQTT username');
  t.ok(cert.verify(caCert.publicKey), 'signed by the hall CA');
  t.ok(cert.checkPrivateKey(createPrivateKey(await readFile(etc(target, 'device.key'), 'utf8'))), "for the device's own key");
  t.match(cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'a client certificate (clientAuth)');
  t.equal(await readFile(etc(target, 'hall-ca.pem'), 'utf8'), caCert.toString(), 'the CA beside it, to check the broker');
  const config = JSON.parse(await readFile(etc(target, 'device.json'), 'utf8')) as { broker: Record<string, string> };
  t.match(config.broker, { url: 'mqtts://broker.hall.local:8883', username: 'kiosk-1', ca: 'hall-ca.pem', cert: 'device.crt', key: 'device.key' });
  const check = await runCli(['config', 'check', etc(target, 'device.json')]);
  t.equal(check.code, 0, `halld config check reads the TLS files: ${check.stderr}`);

  const again = await provision(['--target', target, '--ca-cert', ca.certFile, '--ca-key', ca.keyFile]);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /key and certificate kept/);
  t.equal(await readFile(etc(target, 'device.crt'), 'utf8'), certPem, 'a re-run keeps the certificate');
  const plain = await provision(['--target', target]);
  t.equal(plain.code, 0, plain.stderr);
  t.match(JSON.parse(await readFile(etc(target, 'device.json'), 'utf8')), { broker: { cert: 'device.crt', key: 'device.key', ca: 'hall-ca.pem' } }, 'a re-run without the CA keeps the certificate in the config');

  const rotated = await provision(['--target', target, '--ca-cert', ca.certFile, '--ca-key', ca.keyFile, '--rotate']);
  t.equal(rotated.code, 0, rotated.stderr);
  t.not(await readFile(etc(target, 'device.crt'), 'utf8'), certPem, '--rotate issues a new key and certificate');

  const other = await makeTestCa(dir, 'other-ca');
  const moved = await provision(['--target', target, '--ca-cert', other.certFile, '--ca-key', other.keyFile]);
  t.equal(moved.code, 0, moved.stderr);
  t.ok(new X509Certificate(await readFile(etc(target, 'device.crt'))).verify(new X509Certificate(await readFile(other.certFile)).publicKey), 'a new hall CA: the certificate is signed again, by it');
});

t.test('CSR first, the certificate the CA signed installed after; wrong certificates are refused', { skip: opensslSkip() }, async (t) => {
  const dir = await tempDir(t);
  const ca = await makeTestCa(dir, 'hall-1-ca');
  const target = join(dir, 'root');
  const req = await provision(['--target', target, '--csr']);
  t.equal(req.code, 0, req.stderr);
  t.match(req.stdout, /new key, CSR device\.csr \(CN=kiosk-1\)/);
  const csr = await readFile(etc(target, 'device.csr'), 'utf8');
  t.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----/);
  t.notMatch(await readFile(etc(target, 'device.json'), 'utf8'), /device\.crt/, 'no certificate in the config before there is one');
  const key = await readFile(etc(target, 'device.key'), 'utf8');
  t.equal((await provision(['--target', target, '--csr'])).code, 0);
  t.equal(await readFile(etc(target, 'device.key'), 'utf8'), key, 'asking again keeps the key');

  const other = await makeTestCa(dir, 'other-ca');
  await signAs(other, csr, dir, 'foreign.crt');
  const foreign = await provision(['--target', target, '--ca-cert', ca.certFile, '--cert', join(dir, 'foreign.crt')]);
  t.equal(foreign.code, 2);
  t.match(foreign.stderr, /--cert .*foreign\.crt: it is not signed by this hall CA/);

  const mine = join(dir, 'kiosk-1.crt');
  await signAs(ca, csr, dir, 'kiosk-1.crt');
  const installed = await provision(['--target', target, '--ca-cert', ca.certFile, '--cert', mine]);
  t.equal(installed.code, 0, installed.stderr);
  t.match(installed.stdout, /certificate installed/);
  t.match(JSON.parse(await readFile(etc(target, 'device.json'), 'utf8')), { broker: { cert: 'device.crt', key: 'device.key', ca: 'hall-ca.pem' } });
  t.equal((await runCli(['config', 'check', etc(target, 'device.json')])).code, 0);

  const elsewhere = join(dir, 'root-2');
  t.equal((await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-2', '--broker', 'mqtts://b:8883', '--target', elsewhere, '--csr'])).code, 0);
  const stolen = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-2', '--broker', 'mqtts://b:8883', '--target', elsewhere, '--ca-cert', ca.certFile, '--cert', mine]);
  t.equal(stolen.code, 2, "kiosk-1's certificate is refused for kiosk-2");
  t.match(stolen.stderr, /it is not for this device's key/);

  const mismatched = await provision(['--target', target, '--ca-cert', ca.certFile, '--ca-key', other.keyFile]);
  t.equal(mismatched.code, 2);
  t.match(mismatched.stderr, /--ca-key .*other-ca\.key is not the key of --ca-cert/);
  const usage = await provision(['--target', target, '--ca-key', ca.keyFile]);
  t.equal(usage.code, 2);
  t.match(usage.stderr, /--ca-key needs --ca-cert/);
});

/** The CA admin signs the device's CSR (`openssl x509 -req` at the hall's IT) and hands back the file. */
async function signAs(ca: TestCa, csr: string, dir: string, out: string): Promise<void> {
  await writeFile(join(dir, out), await ca.signCsr(csr, out.replace(/\.crt$/, '')));
}

t.test('--ca-cert alone on a device that has a client certificate: kept when this CA issued it, refused when another did', { skip: opensslSkip() }, async (t) => {
  const dir = await tempDir(t);
  const ca = await makeTestCa(dir, 'hall-1-ca');
  const target = join(dir, 'root');
  t.equal((await provision(['--target', target, '--ca-cert', ca.certFile, '--ca-key', ca.keyFile])).code, 0);
  const certPem = await readFile(etc(target, 'device.crt'), 'utf8');
  const same = await provision(['--target', target, '--ca-cert', ca.certFile]);
  t.equal(same.code, 0, same.stderr);
  t.match(same.stdout, /hall CA installed; key and certificate kept/);
  t.equal(await readFile(etc(target, 'device.crt'), 'utf8'), certPem);
  t.match(JSON.parse(await readFile(etc(target, 'device.json'), 'utf8')), { broker: { ca: 'hall-ca.pem', cert: 'device.crt', key: 'device.key' } }, 'the config still names the certificate');

  const other = await makeTestCa(dir, 'other-ca');
  const moved = await provision(['--target', target, '--ca-cert', other.certFile]);
  t.equal(moved.code, 2);
  t.match(moved.stderr, /the target's client certificate \(device\.crt\) will not do with --ca-cert .*other-ca\.pem: it is not signed by this hall CA; issue a new one with --ca-key or --csr/);
  t.equal(await readFile(etc(target, 'hall-ca.pem'), 'utf8'), new X509Certificate(await readFile(ca.certFile)).toString(), 'nothing was changed');

  await writeFile(join(dir, 'junk.pem'), 'not a certificate\n');
  const junk = await provision(['--target', join(dir, 'fresh'), '--ca-cert', join(dir, 'junk.pem')]);
  t.equal(junk.code, 2);
  t.match(junk.stderr, /--ca-cert .*junk\.pem: not a PEM certificate/);
});
