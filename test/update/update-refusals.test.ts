// Every refusal leaves the running release untouched: no switch, no restart, `current` where
// it was, and the server told why (the command's answer at once, or evt/sys/update.failed).
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeys } from '../../protocol/signing.js';
import { readSlots } from '../../release/update/slots.js';
import { smallDisk } from '../../testkit/small-disk.js';
import { waitFor } from '../../testkit/wait.js';
import { DEVICE, missing, updateFixture, type Fixture } from './update-fixture.js';

const skip = missing();

async function untouched(t: Test, f: Fixture, starts: number, what: string): Promise<void> {
  t.equal(await readlink(join(f.root, 'current')), '0.1.0', `${what}: current still 0.1.0`);
  t.equal(f.board.starts.length, starts, `${what}: no restart`);
  t.same((await readSlots(f.root)).releases, ['0.1.0'], `${what}: nothing left beside the running release`);
  t.equal(f.server.client.status(DEVICE)?.online, true, `${what}: still online`);
}

t.test('refusals: architecture, size, hash, another key, an altered release, a truncated tarball, too many bytes', { skip }, async (t) => {
  const f = await updateFixture(t);
  await f.onlineAndPinged('0.1.0');
  const starts = f.board.starts.length;
  const good = await f.release('0.1.1');
  const url = f.http.serve('good.tar.gz', good.tarball);

  const arch = await f.update({ ...good.offer, arch: 'arm64', source: { url } });
  t.match(arch, { ok: false, error: { code: 'BAD_REQUEST', details: { reason: 'ARCH' } } }, 'wrong architecture: refused at once');
  const huge = await f.update({ ...good.offer, size: 10_000_000_000, source: { url } });
  t.match(huge, { ok: false, error: { code: 'BAD_REQUEST', details: { reason: 'TOO_LARGE' } } }, 'over update.maxBytes: refused at once');

  const failed = async (data: Record<string, unknown>, expect: RegExp, what: string) => {
    const since = f.server.events.length;
    const ack = await f.update(data);
    t.equal(ack.ok, true, `${what}: accepted (${JSON.stringify(ack)})`);
    const e = await f.event('update.failed', since);
    t.match(e.message.data, { reason: expect }, `${what}: ${String((e.message.data as { reason?: string }).reason)}`);
    await untouched(t, f, starts, what);
  };
  await failed({ ...good.offer, sha256: createHash('sha256').update('other').digest('hex'), source: { url } }, /^HASH: /, 'wrong hash');

  const other = generateSigningKeys();
  const foreign = await f.release('0.1.4', 'other-key', undefined, { privateKeyPem: other.privateKeyPem });
  await failed({ ...foreign.offer, source: { url: f.http.serve('foreign.tar.gz', foreign.tarball) } }, /^WRONG_KEY: .*signed by release key/, 'signed by another key');

  const altered = await f.release('0.1.5', 'altered', undefined, {
    tamper: async (dir) => {
      const file = join(dir, 'manifest.json');
      await writeFile(file, (await readFile(file, 'utf8')).replace('"version": "0.1.5"', '"version": "0.1.5" '));
    },
  });
  await failed({ ...altered.offer, source: { url: f.http.serve('altered.tar.gz', altered.tarball) } }, /^SIGNATURE: /, 'manifest altered after signing');

  const cutFile = join(f.dir, 'halld-0.1.1-linux-x64-cut.tar.gz');
  const bytes = await readFile(good.tarball);
  await writeFile(cutFile, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const cut = { ...good.offer, size: Math.floor(bytes.length / 2), sha256: createHash('sha256').update(bytes.subarray(0, Math.floor(bytes.length / 2))).digest('hex') };
  await failed({ ...cut, source: { url: f.http.serve('cut.tar.gz', cutFile) } }, /^TARBALL: .*(truncated|unexpected end|damaged)/i, 'a truncated tarball');

  f.http.padWith(1000);
  await failed({ ...good.offer, source: { url } }, /^TOO_LARGE: /, 'more bytes than announced');
  f.http.padWith(0);
});

t.test('a full disk: refused at once, while downloading, or before unpacking; the running release goes on', { skip }, async (t) => {
  // 200 MiB: room for the installed release (129 MB) and a download (49 MB), not for unpacking another.
  const disk = await smallDisk(t, 200);
  if ('unavailable' in disk) return void t.plan(0, disk.unavailable);
  const f = await updateFixture(t, { root: join(disk.dir, 'opt-halld') });
  await f.onlineAndPinged('0.1.0');
  const starts = f.board.starts.length;
  const good = await f.release('0.1.1');
  const url = f.http.serve('good.tar.gz', good.tarball);

  let since = f.server.events.length;
  t.equal((await f.update({ ...good.offer, source: { url } })).ok, true);
  const unpack = await f.event('update.failed', since);
  t.match(unpack.message.data, { phase: 'unpack', reason: /^NO_SPACE: .*needs \d+ MB/ }, String((unpack.message.data as { reason?: string }).reason));
  await untouched(t, f, starts, 'no room to unpack');

  // The disk fills up while the bytes arrive: the write fails, the update stops.
  f.http.throttle(4_000_000);
  since = f.server.events.length;
  t.equal((await f.update({ ...good.offer, source: { url } })).ok, true);
  await waitFor('some bytes downloaded', () => ((f.sysState()?.['update'] as { bytes?: number } | undefined)?.bytes ?? 0) > 0, 60_000, 50);
  disk.fill();
  const download = await f.event('update.failed', since);
  t.match(download.message.data, { phase: 'download', reason: /^NO_SPACE: / }, String((download.message.data as { reason?: string }).reason));
  await untouched(t, f, starts, 'disk full while downloading');

  // Still full: refused before a byte is fetched.
  const ack = await f.update({ ...good.offer, source: { url } });
  t.match(ack, { ok: false, error: { code: 'BAD_REQUEST', details: { reason: 'NO_SPACE' } } }, 'no room for the download: refused at once');
  disk.free();
  f.http.throttle(undefined);
  await untouched(t, f, starts, 'full disk');
  await f.onlineAndPinged('0.1.0');
});
