// The updater in process, with a small signed release whose bin/node runs this checkout: the
// switch waits while a role is busy and until the quiet window, and the command's answer says
// so; the quiet window is counted in the hall's time zone.
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installReleaseTarball } from '../../release/install.js';
import { readMember } from '../../release/tarball.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { createLogger } from '../../firmware/log.js';
import { Store } from '../../firmware/store/store.js';
import { Updater } from '../../firmware/update/updater.js';
import { inQuietWindow, nextQuietStart } from '../../firmware/update/quiet-window.js';
import { makeTestRelease, releaseKeys } from '../../testkit/test-release.js';
import { startReleaseServer } from '../../testkit/release-server.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';

t.test('quiet window in the hall time zone, across midnight', async (t) => {
  const w = { from: '22:00', to: '06:00' };
  // 2026-12-07 14:30 UTC is 22:30 in Shanghai: inside; 12:00 UTC is 20:00 there: outside.
  t.equal(inQuietWindow(w, Date.UTC(2026, 11, 7, 14, 30), 'Asia/Shanghai'), true);
  t.equal(inQuietWindow(w, Date.UTC(2026, 11, 7, 12, 0), 'Asia/Shanghai'), false);
  t.equal(inQuietWindow(w, Date.UTC(2026, 11, 7, 21, 59), 'Asia/Shanghai'), true, '05:59 next morning');
  t.equal(inQuietWindow(w, Date.UTC(2026, 11, 7, 22, 0), 'Asia/Shanghai'), false, '06:00: over');
  t.equal(nextQuietStart(w, Date.UTC(2026, 11, 7, 12, 0), 'Asia/Shanghai'), Date.UTC(2026, 11, 7, 14, 0), 'opens at 22:00 Shanghai = 14:00 UTC');
  t.equal(inQuietWindow({ from: '12:00', to: '13:00' }, Date.UTC(2026, 11, 7, 4, 30), 'Asia/Shanghai'), true, 'a window within one day');
});

async function rig(t: Test, opts: { busy: () => string[]; quietWindow?: { from: string; to: string }; now?: () => number }) {
  const dir = await tempDir(t, 'halld-updater-');
  const keys = releaseKeys();
  const old = await makeTestRelease(join(dir, 'r1'), { arch: process.arch as 'x64', version: '0.1.0', keys });
  const next = await makeTestRelease(join(dir, 'r2'), { arch: process.arch as 'x64', version: '0.1.1', keys });
  const root = join(dir, 'opt');
  await installReleaseTarball(old.tarball, { prefix: root, publicKey: keys.publicKeyPem });
  await symlink('0.1.0', join(root, 'committed'));
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'device.json');
  await writeFile(configFile, JSON.stringify({ hall: 'h', device: 'd', board: 'sim', dataDir, roles: { sys: {} } }));
  const store = await Store.open(dataDir, { clock: systemClock });
  t.teardown(() => store.close());
  const events: { name: string; data: Record<string, unknown> }[] = [];
  const progress: Record<string, unknown>[] = [];
  const restarts: string[] = [];
  const updater = new Updater({
    settings: { root, releaseKey: old.keyFile, maxBytes: 100_000_000, healthDeadlineMs: 60_000, maxBoots: 3, ...(opts.quietWindow ? { quietWindow: opts.quietWindow } : {}) },
    timeZone: 'Asia/Shanghai',
    configFile,
    running: '0.1.0',
    dataDir,
    store,
    emit: async (name, data) => void events.push({ name, data }),
    progress: (p) => void (p && progress.push(p)),
    busy: opts.busy,
    birth: async () => false,
    failingSelfTests: async () => [],
    restart: (reason) => void restarts.push(reason),
    timers: globalTimers,
    now: opts.now ?? (() => Date.now()),
    log: createLogger({ level: 'warn', format: 'json' }),
  });
  t.teardown(() => updater.stop());
  const http = await startReleaseServer(t);
  const bytes = await readFile(next.tarball);
  const offer = {
    version: '0.1.1',
    arch: process.arch,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    signature: (await readMember(next.tarball, 'halld-0.1.1-linux-x64/manifest.sig')).toString('utf8').trim(),
    source: { url: http.serve('next.tar.gz', next.tarball) },
  };
  return { root, updater, events, progress, restarts, offer };
}

t.test('a busy role holds the switch; the answer says why; it goes ahead when the role is done', { skip: process.arch !== 'x64' && 'x64 test releases' }, async (t) => {
  let busy = ['ticket-printer: a ticket is printing'];
  const r = await rig(t, { busy: () => busy });
  const answer = await r.updater.start('u1', r.offer);
  t.match(answer, { accepted: true, version: '0.1.1', when: 'when this is done: ticket-printer: a ticket is printing' });
  await waitFor('waiting', () => r.progress.some((p) => p['phase'] === 'waiting' && p['why'] === 'ticket-printer: a ticket is printing'), 60_000, 20);
  t.same(r.restarts, [], 'no switch while busy');
  t.equal(await readlink(join(r.root, 'current')), '0.1.0');
  t.ok(r.events.some((e) => e.name === 'update.downloaded'), 'downloaded and prepared meanwhile');
  busy = [];
  await waitFor('switched', () => r.restarts.length > 0, 20_000, 20);
  t.equal(await readlink(join(r.root, 'current')), '0.1.1');
  t.match(r.events.map((e) => e.name), ['update.downloaded', 'update.applied']);
});

t.test("when:'quiet' waits for the window and the answer names it", { skip: process.arch !== 'x64' && 'x64 test releases' }, async (t) => {
  // 12:00 UTC = 20:00 in Shanghai; the window opens at 22:00 there.
  const now = Date.UTC(2026, 11, 7, 12, 0);
  const r = await rig(t, { busy: () => [], quietWindow: { from: '22:00', to: '06:00' }, now: () => now });
  const answer = await r.updater.start('u2', { ...r.offer, when: 'quiet' });
  t.match(answer, { accepted: true, notBefore: Date.UTC(2026, 11, 7, 14, 0), when: /quiet window 22:00-06:00 \(Asia\/Shanghai\), from 2026-12-07T14:00:00.000Z/ });
  await waitFor('waiting for the window', () => r.progress.some((p) => p['phase'] === 'waiting' && /quiet window/.test(String(p['why']))), 60_000, 20);
  t.same(r.restarts, []);
  t.equal(await readlink(join(r.root, 'current')), '0.1.0');
});
