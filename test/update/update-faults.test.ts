// Power cuts (SIGKILL of the whole halld process group) at each step of an update, and an
// update pushed over MQTT in chunks through a broker restart and a device restart: the board
// always comes back on a working release with its data, and the update ends committed.
import t from 'tap';
import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pushReleaseChunks } from '../../protocol/release-push.js';
import { readUpdateState } from '../../release/update/update-state.js';
import { waitFor } from '../../testkit/wait.js';
import { DEVICE, missing, SLOW_MS, updateFixture, type Fixture } from './update-fixture.js';

const skip = missing();

const phase = (f: Fixture) => (f.sysState()?.['update'] as { phase?: string; bytes?: number } | undefined) ?? {};

t.test('SIGKILL while downloading, while self-testing and while the new release is on trial', { skip }, async (t) => {
  const f = await updateFixture(t);
  await f.onlineAndPinged('0.1.0');
  const first = await f.release('0.1.1');
  f.http.throttle(3_000_000);
  let since = f.server.events.length;
  t.equal((await f.update({ ...first.offer, source: { url: f.http.serve('a.tar.gz', first.tarball) } })).ok, true);
  await waitFor('4 MB downloaded', () => (phase(f).bytes ?? 0) > 4_000_000, SLOW_MS, 50);
  const requestsBefore = f.http.requests.length;
  f.board.kill('SIGKILL');
  f.http.throttle(undefined);
  // Back on 0.1.0, the accepted update resumes from the part file.
  await waitFor('download resumed with Range', () => f.http.requests.slice(requestsBefore).some((r) => r.status === 206), SLOW_MS, 100);
  t.pass('after the kill, the download resumed where the part file ended');
  await f.event('update.applied', since);
  // On trial: killed before the server pinged it. The guard counts the start; it tries again.
  await waitFor('0.1.1 online', () => {
    const s = f.server.client.status(DEVICE);
    return s?.online === true && s.fw === '0.1.1';
  }, SLOW_MS, 100);
  f.board.kill('SIGKILL');
  await waitFor('0.1.1 started again', () => f.board.starts.filter((s) => s.version === '0.1.1').length >= 2, SLOW_MS, 100);
  t.equal((await readUpdateState(f.root)).attempt?.boots, 2, 'the guard counted both starts of 0.1.1');
  await f.onlineAndPinged('0.1.1');
  await f.event('update.committed', since);
  t.equal(await readlink(join(f.root, 'committed')), '0.1.1');
  t.equal(f.server.eventsNamed('update.committed').length, 1, 'committed reported once');

  // Killed while the new release tests itself: the update starts over from the complete tarball.
  const second = await f.release('0.1.2');
  since = f.server.events.length;
  t.equal((await f.update({ ...second.offer, source: { url: f.http.serve('b.tar.gz', second.tarball) } })).ok, true);
  await waitFor('self-test phase', () => phase(f).phase === 'self-test', SLOW_MS, 20);
  f.board.kill('SIGKILL');
  await f.event('update.applied', since);
  await f.onlineAndPinged('0.1.2');
  await f.event('update.committed', since);
  t.equal(await readlink(join(f.root, 'current')), '0.1.2');
  t.notOk(f.server.events.slice(since).some((e) => e.name === 'update.failed'), 'nothing failed');
});

t.test('over MQTT: chunks through a broker restart and a device restart, then committed', { skip }, async (t) => {
  const f = await updateFixture(t);
  await f.onlineAndPinged('0.1.0');
  const { tarball, offer } = await f.release('0.1.1');
  const bytes = await readFile(tarball);
  const since = f.server.events.length;
  const ack = await f.update({ ...offer, source: { chunks: true } });
  t.match(ack, { ok: true, data: { accepted: true, have: 0 } });
  let restartedBroker = false;
  let killedDevice = false;
  const pushed = await pushReleaseChunks(f.server.client, DEVICE, bytes, offer.sha256, {
    ackTimeoutMs: 5_000,
    retryMs: 300,
    onProgress: (have) => {
      if (!restartedBroker && have > bytes.length / 3) {
        restartedBroker = true;
        void f.broker.restart();
      } else if (restartedBroker && !killedDevice && have > (bytes.length * 2) / 3) {
        killedDevice = true;
        f.board.kill('SIGKILL');
      }
    },
  });
  t.ok(restartedBroker && killedDevice, 'the broker restarted and the device was killed during the transfer');
  // Whether a chunk had to be sent again depends on where the cuts fell (mqtt.js queues a publish
  // across a quick broker restart; the device answers from what it fsynced): not a verdict.
  t.comment(`chunks sent again after lost acks: ${pushed.resent}`);
  t.match((await f.event('update.downloaded', since)).message.data, { via: 'chunks', bytes: bytes.length, sha256: offer.sha256 });
  await f.event('update.applied', since);
  await f.onlineAndPinged('0.1.1');
  await f.event('update.committed', since);
  t.equal(await readlink(join(f.root, 'current')), '0.1.1');
});
