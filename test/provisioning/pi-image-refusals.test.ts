// What `halld provision --image` refuses, before it writes anything: a release not signed by the
// hall's release key, altered, cut short or for another architecture, a 32-bit image, a boot
// partition without room, user-data that is not YAML. Each one line; the image and the broker
// files stay as they were. A CSV batch with one such row, or one bad row, writes no image at all.
import t from 'tap';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sha256File } from '../../release/release-tree.js';
import { runCli } from '../../testkit/device-process.js';
import { makeTestRelease } from '../../testkit/test-release.js';
import { CLI_KILL_MS, CMDLINE, CONFIG_64, makeImage, PART_START, readBack, setup, toolsSkip } from './pi-image-fixture.js';

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

t.test('a CSV row whose image is refused leaves no image and no broker account behind', { skip: toolsSkip() }, async (t) => {
  const { dir, releaseArgs } = await setup(t);
  const base = join(dir, 'raspios.img');
  const bad = '#cloud-config\nusers: [\n';
  const offset = await makeImage(base, { 'cmdline.txt': CMDLINE, 'config.txt': CONFIG_64, 'user-data': bad });
  const csv = join(dir, 'devices.csv');
  await writeFile(csv, 'hall,device,roles,board\nhall-1,kiosk-8,,sim\n');
  const brokerDir = join(dir, 'broker');
  const out = join(dir, 'out');
  // Refused only when its image is opened: after its device.json was checked.
  const r = await runCli(['provision', '--csv', csv, '--out', out, '--base-image', base, ...releaseArgs, '--broker-dir', brokerDir], CLI_KILL_MS);
  t.equal(r.code, 2);
  t.match(r.stderr, /devices\.csv:2: .*user-data on the boot partition is not valid YAML/);
  await t.rejects(stat(join(out, 'hall-1-kiosk-8.img')), 'no plain copy of the base image an installer could flash by mistake');
  t.equal(readBack(base, offset, 'user-data'), bad, 'the base image untouched');
  t.notOk((await readFile(join(brokerDir, 'halld.passwd'), 'utf8').catch(() => '')).includes('kiosk-8'), 'no account for a device that was not written');
});

t.test('images from a CSV with one bad row: every row is judged first, and no image is written', { skip: toolsSkip() }, async (t) => {
  const { dir, releaseArgs } = await setup(t);
  const base = join(dir, 'raspios.img');
  await makeImage(base, { 'cmdline.txt': CMDLINE, 'config.txt': CONFIG_64, 'user-data': '#cloud-config\n' });
  const csv = join(dir, 'devices.csv');
  await writeFile(csv, 'hall,device,roles,board\nhall-1,kiosk-1,,sim\nhall-1,cab-1,locker,sim\nhall-1,kiosk-3,,sim\n');
  const out = join(dir, 'out');
  const brokerDir = join(dir, 'broker');
  const args = ['provision', '--csv', csv, '--out', out, '--base-image', base, ...releaseArgs, '--broker-dir', brokerDir];
  const r = await runCli(args, CLI_KILL_MS);
  t.equal(r.code, 2);
  t.match(r.stderr, /devices\.csv:3: hall-1\/cab-1 .*locker/);
  t.same(await readdir(out).catch(() => []), [], "no image at all: neither the good rows' nor a copy of the base for the bad one");
  await t.rejects(stat(brokerDir), 'no broker files');
  await writeFile(csv, 'hall,device,roles,board\nhall-1,kiosk-1,,sim\nhall-1,kiosk-3,,sim\n');
  const good = await runCli(args, CLI_KILL_MS);
  t.equal(good.code, 0, good.stderr);
  t.same((await readdir(out)).sort(), ['hall-1-kiosk-1.img', 'hall-1-kiosk-3.img'], 'the two images, and nothing temporary beside them');
  t.match(readBack(join(out, 'hall-1-kiosk-3.img'), PART_START * 512, 'user-data'), /hostname: kiosk-3/);
});
