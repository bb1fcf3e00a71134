// Provisioning into Raspberry Pi OS boot partitions made here (MBR written by the test, FAT by
// mkfs.vfat at the partition's offset), read back with mcopy: both OS generations.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { makeTestRelease } from '../../testkit/test-release.js';
import { skipWithout } from '../../testkit/required-tools.js';
import { makeTestCa, opensslSkip } from '../../testkit/test-ca.js';
import { randomBytes, X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { installScript, installUnit } from '../../provisioning/first-boot-files.js';
import { sha256File } from '../../release/release-tree.js';

const CLI_KILL_MS = 90_000;
const PART_START = 2048;
const has = (bin: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const toolsSkip = () => skipWithout('mtools', has('mcopy') && has('mkfs.vfat'), 'apt-get install mtools dosfstools');

/** A 48 MiB image: an MBR with one FAT32-LBA partition at sector 2048, or (bare) FAT from byte 0. */
async function makeImage(file: string, markers: Record<string, string>, bare = false): Promise<number> {
  const size = 48 * 1024 * 1024;
  const fh = await open(file, 'w');
  await fh.truncate(size);
  if (!bare) {
    const mbr = Buffer.alloc(512);
    const e = 446;
    mbr[e + 4] = 0x0c;
    mbr.writeUInt32LE(PART_START, e + 8);
    mbr.writeUInt32LE(size / 512 - PART_START, e + 12);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    await fh.write(mbr, 0, 512, 0);
  }
  await fh.close();
  const offset = bare ? 0 : PART_START * 512;
  execFileSync('mkfs.vfat', ['-n', 'bootfs', ...(bare ? [] : [`--offset=${PART_START}`]), file, ...(bare ? [] : [String((size - offset) / 1024)])], { stdio: 'ignore' });
  for (const [name, text] of Object.entries(markers)) {
    const local = `${file}.${name}`;
    await writeFile(local, text);
    execFileSync('mcopy', ['-i', `${file}@@${offset}`, local, `::/${name}`], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  }
  return offset;
}

const readBackBytes = (image: string, offset: number, path: string) =>
  execFileSync('mcopy', ['-n', '-i', `${image}@@${offset}`, `::/${path}`, '-'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' }, maxBuffer: 64 << 20 });
const readBack = (image: string, offset: number, path: string) => readBackBytes(image, offset, path).toString();

async function setup(t: { teardown(fn: () => unknown): void }) {
  const dir = await tempDir(t);
  const release = await makeTestRelease(join(dir, 'release'));
  return { dir, release, tarball: release.tarball, releaseArgs: ['--tarball', release.tarball, '--release-key-pub', release.keyFile] };
}

/** A 64-bit image's config.txt, as pi-gen's arm64 branch writes it. */
const CONFIG_64 = '# Run in 64-bit mode\narm_64bit=1\n';

const CMDLINE = 'console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait\n';

const IMAGER_USER_DATA = `#cloud-config
# written by Raspberry Pi Imager
hostname: raspberrypi
manage_etc_hosts: true
timezone: Asia/Shanghai
users:
  - name: tech
    groups: users,adm,dialout
    shell: /bin/bash
    lock_passwd: false
    passwd: $5$abc$def
ssh_pwauth: true
runcmd:
  - [sh, -c, "echo imager first"]
`;

t.test('Trixie: the release and the install on the boot partition, Imager\'s settings merged into user-data', { skip: toolsSkip() }, async (t) => {
  const { dir, release, releaseArgs } = await setup(t);
  const image = join(dir, 'trixie.img');
  const offset = await makeImage(image, { 'cmdline.txt': CMDLINE, 'config.txt': CONFIG_64, 'user-data': IMAGER_USER_DATA, 'network-config': 'network: {version: 2}\n' });
  const args = ['provision', '--hall', 'hall-1', '--device', 'kiosk-7', '--board', 'sim', '--image', image, ...releaseArgs];
  const r = await runCli(args, CLI_KILL_MS);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /hall-1\/kiosk-7: ok \(password new; trixie image/);
  const cfg = JSON.parse(readBack(image, offset, 'halld/device.json')) as { device: string; broker: { username: string; password: string } };
  t.equal(cfg.device, 'kiosk-7');
  t.equal(cfg.broker.username, 'kiosk-7');
  const userData = readBack(image, offset, 'user-data');
  const parsed = parseYaml(userData) as Record<string, unknown>;
  t.match(userData, /^#cloud-config\n/);
  t.equal(parsed['hostname'], 'kiosk-7', "halld's hostname wins over Imager's");
  t.match(parsed, { timezone: 'Asia/Shanghai', ssh_pwauth: true, manage_etc_hosts: true, users: [{ name: 'tech', passwd: '$5$abc$def' }] }, "Imager's user, time zone and SSH settings are kept");
  t.same(parsed['runcmd'], [['sh', '-c', 'echo imager first'], ['sh', '/boot/firmware/halld/install-halld.sh']], "Imager's runcmd first, halld's install last");
  t.equal(readBack(image, offset, 'network-config'), 'network: {version: 2}\n', 'existing network-config left alone');
  t.match(readBack(image, offset, 'meta-data'), /instance-id: halld-hall-1-kiosk-7/);
  const name = release.tarball.split('/').pop() ?? '';
  t.ok(readBackBytes(image, offset, `halld/${name}`).equals(await readFile(release.tarball)), 'the release tarball byte for byte');
  const env = readBack(image, offset, 'halld/release.env');
  t.match(env, new RegExp(`^RELEASE_TARBALL=${name.replaceAll('.', '\\.')}$`, 'm'));
  t.match(env, new RegExp(`^RELEASE_SHA256=${await sha256File(release.tarball)}$`, 'm'), 'the SHA-256 the board checks the tarball against');
  t.match(env, /^RELEASE_ARCH=arm64$/m);
  t.equal(readBack(image, offset, 'halld/release.pub'), release.keys.publicKeyPem, 'the release key the board verifies with');
  t.equal(readBack(image, offset, 'halld/install-halld.sh'), installScript());
  t.equal(readBack(image, offset, 'halld/halld-install.service'), installUnit());
  t.match(readBack(image, offset, 'halld/halld.service'), /ExecStart=\/opt\/halld\/current\/bin\/node \/opt\/halld\/current\/dist\/halld\.mjs run/);
  t.equal(readBack(image, offset, 'cmdline.txt'), CMDLINE, 'no cmdline hook on Trixie');

  const again = await runCli(args, CLI_KILL_MS);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /password kept/);
  t.equal((JSON.parse(readBack(image, offset, 'halld/device.json')) as typeof cfg).broker.password, cfg.broker.password);
  t.same((parseYaml(readBack(image, offset, 'user-data')) as { runcmd: unknown[] }).runcmd, parsed['runcmd'], 'the install command is not added twice');
});

t.test('--user-data: the installer\'s own settings merged into every card (Trixie)', { skip: toolsSkip() }, async (t) => {
  const { dir, releaseArgs } = await setup(t);
  const image = join(dir, 'trixie.img');
  const offset = await makeImage(image, { 'cmdline.txt': CMDLINE, 'config.txt': CONFIG_64, 'user-data': '#cloud-config\n' });
  const settings = join(dir, 'settings.yaml');
  await writeFile(settings, '#cloud-config\ntimezone: Asia/Shanghai\nhostname: ignored\nruncmd:\n  - [echo, site]\n');
  const r = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-9', '--board', 'sim', '--image', image, ...releaseArgs, '--user-data', settings], CLI_KILL_MS);
  t.equal(r.code, 0, r.stderr);
  t.match(parseYaml(readBack(image, offset, 'user-data')), { hostname: 'kiosk-9', timezone: 'Asia/Shanghai', runcmd: [['echo', 'site'], ['sh', '/boot/firmware/halld/install-halld.sh']] });
});

t.test('Bookworm: firstrun.sh hooked into cmdline.txt, chaining Imager\'s own, arming the install unit', { skip: toolsSkip() }, async (t) => {
  const { dir, releaseArgs } = await setup(t);
  const image = join(dir, 'bookworm.img');
  const imagerFirstrun = '#!/bin/bash\n# written by Raspberry Pi Imager\n';
  const offset = await makeImage(image, { 'cmdline.txt': CMDLINE, 'config.txt': CONFIG_64, 'issue.txt': 'Raspberry Pi reference 2024-11-19\n', 'firstrun.sh': imagerFirstrun });
  const args = ['provision', '--hall', 'hall-1', '--device', 'locker-2', '--board', 'sim', '--image', image, ...releaseArgs];
  const r = await runCli(args, CLI_KILL_MS);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /bookworm image/);
  const cmdline = readBack(image, offset, 'cmdline.txt');
  t.equal(cmdline.split('\n').filter((l) => l !== '').length, 1, 'still one line');
  t.match(cmdline, /rootwait systemd\.run=\/boot\/firmware\/firstrun\.sh systemd\.run_success_action=reboot systemd\.unit=kernel-command-line\.target\n$/);
  const firstrun = readBack(image, offset, 'firstrun.sh');
  t.match(firstrun, /sh "\$BOOT\/firstrun-imager.sh"/);
  t.match(firstrun, /install -m 0644 "\$BOOT\/halld\/halld-install.service" \/etc\/systemd\/system\/halld-install.service/);
  t.notMatch(readBack(image, offset, 'halld/halld-install.service'), /network-online/, 'the install waits for no network');
  t.equal(readBack(image, offset, 'firstrun-imager.sh'), imagerFirstrun, "Imager's script kept under a new name");
  t.equal((JSON.parse(readBack(image, offset, 'halld/device.json')) as { device: string }).device, 'locker-2');
  t.throws(() => readBack(image, offset, 'user-data'), 'no cloud-init files on Bookworm');

  const again = await runCli(args, CLI_KILL_MS);
  t.equal(again.code, 0, again.stderr);
  t.equal(readBack(image, offset, 'cmdline.txt'), cmdline, 'hook added once');
  t.equal(readBack(image, offset, 'firstrun-imager.sh'), imagerFirstrun, 'our own firstrun.sh is not chained to itself');
  t.match(readBack(image, offset, 'firstrun.sh'), /firstrun-imager\.sh/);
});

t.test('a bare FAT image (offset 0), --os, and an image that says nothing', { skip: toolsSkip() }, async (t) => {
  const { dir, releaseArgs } = await setup(t);
  const bare = join(dir, 'bare.img');
  await makeImage(bare, {}, true);
  const base = ['provision', '--hall', 'hall-1', '--device', 'eval-1', '--board', 'sim', ...releaseArgs, '--image', bare];
  const unknown = await runCli(base, CLI_KILL_MS);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /neither cloud-init files \(Trixie\) nor cmdline\.txt \(Bookworm\); pass --os/);
  const forced = await runCli([...base, '--os', 'trixie'], CLI_KILL_MS);
  t.equal(forced.code, 0, forced.stderr);
  t.match(readBack(bare, 0, 'user-data'), /hostname: eval-1/);
});

t.test('CSV row to a ready image file (timed)', { skip: toolsSkip() }, async (t) => {
  const { dir, releaseArgs } = await setup(t);
  const baseImage = join(dir, 'base.img');
  await makeImage(baseImage, { 'cmdline.txt': CMDLINE, 'config.txt': CONFIG_64, 'user-data': '#cloud-config\n', 'meta-data': 'instance-id: base\n' });
  const csv = join(dir, 'devices.csv');
  await writeFile(csv, 'hall,device,roles,board\nhall-1,kiosk-9,,sim\n');
  const out = join(dir, 'out');
  const started = process.hrtime.bigint();
  const r = await runCli(['provision', '--csv', csv, '--out', out, '--base-image', baseImage, ...releaseArgs, '--broker-dir', join(dir, 'broker')], CLI_KILL_MS);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  t.equal(r.code, 0, r.stderr);
  t.comment(`CSV row -> ready 48 MiB image: ${ms.toFixed(0)} ms (one halld process start included)`);
  t.match(readBack(join(out, 'hall-1-kiosk-9.img'), PART_START * 512, 'user-data'), /hostname: kiosk-9/);
  t.equal(readBack(baseImage, PART_START * 512, 'user-data'), '#cloud-config\n', 'the base image itself is untouched');
});

t.test('refused before anything is written: each one line, the image and the broker files untouched', { skip: toolsSkip() }, async (t) => {
  const { dir, release, releaseArgs } = await setup(t);
  const other = await makeTestRelease(join(dir, 'other-key'));
  const x64 = await makeTestRelease(join(dir, 'x64'), { arch: 'x64', keys: release.keys });
  const altered = await makeTestRelease(join(dir, 'altered'), { keys: release.keys, tamper: (d) => writeFile(join(d, 'dist/halld.mjs'), '// not what was signed\n') });
  // 4 MB that gzip cannot shrink: more than a boot partition 44 MiB full still holds.
  const big = await makeTestRelease(join(dir, 'big'), { keys: release.keys, files: { 'fonts/big.bin': randomBytes(4 << 20).toString('base64') } });
  const truncated = join(dir, 'truncated.tar.gz');
  const whole = await readFile(release.tarball);
  await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
  const cases: { name: string; args: string[]; files?: Record<string, string>; size?: number; line: RegExp }[] = [
    { name: 'a release signed with another key', args: ['--tarball', other.tarball, '--release-key-pub', release.keyFile], line: new RegExp(`signed by release key ${other.manifest.signedBy}, but this board trusts release key ${release.manifest.signedBy}`) },
    { name: 'an altered release', args: ['--tarball', altered.tarball, '--release-key-pub', release.keyFile], line: /1 file do not match the signed manifest \(dist\/halld\.mjs: / },
    { name: 'a truncated release', args: ['--tarball', truncated, '--release-key-pub', release.keyFile], line: /truncated\.tar\.gz: not a readable \.tar\.gz: .*\(truncated or damaged\? get the release again\)/ },
    { name: 'a release for x64', args: ['--tarball', x64.tarball, '--release-key-pub', release.keyFile], line: /a release for x64; a Raspberry Pi image needs halld-0\.1\.0-linux-arm64\.tar\.gz/ },
    { name: 'no release key', args: ['--tarball', release.tarball], line: /--tarball needs --release-key-pub <release\.pub>/ },
    { name: 'a 32-bit image', args: releaseArgs, files: { 'config.txt': '[all]\n', 'kernel7l.img': 'k', 'kernel8.img': 'k' }, line: /this is 32-bit Raspberry Pi OS \(armhf\); halld runs on the 64-bit image/ },
    { name: 'a full boot partition', args: ['--tarball', big.tarball, '--release-key-pub', release.keyFile], files: { 'big.bin': 'x'.repeat(44 * 1024 * 1024) }, line: /the boot partition has \d+\.\d MB free, the release needs \d+\.\d MB/ },
    { name: 'user-data that is not YAML', args: releaseArgs, files: { 'user-data': '#cloud-config\nusers: [\n' }, line: /user-data on the boot partition is not valid YAML/ },
  ];
  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const image = join(dir, `${c.name.replaceAll(' ', '-')}.img`);
      await makeImage(image, { 'cmdline.txt': CMDLINE, 'config.txt': CONFIG_64, 'user-data': '#cloud-config\n', ...c.files });
      const before = await sha256File(image);
      const brokerDir = join(dir, `broker-${c.name.replaceAll(' ', '-')}`);
      const r = await runCli(['provision', '--hall', 'hall-1', '--device', 'kiosk-1', '--board', 'sim', '--image', image, '--broker-dir', brokerDir, ...c.args], CLI_KILL_MS);
      t.equal(r.code, 2, 'refused');
      t.match(r.stderr, c.line);
      t.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr.trim()}`);
      t.equal(await sha256File(image), before, 'the image is unchanged');
      t.notOk((await readFile(join(brokerDir, 'halld.passwd'), 'utf8').catch(() => '')).includes('kiosk-1'), 'no broker account for a device that was not written');
    });
  }
});

t.test('a certificate from the hall CA goes onto the card beside the config, and is kept on a re-run', { skip: toolsSkip() || opensslSkip() }, async (t) => {
  const { dir, releaseArgs } = await setup(t);
  const ca = await makeTestCa(dir, 'hall-1-ca');
  const image = join(dir, 'trixie.img');
  const offset = await makeImage(image, { 'cmdline.txt': CMDLINE, 'config.txt': CONFIG_64, 'user-data': '#cloud-config\n' });
  const args = ['provision', '--hall', 'hall-1', '--device', 'kiosk-8', '--broker', 'mqtts://broker.hall.local:8883', '--image', image, ...releaseArgs, '--ca-cert', ca.certFile, '--ca-key', ca.keyFile];
  const first = await runCli(args, CLI_KILL_MS);
  t.equal(first.code, 0, first.stderr);
  const cfg = JSON.parse(readBack(image, offset, 'halld/device.json')) as { broker: Record<string, string> };
  t.match(cfg.broker, { ca: 'hall-ca.pem', cert: 'device.crt', key: 'device.key' });
  const cert = readBack(image, offset, 'halld/device.crt');
  t.match(new X509Certificate(cert).subject, /^CN=kiosk-8$/m);
  t.match(readBack(image, offset, 'halld/device.key'), /^-----BEGIN PRIVATE KEY-----/);
  t.equal(readBack(image, offset, 'halld/hall-ca.pem'), new X509Certificate(await readFile(ca.certFile)).toString());
  const script = readBack(image, offset, 'halld/install-halld.sh');
  t.match(script, /install -m 0600 "\$HERE\/device.key" "\$ROOT\/etc\/halld\/device.key"\n {2}chown halld:halld "\$ROOT\/etc\/halld\/device.key"\n {2}rm -f "\$HERE\/device.key"/, 'the key goes to /etc/halld 0600 and off the FAT partition');
  const again = await runCli(args, CLI_KILL_MS);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /key and certificate kept/);
  t.equal(readBack(image, offset, 'halld/device.crt'), cert, 'a re-run keeps the certificate on the card');
});
