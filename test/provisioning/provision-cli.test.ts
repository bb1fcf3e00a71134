// `halld provision` as an installer runs it: one device into a root file system, then a CSV
// batch, with the broker folder; re-runs change nothing unless asked.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { hashPassword, parsePasswordFile, verifyPassword } from '../../provisioning/mosquitto-passwd.js';

const CLI_KILL_MS = 90_000;

function mosquittoPasswdSkip(): string | false {
  try {
    execFileSync('mosquitto_passwd', ['-h'], { stdio: 'ignore' });
  } catch (err) {
    // It exits non-zero after its help; only a missing binary has no status.
    const status = (err as { status?: number | null }).status;
    if (status === undefined || status === null) return 'mosquitto_passwd not installed (apt-get install mosquitto)';
  }
  return false;
}

async function serverKey(dir: string): Promise<string> {
  const file = join(dir, 'server.pub');
  const { publicKey } = generateKeyPairSync('ed25519');
  await writeFile(file, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return file;
}

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as { hall: string; device: string; broker: { username: string; password: string; url: string }; security?: { serverPublicKey?: string } };
const mode = async (file: string) => (await stat(file)).mode & 0o777;

/** A temp folder with the server key, and where a CSV batch's list, output and broker files go. */
async function batchFolders(t: Test): Promise<{ dir: string; key: string; out: string; brokerDir: string; csv: string }> {
  const dir = await tempDir(t);
  return { dir, key: await serverKey(dir), out: join(dir, 'out'), brokerDir: join(dir, 'broker'), csv: join(dir, 'devices.csv') };
}

t.test('our $7$ hashes and mosquitto_passwd agree both ways', async (t) => {
  const ours = hashPassword('s3cret');
  t.match(ours, /^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
  t.ok(verifyPassword('s3cret', ours));
  t.notOk(verifyPassword('s3cret!', ours));
});

t.test('mosquitto_passwd -b writes what we verify', { skip: mosquittoPasswdSkip() }, async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'passwd');
  await writeFile(file, '');
  execFileSync('mosquitto_passwd', ['-b', file, 'kiosk-1', 's3cret']);
  const theirs = parsePasswordFile(await readFile(file, 'utf8')).get('kiosk-1') ?? '';
  t.match(theirs, /^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/, 'same shape as ours');
  t.ok(verifyPassword('s3cret', theirs), "we verify mosquitto_passwd's hash");
  t.notOk(verifyPassword('other', theirs));
});

t.test('one device into a root file system', async (t) => {
  const dir = await tempDir(t);
  const key = await serverKey(dir);
  const root = join(dir, 'root');
  const brokerDir = join(dir, 'broker');
  const args = ['provision', '--hall', 'hall-1', '--device', 'kiosk-1', '--board', 'sim', '--broker', 'mqtt://broker.hall.local:1883', '--server-key-pub', key, '--target', root, '--broker-dir', brokerDir];
  const first = await runCli(args, CLI_KILL_MS);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /hall-1\/kiosk-1: ok \(password new/);
  const cfgFile = join(root, 'etc/halld/device.json');
  const cfg = await readJson(cfgFile);
  t.equal(cfg.broker.username, 'kiosk-1');
  t.match(cfg.broker.password, /^[A-Za-z0-9_-]{32}$/);
  t.equal(cfg.security?.serverPublicKey, await readFile(key, 'utf8'));
  t.equal(await mode(cfgFile), 0o600, 'config with the password is 0600');
  t.equal(await mode(join(brokerDir, 'halld.passwd')), 0o600);
  t.equal(await readlink(join(root, 'etc/systemd/system/multi-user.target.wants/halld.service')), '/etc/systemd/system/halld.service');
  t.ok((await lstat(join(root, 'etc/systemd/system/halld.service'))).isFile());
  const check = await runCli(['config', 'check', cfgFile], CLI_KILL_MS);
  t.match(check.stdout, /ok \(hall hall-1, device kiosk-1, board sim/);
  const passwd = parsePasswordFile(await readFile(join(brokerDir, 'halld.passwd'), 'utf8'));
  t.ok(verifyPassword(cfg.broker.password, passwd.get('kiosk-1') ?? ''), 'broker hash matches the device password');
  t.ok(passwd.has('hall-server-hall-1'), 'the hall server account');
  t.match(await readFile(join(brokerDir, 'halld.acl'), 'utf8'), /user kiosk-1\ntopic write halld\/v1\/hall-1\/kiosk-1\/status/);

  const passwdBefore = await readFile(join(brokerDir, 'halld.passwd'), 'utf8');
  const again = await runCli(args, CLI_KILL_MS);
  t.match(again.stdout, /password kept/);
  t.equal((await readJson(cfgFile)).broker.password, cfg.broker.password, 're-run keeps the password');
  t.equal(await readFile(join(brokerDir, 'halld.passwd'), 'utf8'), passwdBefore, 're-run leaves the password file as it was');

  const rotated = await runCli([...args, '--rotate'], CLI_KILL_MS);
  t.match(rotated.stdout, /password rotated/);
  const newPw = (await readJson(cfgFile)).broker.password;
  t.not(newPw, cfg.broker.password);
  t.ok(verifyPassword(newPw, parsePasswordFile(await readFile(join(brokerDir, 'halld.passwd'), 'utf8')).get('kiosk-1') ?? ''), 'broker follows the rotation');

  const other = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-2', '--target', root], CLI_KILL_MS);
  t.equal(other.code, 2);
  t.match(other.stderr, /already holds device hall-1\/kiosk-1; refusing to overwrite it/);
  t.equal((await readJson(cfgFile)).device, 'kiosk-1', 'the other identity was not written');

  const badBoard = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-3', '--board', 'rpi-9', '--target', join(dir, 'r3')], CLI_KILL_MS);
  t.equal(badBoard.code, 2);
  t.match(badBoard.stderr, /field \/board: no board "rpi-9"/, 'the config-check loader judged it');
  await t.rejects(stat(join(dir, 'r3', 'etc/halld/device.json')), 'nothing written for an invalid config');
});

t.test('CSV batch: bad rows by line number, then idempotent', async (t) => {
  const { key, out, brokerDir, csv } = await batchFolders(t);
  await writeFile(
    csv,
    ['hall,device,roles,board', 'hall-1,kiosk-1,,sim', 'hall-1,Kiosk_2,,sim', '# a comment', 'hall-1,kiosk-3,sys', 'hall-2,kiosk-1,,sim', 'hall-1,all,,sim', 'hall-1,kiosk-4,,sim', ''].join('\n'),
  );
  const args = ['provision', '--csv', csv, '--out', out, '--broker-dir', brokerDir, '--server-key-pub', key, '--broker', 'mqtt://127.0.0.1:1883'];
  const bad = await runCli(args, CLI_KILL_MS);
  t.equal(bad.code, 2);
  const lines = bad.stderr.trim().split('\n');
  t.equal(lines.length, 4, bad.stderr);
  t.match(lines[0], new RegExp(`${csv}:3: device: expected 1-32 characters of a-z 0-9 -, found "Kiosk_2"`));
  t.match(lines[1], new RegExp(`${csv}:5: expected 4 fields`));
  t.match(lines[2], new RegExp(`${csv}:6: device "kiosk-1" already on line 2`));
  t.match(lines[3], new RegExp(`${csv}:7: device: "all" is the hall-wide command topic`));
  await t.rejects(stat(out), 'a bad row stops the batch before anything is written');

  await writeFile(csv, ['hall,device,roles,board', 'hall-1,kiosk-1,,sim', 'hall-1,kiosk-4,,sim', 'hall-2,kiosk-5,,sim', ''].join('\n'));
  const good = await runCli(args, CLI_KILL_MS);
  t.equal(good.code, 0, good.stderr);
  t.equal((good.stdout.match(/password new/g) ?? []).length, 3);
  const snapshot = async () => Promise.all(['halld.passwd', 'halld.acl', 'halld-devices.json'].map((f) => readFile(join(brokerDir, f), 'utf8')));
  const before = await snapshot();
  const cfg4 = await readJson(join(out, 'hall-1/kiosk-4/etc/halld/device.json'));
  const again = await runCli(args, CLI_KILL_MS);
  t.equal(again.code, 0);
  t.equal((again.stdout.match(/password kept/g) ?? []).length, 3);
  t.same(await snapshot(), before, 're-run: broker files byte for byte the same');
  t.equal((await readJson(join(out, 'hall-1/kiosk-4/etc/halld/device.json'))).broker.password, cfg4.broker.password);
  t.match(before[1], /user hall-server-hall-2\n/, 'one server account per hall');

  // The broker knows kiosk-4 but its target is gone: a new password would lock out the board that has the old one.
  await rm(join(out, 'hall-1/kiosk-4'), { recursive: true });
  const lost = await runCli(args, CLI_KILL_MS);
  t.equal(lost.code, 2);
  t.match(lost.stderr, new RegExp(`${csv}:3: hall-1/kiosk-4: the broker already has account kiosk-4 .*pass --rotate`));
  t.ok(verifyPassword(cfg4.broker.password, parsePasswordFile(await readFile(join(brokerDir, 'halld.passwd'), 'utf8')).get('kiosk-4') ?? ''), 'old password still valid');
});

t.test("as root, the config belongs to the target's halld user", { skip: process.getuid?.() === 0 ? false : 'needs root to give files away' }, async (t) => {
  const dir = await tempDir(t);
  const root = join(dir, 'root');
  await mkdir(join(root, 'etc'), { recursive: true });
  await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\nhalld:x:987:986::/var/lib/halld:/usr/sbin/nologin\n');
  const r = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-1', '--target', root], CLI_KILL_MS);
  t.equal(r.code, 0, r.stderr);
  const st = await stat(join(root, 'etc/halld/device.json'));
  t.same([st.uid, st.gid, st.mode & 0o777], [987, 986, 0o600]);
  t.equal((await stat(join(root, 'etc/halld'))).uid, 987);
});

t.test('a device id already used by another hall on the same broker is refused', async (t) => {
  const dir = await tempDir(t);
  const brokerDir = join(dir, 'broker');
  const one = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-1', '--target', join(dir, 'a'), '--broker-dir', brokerDir], CLI_KILL_MS);
  t.equal(one.code, 0, one.stderr);
  const before = await readFile(join(brokerDir, 'halld.passwd'), 'utf8');
  const two = await runCli(['provision', '--hall', 'hall-2', '--device', 'kiosk-1', '--target', join(dir, 'b'), '--broker-dir', brokerDir, '--force'], CLI_KILL_MS);
  t.equal(two.code, 2);
  t.match(two.stderr, /broker account "kiosk-1" already belongs to hall hall-1/);
  t.equal(await readFile(join(brokerDir, 'halld.passwd'), 'utf8'), before);
  await t.rejects(stat(join(dir, 'b', 'etc/halld/device.json')));
});

t.test('CSV batch: rows refused only when their device.json is checked stop the whole batch; nothing is written', async (t) => {
  const { key, out, brokerDir, csv } = await batchFolders(t);
  await writeFile(
    csv,
    [
      'hall,device,roles,board,broker',
      'hall-1,kiosk-1,,sim,',
      // Passes the mqtt:// prefix check; the loader refuses the port.
      'hall-1,kiosk-2,,sim,mqtt://broker.hall.local:99999',
      // A locker without its section (no doors).
      'hall-1,cab-1,locker,sim,',
      'hall-1,kiosk-4,,sim,',
      '',
    ].join('\n'),
  );
  const args = ['provision', '--csv', csv, '--out', out, '--broker-dir', brokerDir, '--server-key-pub', key, '--broker', 'mqtt://127.0.0.1:1883'];
  const bad = await runCli(args, CLI_KILL_MS);
  t.equal(bad.code, 2, bad.stderr);
  const lines = bad.stderr.trim().split('\n');
  t.match(lines[0], new RegExp(`${csv}:3: hall-1/kiosk-2 .*broker/url`), 'the bad broker URL, by line');
  t.match(lines[1], new RegExp(`${csv}:4: hall-1/cab-1 .*locker`), 'the role without its section, by line');
  t.equal(lines.length, 2, bad.stderr);
  await t.rejects(stat(out), 'no device root written, not even for the good rows');
  await t.rejects(stat(brokerDir), 'no broker files written');

  // With a broker folder from an earlier run: it stays byte for byte as it was.
  await writeFile(csv, ['hall,device,roles,board', 'hall-1,kiosk-1,,sim', ''].join('\n'));
  t.equal((await runCli(args, CLI_KILL_MS)).code, 0);
  const snapshot = async () => Promise.all(['halld.passwd', 'halld.acl', 'halld-devices.json'].map((f) => readFile(join(brokerDir, f), 'utf8')));
  const before = await snapshot();
  const kiosk1 = await readFile(join(out, 'hall-1/kiosk-1/etc/halld/device.json'), 'utf8');
  await writeFile(csv, ['hall,device,roles,board', 'hall-1,kiosk-1,,sim', 'hall-1,kiosk-5,,sim', 'hall-1,cab-2,locker,sim', ''].join('\n'));
  const again = await runCli([...args, '--rotate'], CLI_KILL_MS);
  t.equal(again.code, 2);
  t.match(again.stderr, new RegExp(`${csv}:4: hall-1/cab-2 `));
  t.same(await snapshot(), before, 'the broker files are as they were');
  t.equal(await readFile(join(out, 'hall-1/kiosk-1/etc/halld/device.json'), 'utf8'), kiosk1, 'the earlier device is as it was (no rotated password)');
  await t.rejects(stat(join(out, 'hall-1/kiosk-5')), 'the good new row is not written');
  t.same((await readdir(out)).sort(), ['hall-1'], 'no temporary folder left behind');
});

t.test('`extra` may not set identity fields, and an error never echoes a file it read', async (t) => {
  const dir = await tempDir(t);
  const out = join(dir, 'out');
  const brokerDir = join(dir, 'broker');
  const csv = join(dir, 'devices.csv');
  await writeFile(join(dir, 'identity.json'), JSON.stringify({ hall: 'hall-9', device: 'kiosk-9', dataDir: '/tmp/elsewhere', broker: { url: 'mqtt://evil.example:1883', username: 'kiosk-9', password: 'x' }, security: { serverPublicKey: 'AAAA' } }));
  await writeFile(join(dir, 'shadow'), 'root:$6$secrethash.SALT:19000:0:99999:7:::\nhalld:!:19000::::::\n');
  await writeFile(join(dir, 'fine.json'), JSON.stringify({ log: { level: 'debug' } }));
  await writeFile(csv, ['hall,device,roles,board,extra', 'hall-1,kiosk-1,,sim,identity.json', 'hall-1,kiosk-2,,sim,shadow', 'hall-1,kiosk-3,,sim,fine.json', ''].join('\n'));
  const r = await runCli(['provision', '--csv', csv, '--out', out, '--broker-dir', brokerDir], CLI_KILL_MS);
  t.equal(r.code, 2);
  const lines = r.stderr.trim().split('\n');
  t.match(lines[0], new RegExp(`${csv}:2: extra: identity\\.json may not set hall, device, dataDir, broker\\.url, broker\\.username, broker\\.password, security\\.serverPublicKey`));
  t.match(lines[1], new RegExp(`${csv}:3: extra: shadow is not a JSON object \\(not valid JSON at line 1, column 1\\)`));
  t.notMatch(r.stderr, /root|secrethash|SALT|halld:!/, 'nothing of the file is echoed');
  t.equal(lines.length, 2, r.stderr);
  await t.rejects(stat(out), 'nothing written');

  const one = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-7', '--target', join(dir, 'root'), '--extra', join(dir, 'shadow')], CLI_KILL_MS);
  t.equal(one.code, 2);
  t.notMatch(one.stderr, /root:|secrethash/, 'nor with --extra for one device');
  t.match(one.stderr, /shadow is not a JSON object \(not valid JSON at line 1, column 1\)/);
  const id = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-7', '--target', join(dir, 'root'), '--extra', join(dir, 'identity.json')], CLI_KILL_MS);
  t.equal(id.code, 2);
  t.match(id.stderr, /may not set hall, device/);
  await t.rejects(stat(join(dir, 'root', 'etc/halld/device.json')));
});

t.test('a device left off the broker, or without the server key, is warned about; a re-run keeps the key it has', async (t) => {
  const dir = await tempDir(t);
  const key = await serverKey(dir);
  const root = join(dir, 'root');
  const brokerDir = join(dir, 'broker');
  const base = ['provision', '--hall', 'hall-1', '--device', 'kiosk-6', '--broker', 'mqtt://broker.hall.local:1883', '--target', root];
  const bare = await runCli(base, CLI_KILL_MS);
  t.equal(bare.code, 0, bare.stderr);
  t.match(bare.stderr, /^halld provision: warning: hall-1\/kiosk-6: no --broker-dir: this run wrote no broker account or ACL entry for it; .*--broker-dir/m);
  t.match(bare.stderr, /^halld provision: warning: hall-1\/kiosk-6: field \/security\/serverPublicKey: not set: .*unsigned.*--server-key-pub/m);

  const complete = await runCli([...base, '--broker-dir', brokerDir, '--server-key-pub', key], CLI_KILL_MS);
  t.equal(complete.code, 0, complete.stderr);
  t.equal(complete.stderr, '', 'nothing to warn about once the broker files and the key are given');
  t.match(await readFile(join(brokerDir, 'halld.acl'), 'utf8'), /^user kiosk-6$/m);

  // The CSR flow's second run (installing the certificate) names neither: the key must not be dropped.
  const later = await runCli([...base, '--broker-dir', brokerDir], CLI_KILL_MS);
  t.equal(later.code, 0, later.stderr);
  t.equal((await readJson(join(root, 'etc/halld/device.json'))).security?.serverPublicKey, await readFile(key, 'utf8'), 'the server key the target has is kept');
  t.notMatch(later.stderr, /serverPublicKey/);
});
