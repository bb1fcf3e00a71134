// Over-the-air updates end to end with the real x64 release: `halld run` as a child of a
// supervisor that behaves like halld.service (boot guard, restart on exit), in a temp install
// root, against Mosquitto. A good update is downloaded (resumed after a cut connection),
// verified, self-tested, switched, proves itself and is committed; a release that crashes at
// start and one that never hears the server's ping roll back by themselves.
import t from 'tap';
import { readlink, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readUpdateState } from '../../release/update/update-state.js';
import { waitFor } from '../../testkit/wait.js';
import { DEVICE, missing, SLOW_MS, updateFixture } from './update-fixture.js';

const skip = missing();

t.test('a good update: downloaded (resumed after a cut), applied, committed, reported; data kept', { skip }, async (t) => {
  const f = await updateFixture(t);
  await f.onlineAndPinged('0.1.0');
  const bootBefore = f.server.client.status(DEVICE)?.boot ?? 0;
  const { tarball, offer } = await f.release('0.1.1');
  const url = f.http.serve('halld-0.1.1.tar.gz', tarball);
  f.http.cutAfter(4 * 1024 * 1024);
  const since = f.server.events.length;
  const ack = await f.update({ ...offer, source: { url } });
  t.equal(ack.ok, true, JSON.stringify(ack));
  t.match(ack, { data: { accepted: true, version: '0.1.1', when: 'now' } });
  const downloaded = await f.event('update.downloaded', since);
  t.match(downloaded.message.data, { version: '0.1.1', bytes: offer.size, sha256: offer.sha256, via: 'http' });
  t.ok(f.http.requests.some((r) => r.status === 206 && r.range === `bytes=${4 * 1024 * 1024}-`), 'the download resumed with Range where the cut left it');
  t.match((await f.event('update.applied', since)).message.data, { from: '0.1.0', to: '0.1.1' });
  await f.onlineAndPinged('0.1.1');
  const committed = await f.event('update.committed', since);
  t.match(committed.message.data, { from: '0.1.0', to: '0.1.1' });
  t.equal(await readlink(join(f.root, 'current')), '0.1.1');
  t.equal(await readlink(join(f.root, 'committed')), '0.1.1');
  const state = await readUpdateState(f.root);
  t.equal(state.attempt, undefined);
  t.same(state.history, ['0.1.0', '0.1.1'], 'the release before is kept for a rollback');
  t.same(f.board.starts.map((s) => s.version), ['0.1.0', '0.1.1'], 'one restart, into the new release');
  t.ok((f.server.client.status(DEVICE)?.boot ?? 0) > bootBefore, 'the same data dir: the boot number went on');
  // The retained state/sys shows the phase.
  await waitFor('state/sys says committed', () => (f.sysState()?.['update'] as { phase?: string } | undefined)?.phase === 'committed', 10_000, 100);
  t.match(f.sysState(), { update: { phase: 'committed', from: '0.1.0', to: '0.1.1' } });
  // A second good update keeps two releases (0.1.2 and 0.1.1) and drops 0.1.0.
  const second = await f.release('0.1.2');
  const since2 = f.server.events.length;
  t.equal((await f.update({ ...second.offer, source: { url: f.http.serve('halld-0.1.2.tar.gz', second.tarball) } })).ok, true);
  await f.event('update.applied', since2);
  await f.onlineAndPinged('0.1.2');
  await f.event('update.committed', since2);
  const { readSlots } = await import('../../release/update/slots.js');
  t.same((await readSlots(f.root)).releases, ['0.1.1', '0.1.2'], 'at most two releases kept');
});

t.test('a release that crashes at start is rolled back by the boot guard and reported', { skip }, async (t) => {
  const f = await updateFixture(t);
  await f.onlineAndPinged('0.1.0');
  // Passes its offline self-test (diag), dies at `run`: what a bad bundle or a missing module does.
  const crash = await f.release('0.1.3', 'crash-at-run', async (dir) => {
    const file = join(dir, 'dist', 'halld.mjs');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^(#![^\n]*\n)?/, (shebang) => `${shebang}if (process.argv.includes('run')) { process.stderr.write('crash at start (test release)\\n'); process.exit(70); }\n`));
  });
  const since = f.server.events.length;
  t.equal((await f.update({ ...crash.offer, source: { url: f.http.serve('crash.tar.gz', crash.tarball) } })).ok, true);
  await f.event('update.applied', since);
  const rolled = await f.event('update.rolled-back', since);
  t.match(rolled.message.data, { from: '0.1.3', to: '0.1.0', reason: /crash loop: 3 starts of 0.1.3/ });
  t.equal(await readlink(join(f.root, 'current')), '0.1.0');
  t.same(f.board.starts.map((s) => s.version), ['0.1.0', '0.1.3', '0.1.3', '0.1.3', '0.1.0']);
  await f.onlineAndPinged('0.1.0');
});

t.test('a release the server never pings is rolled back at the deadline', { skip }, async (t) => {
  const f = await updateFixture(t, { healthDeadlineMs: 15_000 });
  await f.onlineAndPinged('0.1.0');
  const { since } = await f.applied(t, '0.1.1');
  // Online with 0.1.1, but no ping: not proven healthy.
  await waitFor('0.1.1 online', () => { const st = f.server.client.status(DEVICE); return st?.online === true && st.fw === '0.1.1'; }, SLOW_MS, 100);
  const rolled = await f.event('update.rolled-back', since);
  t.match(rolled.message.data, { from: '0.1.1', to: '0.1.0', reason: /not healthy within 15 s: no sys\/ping from the server/ });
  t.equal(await readlink(join(f.root, 'current')), '0.1.0');
  t.equal(await readlink(join(f.root, 'committed')), '0.1.0');
});
