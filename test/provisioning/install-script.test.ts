// The first-boot install script (provisioning/first-boot-files.ts) against the unit it
// installs: every group halld.service asks for (SupplementaryGroups=, which systemd refuses to
// start without) is created and given to the halld user, and `halld` is on PATH for the
// technician, running the installed copy with the arguments as typed.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { bookwormFirstrun, hookedCmdline, installScript } from '../../provisioning/first-boot-files.js';
import { shippedUnitPath } from '../../provisioning/target-root.js';
import { CLI } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';

t.test('the script parses, and gives the halld user every group the unit runs with', async (t) => {
  const dir = await tempDir(t);
  const script = installScript();
  await writeFile(join(dir, 'install-halld.sh'), script);
  execFileSync('sh', ['-n', join(dir, 'install-halld.sh')]);
  const unitGroups = /^SupplementaryGroups=(.*)$/m.exec(await readFile(shippedUnitPath(), 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
  t.ok(unitGroups.includes('video'), 'the unit runs with video (vcgencmd, the HUB75 panel)');
  const scriptGroups = /^for g in (.*); do$/m.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
  for (const g of unitGroups) t.ok(scriptGroups.includes(g), `the install script creates and grants ${g}`);
});

t.test('halld is on PATH after the install: /usr/local/bin/halld runs the installed copy with the arguments as typed', async (t) => {
  const dir = await tempDir(t);
  const script = installScript();
  const block = /^cat > \/usr\/local\/bin\/halld <<'WRAPPER'\n[\s\S]*?^WRAPPER\nchmod 0755 \/usr\/local\/bin\/halld$/m.exec(script)?.[0];
  t.ok(block, 'the script writes /usr/local/bin/halld');
  if (!block) return;
  const bin = join(dir, 'halld');
  execFileSync('sh', ['-e', '-c', block.replaceAll('/usr/local/bin/halld', bin)]);
  const wrapper = await readFile(bin, 'utf8');
  t.equal(wrapper, '#!/bin/sh\nexec /usr/bin/node /opt/halld/dist/halld.mjs "$@"\n', 'the same node and entry point as ExecStart, the arguments passed through');
  // Run it with this machine's node and build in place of the board's paths.
  await writeFile(bin, wrapper.replace('/usr/bin/node', process.execPath).replace('/opt/halld/dist/halld.mjs', CLI));
  await chmod(bin, 0o755);
  t.match(execFileSync(bin, ['config', 'check', '--help']).toString(), /Usage: halld config check/, 'arguments reach halld unchanged');
});

// Raspberry Pi OS Bookworm's initramfs script imager_fixup (raspberrypi-sys-mods,
// initramfs-tools/scripts/local-bottom/imager_fixup) acts only when /proc/cmdline has
// Imager's `systemd.run=/boot/firstrun.sh`: it rewrites cmdline.txt /boot/ -> /boot/firmware/,
// cuts firstrun.sh at the first line matching /rm.*firstrun\.sh$/, appends its own cleanup and
// reboots. Our hook names /boot/firmware directly (no fixup, no extra reboot); when Imager's
// own hook is kept (its firstrun.sh chained), the fixup runs on ours and must cut nothing.
t.test('Bookworm: the hook does not trigger imager_fixup, and its cut would leave our firstrun.sh whole', async (t) => {
  const cmdline = hookedCmdline('console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootwait\n');
  t.match(cmdline, / systemd\.run=\/boot\/firmware\/firstrun\.sh systemd\.run_success_action=reboot systemd\.unit=kernel-command-line\.target\n$/);
  t.notMatch(cmdline, /systemd\.run=\/boot\/firstrun\.sh/, "imager_fixup's trigger is absent");
  for (const chain of [false, true]) {
    const lines = bookwormFirstrun(chain).split('\n');
    t.same(lines.filter((l) => /rm.*firstrun\.sh$/.test(l)), [], `no line where imager_fixup would cut (chain ${chain})`);
  }
  const imagerHooked = hookedCmdline('root=PARTUUID=1234-02 rootwait systemd.run=/boot/firstrun.sh systemd.run_success_action=reboot systemd.unit=kernel-command-line.target\n');
  t.equal((imagerHooked.match(/systemd\.run=/g) ?? []).length, 1, "Imager's hook is kept, not doubled");
});
