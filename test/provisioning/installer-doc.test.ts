// docs/installer.md as an installer follows it: every ```sh block, in order, in one empty
// folder, with `halld` on PATH being this build. A block that fails fails the test, so the
// guide cannot drift from the command.
import t from 'tap';
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmod, copyFile, mkdir, open, readFile, readlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CLI } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { makeTestRelease } from '../../testkit/test-release.js';
import { skipWithout } from '../../testkit/required-tools.js';

const run = promisify(execFile);
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const hasTools = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v mcopy && command -v mkfs.vfat && command -v openssl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export function shBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

t.test('every sh block of docs/installer.md runs', { skip: skipWithout('mtools', hasTools, 'apt-get install mtools dosfstools openssl') }, async (t) => {
  const blocks = shBlocks(await readFile(join(REPO, 'docs/installer.md'), 'utf8'));
  t.ok(blocks.length >= 4, `found ${blocks.length} blocks`);
  const dir = await tempDir(t);
  const bin = join(dir, '.bin');
  await mkdir(bin);
  await writeFile(join(bin, 'halld'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await chmod(join(bin, 'halld'), 0o755);
  const work = join(dir, 'work');
  await mkdir(work);
  await writeFile(join(work, 'server.pub'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A release in the real format, signed by a key made here (test/release/ runs the real builds).
  const release = await makeTestRelease(join(dir, 'release'));
  await copyFile(release.tarball, join(work, 'halld-0.1.0-linux-arm64.tar.gz'));
  await copyFile(release.keyFile, join(work, 'release.pub'));
  // A bare FAT "image" with Trixie's marker files.
  const image = join(work, 'raspios.img');
  const fh = await open(image, 'w');
  await fh.truncate(48 * 1024 * 1024);
  await fh.close();
  execFileSync('mkfs.vfat', ['-n', 'bootfs', image], { stdio: 'ignore' });
  for (const [name, text] of [['cmdline.txt', 'console=tty1 rootwait\n'], ['config.txt', '# Run in 64-bit mode\narm_64bit=1\n'], ['user-data', '#cloud-config\n'], ['meta-data', 'instance-id: rpios\n']] as const) {
    await writeFile(join(dir, name), text);
    execFileSync('mcopy', ['-i', `${image}@@0`, join(dir, name), `::/${name}`], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  }
  // The hall's CA, as the hall's IT would have made it (section 6).
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(work, 'hall-ca.key'), '-out', join(work, 'hall-ca.pem'), '-days', '30', '-subj', '/CN=hall-1 CA', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' });
  const env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
  for (const [i, block] of blocks.entries()) {
    const r = await run('sh', ['-e', '-c', block], { cwd: work, env }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    t.equal('code' in r ? r.code : 0, 0, `block ${i + 1} exits 0: ${block.split('\n')[0] ?? ''}\n${r.stderr}`);
  }
  const ls = await run('ls', ['images'], { cwd: work });
  t.same(ls.stdout.trim().split('\n'), ['hall-1-kiosk-1.img', 'hall-1-kiosk-2.img']);
  const acl = await readFile(join(work, 'broker/halld.acl'), 'utf8');
  const devices = JSON.parse(await readFile(join(work, 'broker/halld-devices.json'), 'utf8')) as Record<string, unknown>;
  for (const d of ['kiosk-1', 'kiosk-2', 'kiosk-3', 'kiosk-4', 'kiosk-5', 'kiosk-6', 'kiosk-7']) {
    t.match(acl, new RegExp(`^user ${d}$`, 'm'), `${d} has an ACL block`);
    t.ok(d in devices, `${d} is in the broker's device list`);
  }
  t.equal(await readlink(join(work, 'root-kiosk-4/opt/halld/current')), '0.1.0', 'section 5 installs the release into the target');
  t.equal(await readlink(join(work, 'root-kiosk-4/usr/local/bin/halld')), '/opt/halld/current/bin/halld');
  const config = async (d: string) => JSON.parse(await readFile(join(work, `root-${d}/etc/halld/device.json`), 'utf8')) as { broker: Record<string, string>; security?: { serverPublicKey?: string } };
  for (const d of ['kiosk-5', 'kiosk-6']) {
    const cfg = await config(d);
    t.match(cfg.broker, { cert: 'device.crt', key: 'device.key', ca: 'hall-ca.pem' }, `${d}: the config names its certificate`);
    t.equal(cfg.security?.serverPublicKey, await readFile(join(work, 'server.pub'), 'utf8'), `${d}: the config has the server's key`);
  }
  // Section 6, password accounts over TLS: the hall CA only.
  const k7 = await config('kiosk-7');
  t.match(k7.broker, { ca: 'hall-ca.pem', username: 'kiosk-7', password: String }, 'kiosk-7: the hall CA and its password');
  t.notOk('cert' in k7.broker, 'kiosk-7: no client certificate');
  t.equal(k7.security?.serverPublicKey, await readFile(join(work, 'server.pub'), 'utf8'), "kiosk-7: the server's key");
});
