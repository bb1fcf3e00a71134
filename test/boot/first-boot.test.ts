// The whole path from card to working board, emulated: a stand-in Raspberry Pi OS (64-bit) image
// (testkit/board-image.ts; its root has no Node.js), provisioned by `halld provision --image`
// with the arm64 release, booted under qemu-system-aarch64 with no network but a forward to this
// machine's Mosquitto. Done when the device's retained birth reaches the broker, `halld status`
// on the serial console says the broker is connected, and the config is 0600 in /etc/halld and
// gone from the boot partition. Trixie (cloud-init from the boot partition) and Bookworm
// (firstrun.sh from cmdline.txt, then the install unit on the next boot).
//
// Slow (minutes per OS under software emulation) and needs the cached roots: `npm run test:boot`
// builds what is missing and runs it; `npm test` leaves it out. What differs from a real Pi:
// docs/release.md ("The first boot in emulation").
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootFile, cachedRoot, kernelCommandLine, makeStandInImage, type StandInOs } from '../../testkit/board-image.js';
import { runCli } from '../../testkit/device-process.js';
import { testServer } from '../../testkit/hall-server.js';
import { startMosquitto } from '../../testkit/mosquitto.js';
import { bootBoard, BROKER_IN_GUEST } from '../../testkit/qemu-board.js';
import { builtRelease } from '../../testkit/release-halld.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { FIRMWARE_VERSION } from '../../firmware/runtime.js';

t.setTimeout(3_600_000);
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** Software emulation of a 2-core Cortex-A72 is slow; these are limits for a hung boot, not timings. */
const BOOT_MS = 20 * 60_000;
const CONSOLE_MS = 5 * 60_000;

function skipReason(os: StandInOs): string | false {
  if (!cachedRoot(os)) return `no cached ${os} arm64 root (npm run test:boot builds it: scripts/board-image/build-root.sh ${os})`;
  if (!builtRelease('arm64', FIRMWARE_VERSION)) return 'no arm64 release in build/release (npm run release -- --arch arm64)';
  return false;
}

for (const os of ['trixie', 'bookworm'] as const) {
  void t.test(`${os}: a provisioned card boots to its birth on the hall broker, offline`, { skip: skipReason(os) }, async (t) => {
    const root = cachedRoot(os)!;
    const release = builtRelease('arm64', FIRMWARE_VERSION)!;
    const dir = await tempDir(t);
    // The serial console as it comes (build/boot/<os>-serial.log), kept after the test for a person.
    const consoleDir = join(REPO, 'build', 'boot');
    mkdirSync(consoleDir, { recursive: true });
    writeFileSync(join(consoleDir, `${os}-serial.log`), '');
    const made = Date.now();
    const image = await makeStandInImage(join(dir, 'card'), os, root);
    t.comment(`stand-in ${os} image made in ${((Date.now() - made) / 1000).toFixed(0)} s`);
    const device = `kiosk-${os}`;
    const prov = await runCli(['provision', '--hall', 'test-hall', '--device', device, '--board', 'sim', '--broker', `mqtt://${BROKER_IN_GUEST}:1883`, '--image', image.file, '--tarball', release.tarball, '--release-key-pub', release.keyFile], 300_000);
    t.equal(prov.code, 0, prov.stderr);
    t.match(prov.stdout, new RegExp(`test-hall/${device}: ok .*${os} image`));

    const broker = await startMosquitto(dir);
    t.teardown(() => broker.stop());
    const server = await testServer(t, { url: broker.url, hall: 'test-hall' });
    const port = Number(new URL(broker.url).port);
    const boot = async () => {
      const board = bootBoard({ image: image.file, kernel: root.kernel, initrd: root.initrd, append: await kernelCommandLine(image), brokerPort: port, consoleLog: join(consoleDir, `${os}-serial.log`) });
      t.teardown(() => board.kill());
      return board;
    };
    const poweredOn = Date.now();
    let board = await boot();
    if (os === 'bookworm') {
      // firstrun.sh runs under systemd.run and reboots; the firmware reads cmdline.txt again.
      await board.exited;
      t.match(board.output(), /firstrun|halld/i, 'the first boot ran firstrun.sh');
      t.notMatch((await bootFile(image, 'cmdline.txt')) ?? '', /systemd\.run=/, 'firstrun.sh removed its hook from cmdline.txt');
      board = await boot();
    }
    await waitFor(`${device}'s birth on the hall broker`, () => {
      if (board.stopped()) throw new Error(`the board stopped before its birth (qemu exited)`);
      return server.client.status(device)?.online === true;
    }, BOOT_MS, 500).catch((err: Error) => {
      throw new Error(`${err.message}\nserial console:\n${board.output().slice(-6000)}`);
    });
    const birthMs = Date.now() - poweredOn;
    t.comment(`${os}: power-on to birth ${(birthMs / 1000).toFixed(0)} s under emulation`);
    t.match(board.output(), /halld-install: done: halld \d+\.\d+\.\d+ installed/, 'the install finished (serial console)');

    // The autologin prompt; kernel and cloud-init lines keep arriving after it on the same console,
    // so it is not at the end of the output, and the kernel is quietened before commands are typed.
    await board.waitFor(/root@[\w-]+:~# /, CONSOLE_MS);
    await board.run('dmesg -n 1', CONSOLE_MS);
    const status = await board.run('halld status', CONSOLE_MS);
    t.equal(status.status, 0, status.output);
    t.match(status.output, /broker\s+connected/, '`halld status` on the console: the broker is connected');
    const mode = await board.run('stat -c %a:%U /etc/halld/device.json; ls /boot/firmware/halld; readlink /opt/halld/current; command -v node || echo no-system-node', CONSOLE_MS);
    t.match(mode.output, /^600:halld$/m, '/etc/halld/device.json is 0600, owned by halld');
    t.notMatch(mode.output, /^device\.json$/m, 'and gone from the boot partition');
    t.match(mode.output, new RegExp(`^${FIRMWARE_VERSION.replaceAll('.', '\\.')}$`, 'm'), '/opt/halld/current -> the release');
    t.match(mode.output, /^no-system-node$/m, 'the OS has no Node.js: halld ran on its own');
    const log = await board.run('cat /var/log/halld-install.log', CONSOLE_MS);
    t.match(log.output, /step verify-tarball[\s\S]*step activate[\s\S]*verified release/, 'the install log has each step');

    await board.run('systemctl poweroff', CONSOLE_MS).catch(() => undefined);
    await Promise.race([board.exited, new Promise((r) => setTimeout(r, 120_000))]);
    await board.kill();
    t.equal(await bootFile(image, 'halld/device.json'), undefined, 'the card no longer holds the broker password');
    t.match((await bootFile(image, 'halld/INSTALLED')) ?? '', new RegExp(`^halld ${FIRMWARE_VERSION.replaceAll('.', '\\.')} installed `), 'INSTALLED left on the card');
    const summary = { os, powerOnToBirthMs: birthMs, release: release.tarball.split('/').pop(), releaseBytes: readFileSync(release.tarball).length };
    t.comment(JSON.stringify(summary));
  });
}
