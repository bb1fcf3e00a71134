// The systemd units: `systemd-analyze verify` clean (where systemd is installed), and the
// settings the runtime relies on: Type=notify with the watchdog, NotifyAccess=all (the notify
// messages come from halld's systemd-notify child), the start limit in [Unit] (systemd ignores
// it in [Service] on current versions), the service user and hardware groups.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../../provisioning/systemd/', import.meta.url));
const UNITS = ['halld.service', 'halld-kiosk.service'];

function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const head = /^\[(\w+)\]$/.exec(line);
    if (head?.[1]) current = head[1];
    else out.set(current, [...(out.get(current) ?? []), line]);
  }
  return out;
}

function verify(file: string): Promise<{ missing: boolean; code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('systemd-analyze', ['verify', file], (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({ missing: e?.code === 'ENOENT', code: typeof e?.code === 'number' ? e.code : e ? 1 : 0, output: stdout + stderr });
    });
  });
}

// The release's Node lives at /opt/halld/current/bin/node only on a board; verify checks that
// every Exec* program exists, so the copy verified here runs this machine's node in its place
// (the path itself is pinned by the test below).
const BOARD_NODE = '/opt/halld/current/bin/node';

const noAnalyze = await verify('--help').then((r) => (r.missing ? 'systemd-analyze is not installed here' : false));
for (const unit of UNITS) {
  t.test(`systemd-analyze verify ${unit}`, { skip: noAnalyze }, async (t) => {
    const work = await mkdtemp(join(tmpdir(), 'halld-units-'));
    t.teardown(() => rm(work, { recursive: true, force: true }));
    const text = await readFile(`${dir}${unit}`, 'utf8');
    await writeFile(join(work, unit), text.split(BOARD_NODE).join(process.execPath));
    const r = await verify(join(work, unit));
    t.equal(r.code, 0, r.output);
    t.equal(r.output.trim(), '', 'no warnings either');
  });
}

t.test('halld.service: notify + watchdog, the start limit in [Unit], the halld user with the hardware groups', async (t) => {
  const s = sections(await readFile(`${dir}halld.service`, 'utf8'));
  const unit = s.get('Unit') ?? [];
  const service = s.get('Service') ?? [];
  t.ok(unit.includes('StartLimitIntervalSec=0'), 'StartLimitIntervalSec in [Unit]');
  t.notOk(service.some((l) => l.startsWith('StartLimit')), 'no StartLimit* in [Service]');
  for (const line of ['Type=notify', 'NotifyAccess=all', 'User=halld', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/halld', 'PrivateDevices=no']) t.ok(service.includes(line), line);
  t.match(service.find((l) => l.startsWith('WatchdogSec=')), /^WatchdogSec=[1-9]\d*$/);
  const groups = service.find((l) => l.startsWith('SupplementaryGroups='))?.split('=')[1]?.split(' ') ?? [];
  for (const g of ['gpio', 'dialout', 'i2c', 'spi']) t.ok(groups.includes(g), `group ${g}`);
  for (const dev of ['char-gpiochip', 'char-ttyUSB', 'char-ttyACM', 'char-i2c']) t.ok(service.includes(`DeviceAllow=${dev} rw`), `DeviceAllow ${dev}`);
  t.ok(service.includes('CacheDirectory=halld') && service.includes('Environment=NODE_COMPILE_CACHE=/var/cache/halld/compile-cache'), "the compile cache in a directory systemd makes writable for halld (ProtectSystem=strict)");
  t.ok(service.includes(`ExecStart=${BOARD_NODE} /opt/halld/current/dist/halld.mjs run --config /etc/halld/device.json`), "runs the release's own Node on the installed bundle");
  // Updates: the boot guard runs first, from the committed release; halld may write its releases.
  const pre = service.filter((l) => l.startsWith('ExecStartPre='));
  t.match(pre[0], /committed.*update guard --root \/opt\/halld/, 'the boot guard is the first pre-start step');
  t.ok(service.includes('ReadWritePaths=/opt/halld'), 'ReadWritePaths=/opt/halld');
});

t.test('the screen token: halld keeps it in /run/halld for its group; the kiosk unit opens Chromium with it', async (t) => {
  const halld = sections(await readFile(`${dir}halld.service`, 'utf8')).get('Service') ?? [];
  for (const line of ['RuntimeDirectory=halld', 'RuntimeDirectoryMode=0750', 'RuntimeDirectoryPreserve=yes']) t.ok(halld.includes(line), line);
  const kiosk = sections(await readFile(`${dir}halld-kiosk.service`, 'utf8')).get('Service') ?? [];
  t.ok(kiosk.includes('SupplementaryGroups=halld'), 'the browser may read the token');
  const exec = kiosk.find((l) => l.startsWith('ExecStart='))?.slice('ExecStart='.length) ?? '';
  // Run the unit's command as systemd would hand it to the shell ($$ is a literal $), with echo for Chromium.
  const tmp = await mkdtemp(join(tmpdir(), 'halld-unit-'));
  t.teardown(() => rm(tmp, { recursive: true, force: true }));
  const token = 'ab'.repeat(32);
  await writeFile(join(tmp, 'screen-token'), `${token}\n`);
  const match = /^\/bin\/sh -c '(.*)'$/.exec(exec);
  t.ok(match, 'ExecStart runs a shell');
  const script = (match?.[1] ?? '').replaceAll('$$', '$').replace('exec /usr/bin/chromium', 'exec /bin/echo').replace('/run/halld/screen-token', join(tmp, 'screen-token'));
  const out = await new Promise<string>((resolve, reject) => execFile('/bin/sh', ['-c', script], (err, stdout) => (err ? reject(err) : resolve(stdout))));
  t.match(out.trim(), new RegExp(`--kiosk .* http://127\\.0\\.0\\.1:8080/\\?screen=${token}$`), 'Chromium gets the page URL with the token');
});
