// An over-the-air update of the real arm64 release, run as a Pi runs it but under qemu-user on
// this x86 machine (binfmt_misc, so the supervisor's start of bin/node and halld's own child,
// the new release's self-test, run arm64 too): a repacked arm64 release offered over http is
// downloaded, verified, self-tested, switched to and committed; one that crashes at start is
// rolled back by the boot guard. qemu-user is several times slower than the host: the deadlines
// are generous and nothing here is a timing verdict (the durations are printed as comments).
import t from 'tap';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIRMWARE_VERSION } from '../../firmware/runtime.js';
import { binfmtArm64Missing, builtRelease } from '../../testkit/release-halld.js';
import { requiredTools } from '../../testkit/required-tools.js';
import { updateFixture } from './update-fixture.js';

/** Generous: an arm64 halld under qemu-user starts in tens of seconds on a loaded 2-core machine. */
const QEMU_MS = 600_000;
t.setTimeout(2_400_000);

function why(): string | false {
  const missing = builtRelease('arm64', FIRMWARE_VERSION) === undefined ? 'no arm64 release in build/release (npm run release -- --arch arm64)' : binfmtArm64Missing();
  if (missing === undefined) return false;
  if (requiredTools().has('release-arm64')) t.fail(`${missing}, and HALLD_REQUIRE says the arm64 release must be tested`);
  return missing;
}
const skip = why();

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

t.test('arm64 under qemu-user: an update offered over http is committed', { skip }, async (t) => {
  const f = await updateFixture(t, { arch: 'arm64', healthDeadlineMs: QEMU_MS });
  await f.onlineAndPinged(FIRMWARE_VERSION, QEMU_MS);
  const { tarball, offer } = await f.release('0.1.1');
  const since = f.server.events.length;
  const offered = Date.now();
  const ack = await f.update({ ...offer, source: { url: f.http.serve('arm64-0.1.1.tar.gz', tarball) } });
  t.match(ack, { ok: true, data: { accepted: true, version: '0.1.1' } });
  t.match((await f.event('update.downloaded', since, QEMU_MS)).message.data, { version: '0.1.1', bytes: offer.size, via: 'http' });
  const downloaded = Date.now();
  t.match((await f.event('update.applied', since, QEMU_MS)).message.data, { from: FIRMWARE_VERSION, to: '0.1.1' });
  const applied = Date.now();
  await f.onlineAndPinged('0.1.1', QEMU_MS);
  const pinged = Date.now();
  t.match((await f.event('update.committed', since, QEMU_MS)).message.data, { from: FIRMWARE_VERSION, to: '0.1.1' });
  const committed = Date.now();
  t.equal(await readlink(join(f.root, 'current')), '0.1.1');
  t.equal(await readlink(join(f.root, 'committed')), '0.1.1');
  t.same(f.board.starts.map((s) => s.version), [FIRMWARE_VERSION, '0.1.1'], 'one restart, into the new release');
  t.comment(`arm64 under qemu-user, offer → committed: ${seconds(committed - offered)} (downloaded ${seconds(downloaded - offered)}, verified + unpacked + self-tested + switched ${seconds(applied - downloaded)}, new release online and pinged ${seconds(pinged - applied)}, committed ${seconds(committed - pinged)}); ${offer.size} bytes`);
});

t.test('arm64 under qemu-user: a release that crashes at start is rolled back by the boot guard', { skip }, async (t) => {
  const f = await updateFixture(t, { arch: 'arm64', healthDeadlineMs: QEMU_MS });
  await f.onlineAndPinged(FIRMWARE_VERSION, QEMU_MS);
  // Passes its offline self-test (diag), dies at `run`.
  const crash = await f.release('0.1.3', 'crash-at-run', async (dir) => {
    const file = join(dir, 'dist', 'halld.mjs');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^(#![^\n]*\n)?/, (shebang) => `${shebang}if (process.argv.includes('run')) { process.stderr.write('crash at start (test release)\\n'); process.exit(70); }\n`));
  });
  const since = f.server.events.length;
  const offered = Date.now();
  t.match(await f.update({ ...crash.offer, source: { url: f.http.serve('arm64-crash.tar.gz', crash.tarball) } }), { ok: true });
  await f.event('update.applied', since, QEMU_MS);
  const applied = Date.now();
  const rolled = await f.event('update.rolled-back', since, QEMU_MS);
  const reported = Date.now();
  t.match(rolled.message.data, { from: '0.1.3', to: FIRMWARE_VERSION, reason: /crash loop: 3 starts of 0.1.3/ });
  t.equal(await readlink(join(f.root, 'current')), FIRMWARE_VERSION);
  t.same(f.board.starts.map((s) => s.version), [FIRMWARE_VERSION, '0.1.3', '0.1.3', '0.1.3', FIRMWARE_VERSION]);
  await f.onlineAndPinged(FIRMWARE_VERSION, QEMU_MS);
  t.comment(`arm64 under qemu-user, offer → rolled back and reported: ${seconds(reported - offered)} (applied ${seconds(applied - offered)}, three crashing starts, the guard's rollback and the old release's start reporting it ${seconds(reported - applied)})`);
});
