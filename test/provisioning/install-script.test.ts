// The first-boot install script (provisioning/first-boot-files.ts), run here as a board runs it
// but into a folder (HALLD_ROOT), with the commands that change the host (useradd, systemctl,
// chown, dpkg) replaced by stubs that record their calls. The release is a real signed one in
// the release format (testkit/test-release.ts). What it must show: an install that needs no
// network, one clear line for every refusal, a release switched to only when whole, and an
// install cut short by a power cut (SIGKILL) finished by the next run.
import t from 'tap';
import { spawn } from 'node:child_process';
import { chmod, cp, lstat, mkdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALL_SCRIPT, INSTALL_UNIT, installScript, installUnit, releaseEnv, RELEASE_ENV, RELEASE_KEY_FILE } from '../../provisioning/first-boot-files.js';
import { shippedUnitPath } from '../../provisioning/target-root.js';
import { sha256File } from '../../release/release-tree.js';
import { makeTestRelease, type TestRelease } from '../../testkit/test-release.js';
import { tempDir } from '../../testkit/temp.js';

const SCRIPT_TIMEOUT_MS = 60_000;

interface Board {
  readonly boot: string;
  readonly root: string;
  readonly stubs: string;
  readonly calls: string;
  readonly release: TestRelease;
}

/** A stub that appends its name and arguments to the calls file, then runs `body`. */
async function stub(dir: string, name: string, calls: string, body = 'exit 0'): Promise<void> {
  const file = join(dir, name);
  await writeFile(file, `#!/bin/sh\necho "${name} $*" >> ${JSON.stringify(calls)}\n${body}\n`);
  await chmod(file, 0o755);
}

/** The boot partition's halld/ folder as `halld provision --image` leaves it, and an empty root. */
async function board(t: Parameters<typeof tempDir>[0], opts: { arch?: 'arm64' | 'x64'; userland?: string } = {}): Promise<Board> {
  const dir = await tempDir(t);
  const release = await makeTestRelease(join(dir, 'release'), { arch: opts.arch ?? 'x64' });
  const boot = join(dir, 'boot', 'halld');
  const root = join(dir, 'root');
  const stubs = join(dir, 'stubs');
  const calls = join(dir, 'calls.log');
  await mkdir(boot, { recursive: true });
  await mkdir(root);
  await mkdir(stubs);
  const name = release.tarball.split('/').pop() ?? '';
  await cp(release.tarball, join(boot, name));
  await writeFile(join(boot, RELEASE_ENV), releaseEnv({ tarball: name, sha256: await sha256File(release.tarball), version: release.manifest.version, arch: release.manifest.arch, unpackedBytes: release.manifest.unpackedBytes, signedBy: release.manifest.signedBy }));
  await writeFile(join(boot, RELEASE_KEY_FILE), release.keys.publicKeyPem);
  await writeFile(join(boot, INSTALL_SCRIPT), installScript());
  await writeFile(join(boot, INSTALL_UNIT), installUnit());
  await cp(shippedUnitPath(), join(boot, 'halld.service'));
  await writeFile(join(boot, 'device.json'), '{"hall":"hall-1","device":"kiosk-1"}\n');
  // `id halld` fails until useradd has run, as on a fresh board.
  await stub(stubs, 'useradd', calls, `touch ${JSON.stringify(join(dir, 'user-made'))}`);
  await stub(stubs, 'id', calls, `[ -f ${JSON.stringify(join(dir, 'user-made'))} ]`);
  for (const name of ['groupadd', 'usermod', 'getent', 'systemctl', 'chown']) await stub(stubs, name, calls);
  await stub(stubs, 'dpkg', calls, `echo ${opts.userland ?? 'amd64'}`);
  return { boot, root, stubs, calls, release };
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

function install(b: Board, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [join(b.boot, INSTALL_SCRIPT)], { env: { ...process.env, HALLD_ROOT: b.root, PATH: `${b.stubs}:${process.env['PATH'] ?? ''}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), SCRIPT_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

const prefix = (b: Board) => join(b.root, 'opt/halld');
/** The unit file and its multi-user.target.wants link (absolute, as systemctl enable makes it). */
const armed = async (b: Board) => existsSync(join(b.root, 'etc/systemd/system', INSTALL_UNIT)) && (await readlink(join(b.root, 'etc/systemd/system/multi-user.target.wants', INSTALL_UNIT)).catch(() => '')) === `/etc/systemd/system/${INSTALL_UNIT}`;
const current = (b: Board) => readlink(join(prefix(b), 'current')).catch(() => undefined);

t.test('a whole install from the boot partition: release under /opt/halld, config 0600 and off the card, service enabled', async (t) => {
  const b = await board(t);
  const r = await install(b);
  t.equal(r.code, 0, r.output);
  t.equal(await current(b), '0.1.0', 'current -> the release');
  t.ok(existsSync(join(prefix(b), '0.1.0', 'manifest.json')), 'the release folder is the signed one');
  t.equal((await stat(join(b.root, 'etc/halld/device.json'))).mode & 0o777, 0o600);
  t.notOk(existsSync(join(b.boot, 'device.json')), 'the broker password is gone from the FAT partition');
  t.notOk(existsSync(join(b.boot, b.release.tarball.split('/').pop() ?? '')), 'the tarball is removed from the boot partition once installed');
  t.equal(await readFile(join(b.root, 'etc/halld', RELEASE_KEY_FILE), 'utf8'), b.release.keys.publicKeyPem, 'the release key is kept for updates');
  t.equal(await readlink(join(b.root, 'usr/local/bin/halld')), '/opt/halld/current/bin/halld', 'halld on PATH runs the current release');
  t.notOk(existsSync(join(b.root, 'etc/systemd/system', INSTALL_UNIT)), 'the install unit is gone once the install is done');
  const calls = await readFile(b.calls, 'utf8');
  t.match(calls, /^useradd --system .* halld$/m);
  const unitGroups = /^SupplementaryGroups=(.*)$/m.exec(await readFile(shippedUnitPath(), 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
  for (const g of unitGroups) t.match(calls, new RegExp(`^usermod -aG ${g} halld$`, 'm'), `the halld user gets ${g}, which the unit runs with`);
  t.match(calls, /^systemctl enable halld\.service$/m);
  t.match(calls, /^systemctl restart --no-block halld\.service$/m, 'halld is started without waiting (the install may run as a unit ordered before it)');
  t.notMatch(calls, /apt|npm/, 'nothing from the network');
  const log = await readFile(join(b.root, 'var/log/halld-install.log'), 'utf8');
  t.match(log, /step verify-tarball[\s\S]*step unpack[\s\S]*step activate[\s\S]*verified release 0\.1\.0[\s\S]*done: halld 0\.1\.0 installed/, 'each step in the install log');
  const again = await install(b);
  t.equal(again.code, 0, `a second run changes nothing: ${again.output}`);
  t.match(again.output, /release 0\.1\.0 is installed already/);
});

t.test('refusals: each one clear line, in the log too, and nothing switched', async (t) => {
  const cases: { name: string; setup?: (b: Board) => Promise<void>; opts?: { arch?: 'arm64' | 'x64'; userland?: string }; step: string; line: RegExp }[] = [
    { name: 'a release for another architecture', opts: { arch: 'arm64' }, step: 'architecture', line: /the release on this card is for arm64, this board is x64: provision the card with halld-0\.1\.0-linux-x64\.tar\.gz/ },
    { name: '32-bit Raspberry Pi OS', opts: { userland: 'armhf' }, step: 'architecture', line: /32-bit Raspberry Pi OS \(armhf\) is not supported: write the 64-bit \(arm64\) Raspberry Pi OS image/ },
    {
      name: 'a tarball damaged on the card',
      setup: async (b) => {
        const file = join(b.boot, b.release.tarball.split('/').pop() ?? '');
        const bytes = await readFile(file);
        const at = bytes.length - 100;
        bytes[at] = (bytes[at] ?? 0) ^ 0xff;
        await writeFile(file, bytes);
      },
      step: 'verify-tarball',
      line: /the release tarball on the boot partition is damaged \(sha256 [0-9a-f]{64}, provisioned [0-9a-f]{64}\): write the card again/,
    },
    {
      name: 'no room on the root partition',
      setup: (b) => stub(b.stubs, 'df', b.calls, 'printf "Filesystem 1024-blocks Used Available Capacity Mounted on\\n/dev/root 100 100 0 100%% /\\n"'),
      step: 'space',
      line: /the root partition has 0 MB free under \/opt\/halld, halld 0\.1\.0 needs \d+ MB: use a larger card or free space/,
    },
    {
      name: 'a release whose signature does not match its files',
      setup: async (b) => {
        // An altered release whose tarball hash was recorded as it is (provision would have refused it).
        const altered = await makeTestRelease(join(b.root, '..', 'altered'), { arch: 'x64', keys: b.release.keys, tamper: (dir) => writeFile(join(dir, 'package.json'), '{"name":"halld","version":"6.6.6"}\n') });
        const name = b.release.tarball.split('/').pop() ?? '';
        await cp(altered.tarball, join(b.boot, name));
        const env = (await readFile(join(b.boot, RELEASE_ENV), 'utf8')).replace(/^RELEASE_SHA256=.*$/m, `RELEASE_SHA256=${await sha256File(altered.tarball)}`);
        await writeFile(join(b.boot, RELEASE_ENV), env);
      },
      step: 'activate',
      line: /package\.json: content differs from the manifest/,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const b = await board(t, c.opts);
      await c.setup?.(b);
      const r = await install(b);
      t.equal(r.code, 1, 'the install fails');
      t.match(r.output, new RegExp(`halld-install: FAILED at step ${c.step}: `), `says which step (${c.step})`);
      t.match(r.output, c.line, 'and why, in words the installer can act on');
      t.match(await readFile(join(b.root, 'var/log/halld-install.log'), 'utf8'), c.line, 'the same line is in /var/log/halld-install.log');
      t.equal(await current(b), undefined, 'current points at nothing: no half-installed halld runs');
      t.ok(await armed(b), 'the install unit stays armed: the next boot tries again');
      t.ok(existsSync(join(b.boot, 'device.json')), 'the config stays on the card for that next try');
    });
  }
});

t.test('a power cut while unpacking, and one after the switch: the next boot finishes the install', async (t) => {
  const b = await board(t);
  // The "power cut": tar unpacks only part of the release, then the script is killed.
  await stub(b.stubs, 'tar', b.calls, `/bin/tar "$@" --exclude='*/dist/*' 2>/dev/null; kill -KILL $PPID`);
  const cut = await install(b);
  t.equal(cut.signal ?? cut.code, 'SIGKILL', 'the script was killed mid-unpack');
  t.equal(await current(b), undefined, 'current was never pointed at the half-unpacked tree');
  t.ok(existsSync(join(prefix(b), '.incoming-0.1.0')), 'the half tree is where it was unpacked, not under its version');
  await stub(b.stubs, 'tar', b.calls, 'exec /bin/tar "$@"');
  const next = await install(b);
  t.equal(next.code, 0, next.output);
  t.equal(await current(b), '0.1.0');
  t.notOk(existsSync(join(prefix(b), '.incoming-0.1.0')), 'the half tree is gone');

  const b2 = await board(t);
  // Switched, then cut before the user and the config were set up.
  await stub(b2.stubs, 'useradd', b2.calls, 'kill -KILL $PPID');
  const cut2 = await install(b2);
  t.equal(cut2.signal ?? cut2.code, 'SIGKILL');
  t.equal(await current(b2), '0.1.0', 'the verified release is current');
  t.ok(await armed(b2), 'and the install unit is armed for the next boot');
  await stub(b2.stubs, 'useradd', b2.calls);
  const next2 = await install(b2);
  t.equal(next2.code, 0, next2.output);
  t.match(next2.output, /release 0\.1\.0 is installed already/, 'the next run does not unpack again');
  t.equal((await lstat(join(b2.root, 'etc/halld/device.json'))).mode & 0o777, 0o600);
});
