// A full disk, for real (a small tmpfs filled to the last byte): every command still gets
// one answer, INTERNAL "storage full"; the store reports the fault and recovers from it.
import t from 'tap';
import { join } from 'node:path';
import { smallDisk } from '../../../testkit/small-disk.js';
import { dispatcherRig } from '../link/dispatcher-rig.js';
import { tempDir } from '../../../testkit/temp.js';

t.test('disk full: a journaled command answers INTERNAL "storage full" and runs nothing; a ping still answers', async (t) => {
  const disk = await smallDisk(t, 8);
  if ('unavailable' in disk) return void t.plan(0, disk.unavailable);
  const rig = await dispatcherRig(join(disk.dir, 'data'));
  t.teardown(() => rig.store.close());
  await rig.send('note', 'before-full', { n: 1 });
  t.match(rig.acksFor('before-full'), [{ ok: true }]);

  t.ok(disk.fill() > 0, 'the disk is full');
  await rig.send('note', 'while-full', { n: 2 });
  t.match(rig.acksFor('while-full'), [{ ok: false, error: { code: 'INTERNAL', message: /^storage full/ } }], 'exactly one answer, naming the fault');
  t.notOk(rig.ran.includes('while-full'), 'the command did not run');
  t.match(rig.store.health(), { ok: false, reason: 'storage full', code: 'SQLITE_FULL' });
  await rig.send('note', 'while-full', { n: 2 });
  t.match(rig.acksFor('while-full')[1], { ok: false, dup: true, error: { message: /^storage full/ } }, 'a repeat gets the same answer');
  await rig.send('ping', 'ping-full', { x: 1 });
  t.match(rig.acksFor('ping-full'), [{ ok: true, data: { x: 1 } }], 'a read-only command still answers');

  disk.free();
  await rig.send('note', 'after-free', { n: 3 });
  t.match(rig.acksFor('after-free'), [{ ok: true, data: { n: 3 } }]);
  t.same(rig.store.health(), { ok: true }, 'healthy again after a write succeeded');
  t.ok(rig.ran.includes('after-free'));
});

t.test('an idle store finds the full disk with its probe write', async (t) => {
  const disk = await smallDisk(t, 8);
  if ('unavailable' in disk) return void t.plan(0, disk.unavailable);
  const rig = await dispatcherRig(join(disk.dir, 'data'));
  t.teardown(() => rig.store.close());
  t.same(await rig.store.probeWrite(), { ok: true });
  disk.fill();
  t.match(await rig.store.probeWrite(), { ok: false, reason: 'storage full' });
  disk.free();
  t.same(await rig.store.probeWrite(), { ok: true });
});

t.test('a store that cannot write (SQLITE_READONLY) answers INTERNAL "storage read-only" and says so', async (t) => {
  const dir = await tempDir(t);
  const rig = await dispatcherRig(dir);
  t.teardown(() => rig.store.close());
  // query_only makes SQLite refuse every write on this connection, as a read-only data dir does.
  await rig.store.get('PRAGMA query_only = 1');
  await rig.send('note', 'ro-1', { n: 1 });
  t.match(rig.acksFor('ro-1'), [{ ok: false, error: { code: 'INTERNAL', message: /^storage read-only/ } }]);
  t.match(rig.store.health(), { ok: false, reason: 'storage read-only', code: 'SQLITE_READONLY' });
  await rig.store.get('PRAGMA query_only = 0');
  t.same(await rig.store.probeWrite(), { ok: true });
});
