// Provisioning into Raspberry Pi OS boot partitions made here (MBR written by the test, FAT by
// mkfs.vfat at the partition's offset), read back with mcopy: both OS generations.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { skipWithout } from '../../testkit/required-tools.js';
import { makeTestCa, opensslSkip } from '../../testkit/test-ca.js';
import { X509Certificate } from 'node:crypto';

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

const readBack = (image: string, offset: number, path: string) =>
  execFileSync('mcopy', ['-n', '-i', `${image}@@${offset}`, `::/${path}`, '-'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } }).toString();

async function setup(t: { teardown(fn: () => unknown): void }) {
  const dir = await tempDir(t);
  const tarball = join(dir, 'halld-0.1.0.tgz');
  await writeFile(tarball, Buffer.from('not a real tarball: copied byte for byte\n'));
  return { dir, tarball };
}

const CMDLINE = 'console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait\n';

t.test('Trixie: cloud-init files that install halld on first boot', { skip: toolsSkip() }, async (t) => {
  const { dir, tarball } = await setup(t);
  const image = join(dir, 'trixie.img');
  const offset = await makeImage(image, { 'cmdline.txt': CMDLINE, 'config.txt': '[all]\n', 'user-data': '#cloud-config\n# set by Imager\nssh_pwauth: false\n', 'network-config': 'network: {version: 2}\n' });
  const args = ['provision', '--hall', 'hall-1', '--device', 'kiosk-7', '--board', 'sim', '--image', image, '--tarball', tarball];
  const r = await runCli(args, CLI_KILL_MS);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /hall-1\/kiosk-7: ok \(password new; trixie image/);
  const cfg = JSON.parse(readBack(image, offset, 'halld/device.json')) as { device: string; broker: { username: string; password: string } };
  t.equal(cfg.device, 'kiosk-7');
  t.equal(cfg.broker.username, 'kiosk-7');
  const userData = readBack(image, offset, 'user-data');
  t.match(userData, /^#cloud-config\n/);
  t.match(userData, /ssh_pwauth: false/, "Imager's settings kept");
  t.match(userData, /hostname: kiosk-7\nruncmd:\n {2}- \[sh, \/boot\/firmware\/halld\/install-halld.sh\]/);
  t.equal(readBack(image, offset, 'network-config'), 'network: {version: 2}\n', 'existing network-config left alone');
  t.match(readBack(image, offset, 'meta-data'), /instance-id: halld-hall-1-kiosk-7/);
  const script = readBack(image, offset, 'halld/install-halld.sh');
  t.match(script, /useradd --system .* halld/);
  t.match(script, /for g in gpio dialout i2c spi video/);
  t.match(script, /install -m 0600 -o halld -g halld "\$HERE\/device.json" \/etc\/halld\/device.json/);
  t.match(script, /systemctl enable --now halld.service/);
  t.equal(readBack(image, offset, 'halld/halld.tgz'), await readFile(tarball, 'utf8'));
  t.match(readBack(image, offset, 'halld/halld.service'), /\[Service\]/);
  t.equal(readBack(image, offset, 'cmdline.txt'), CMDLINE, 'no cmdline hook on Trixie');

  const again = await runCli(args, CLI_KILL_MS);
  t.match(again.stdout, /password kept/);
  t.equal((JSON.parse(readBack(image, offset, 'halld/device.json')) as typeof cfg).broker.password, cfg.broker.password);
  t.equal((readBack(image, offset, 'user-data').match(/runcmd:/g) ?? []).length, 1, 'our block replaced, not added twice');
});

t.test('Bookworm: firstrun.sh hooked into cmdline.txt, chaining Imager\'s own', { skip: toolsSkip() }, async (t) => {
  const { dir, tarball } = await setup(t);
  const image = join(dir, 'bookworm.img');
  const imagerFirstrun = '#!/bin/bash\n# written by Raspberry Pi Imager\n';
  const offset = await makeImage(image, { 'cmdline.txt': CMDLINE, 'config.txt': '[all]\n', 'issue.txt': 'Raspberry Pi reference 2024-11-19\n', 'firstrun.sh': imagerFirstrun });
  const args = ['provision', '--hall', 'hall-1', '--device', 'locker-2', '--board', 'sim', '--image', image, '--tarball', tarball];
  const r = await runCli(args, CLI_KILL_MS);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /bookworm image/);
  const cmdline = readBack(image, offset, 'cmdline.txt');
  t.equal(cmdline.split('\n').filter((l) => l !== '').length, 1, 'still one line');
  t.match(cmdline, /rootwait systemd\.run=\/boot\/firmware\/firstrun\.sh systemd\.run_success_action=reboot systemd\.unit=kernel-command-line\.target\n$/);
  const firstrun = readBack(image, offset, 'firstrun.sh');
  t.match(firstrun, /sh "\$BOOT\/firstrun-imager.sh"/);
  t.match(firstrun, /After=network-online.target/);
  t.match(firstrun, /ExecStart=\/bin\/sh \$BOOT\/halld\/install-halld.sh/);
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
  const { dir, tarball } = await setup(t);
  const bare = join(dir, 'bare.img');
  await makeImage(bare, {}, true);
  const base = ['provision', '--hall', 'hall-1', '--device', 'eval-1', '--board', 'sim', '--tarball', tarball, '--image', bare];
  const unknown = await runCli(base, CLI_KILL_MS);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /neither cloud-init files \(Trixie\) nor cmdline\.txt \(Bookworm\); pass --os/);
  const forced = await runCli([...base, '--os', 'trixie'], CLI_KILL_MS);
  t.equal(forced.code, 0, forced.stderr);
  t.match(readBack(bare, 0, 'user-data'), /hostname: eval-1/);
});

t.test('CSV row to a ready image file (timed)', { skip: toolsSkip() }, async (t) => {
  const { dir, tarball } = await setup(t);
  const baseImage = join(dir, 'base.img');
  await makeImage(baseImage, { 'cmdline.txt': CMDLINE, 'user-data': '#cloud-config\n', 'meta-data': 'instance-id: base\n' });
  const csv = join(dir, 'devices.csv');
  await writeFile(csv, 'hall,device,roles,board\nhall-1,kiosk-9,,sim\n');
  const out = join(dir, 'out');
  const started = process.hrtime.bigint();
  const r = await runCli(['provision', '--csv', csv, '--out', out, '--base-image', baseImage, '--tarball', tarball, '--broker-dir', join(dir, 'broker')], CLI_KILL_MS);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  t.equal(r.code, 0, r.stderr);
  t.comment(`CSV row -> ready 48 MiB image: ${ms.toFixed(0)} ms (one halld process start included)`);
  t.match(readBack(join(out, 'hall-1-kiosk-9.img'), PART_START * 512, 'user-data'), /hostname: kiosk-9/);
  t.equal(readBack(baseImage, PART_START * 512, 'user-data'), '#cloud-config\n', 'the base image itself is untouched');
});

t.test('an image it must refuse leaves no broker account behind', { skip: toolsSkip() }, async (t) => {
  const { dir, tarball } = await setup(t);
  const base = join(dir, 'taken.img');
  const offset = await makeImage(base, { 'cmdline.txt': CMDLINE, 'user-data': '#cloud-config\nruncmd:\n  - [echo, mine]\n' });
  const csv = join(dir, 'devices.csv');
  await writeFile(csv, 'hall,device,roles,board\nhall-1,kiosk-8,,sim\n');
  const brokerDir = join(dir, 'broker');
  const out = join(dir, 'out');
  // Batch mode saves the broker files after the rows, so a row refused late would leave its account there.
  const r = await runCli(['provision', '--csv', csv, '--out', out, '--base-image', base, '--tarball', tarball, '--broker-dir', brokerDir], CLI_KILL_MS);
  t.equal(r.code, 2);
  t.match(r.stderr, /devices\.csv:2: .*user-data already has a top-level "runcmd:"; merge it by hand/);
  await t.rejects(stat(join(out, 'hall-1-kiosk-8.img')), 'no plain copy of the base image an installer could flash by mistake');
  t.equal(readBack(base, offset, 'user-data'), '#cloud-config\nruncmd:\n  - [echo, mine]\n', 'the base image untouched');
  t.notOk((await readFile(join(brokerDir, 'halld.passwd'), 'utf8').catch(() => '')).includes('kiosk-8'), 'no account for a device that was not written');
});

t.test('images from a CSV with one bad row: every row is judged first, and no image is written', { skip: toolsSkip() }, async (t) => {
  const { dir, tarball } = await setup(t);
  const base = join(dir, 'raspios.img');
  await makeImage(base, { 'cmdline.txt': CMDLINE, 'user-data': '#cloud-config\n' });
  const csv = join(dir, 'devices.csv');
  await writeFile(csv, 'hall,device,roles,board\nhall-1,kiosk-1,,sim\nhall-1,cab-1,locker,sim\nhall-1,kiosk-3,,sim\n');
  const out = join(dir, 'out');
  const brokerDir = join(dir, 'broker');
  const r = await runCli(['provision', '--csv', csv, '--out', out, '--base-image', base, '--tarball', tarball, '--broker-dir', brokerDir], CLI_KILL_MS);
  t.equal(r.code, 2);
  t.match(r.stderr, /devices\.csv:3: hall-1\/cab-1 .*locker/);
  t.same(await readdir(out).catch(() => []), [], 'no image at all: neither the good rows\' nor a copy of the base for the bad one');
  await t.rejects(stat(brokerDir), 'no broker files');
  await writeFile(csv, 'hall,device,roles,board\nhall-1,kiosk-1,,sim\nhall-1,kiosk-3,,sim\n');
  const good = await runCli(['provision', '--csv', csv, '--out', out, '--base-image', base, '--tarball', tarball, '--broker-dir', brokerDir], CLI_KILL_MS);
  t.equal(good.code, 0, good.stderr);
  t.same((await readdir(out)).sort(), ['hall-1-kiosk-1.img', 'hall-1-kiosk-3.img'], 'the two images, and nothing temporary beside them');
  t.match(readBack(join(out, 'hall-1-kiosk-3.img'), PART_START * 512, 'user-data'), /hostname: kiosk-3/);
});

t.test('a certificate from the hall CA goes onto the card beside the config, and is kept on a re-run', { skip: toolsSkip() || opensslSkip() }, async (t) => {
  const { dir, tarball } = await setup(t);
  const ca = await makeTestCa(dir, 'hall-1-ca');
  const image = join(dir, 'trixie.img');
  const offset = await makeImage(image, { 'cmdline.txt': CMDLINE, 'user-data': '#cloud-config\n' });
  const args = ['provision', '--hall', 'hall-1', '--device', 'kiosk-8', '--broker', 'mqtts://broker.hall.local:8883', '--image', image, '--tarball', tarball, '--ca-cert', ca.certFile, '--ca-key', ca.keyFile];
  const first = await runCli(args, CLI_KILL_MS);
  t.equal(first.code, 0, first.stderr);
  const cfg = JSON.parse(readBack(image, offset, 'halld/device.json')) as { broker: Record<string, string> };
  t.match(cfg.broker, { ca: 'hall-ca.pem', cert: 'device.crt', key: 'device.key' });
  const cert = readBack(image, offset, 'halld/device.crt');
  t.match(new X509Certificate(cert).subject, /^CN=kiosk-8$/m);
  t.match(readBack(image, offset, 'halld/device.key'), /^-----BEGIN PRIVATE KEY-----/);
  t.equal(readBack(image, offset, 'halld/hall-ca.pem'), new X509Certificate(await readFile(ca.certFile)).toString());
  const script = readBack(image, offset, 'halld/install-halld.sh');
  t.match(script, /install -m 0600 -o halld -g halld "\$HERE\/device.key" \/etc\/halld\/device.key\n {2}rm -f "\$HERE\/device.key"/, 'the key goes to /etc/halld 0600 and off the FAT partition');
  const again = await runCli(args, CLI_KILL_MS);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /key and certificate kept/);
  t.equal(readBack(image, offset, 'halld/device.crt'), cert, 'a re-run keeps the certificate on the card');
});
