// Provisioning into Raspberry Pi OS boot partitions made here (MBR written by the test, FAT by
// mkfs.vfat at the partition's offset), read back with mcopy: both OS generations.
import t from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { installScript, installUnit } from '../../provisioning/first-boot-files.js';
import { sha256File } from '../../release/release-tree.js';
import { runCli } from '../../testkit/device-process.js';
import { makeTestCa, opensslSkip } from '../../testkit/test-ca.js';
import { CLI_KILL_MS, CMDLINE, CONFIG_64, makeImage, PART_START, readBack, readBackBytes, setup, toolsSkip } from './pi-image-fixture.js';

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
