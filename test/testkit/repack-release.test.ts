// Two test files that need the same repacked release (the update tests run in parallel) must
// both get a whole tarball: the second may not write over the first one's half-written file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { listMembers, packDir } from '../../release/tarball.js';
import { repackRelease } from '../../testkit/repack-release.js';
import { tempDir } from '../../testkit/temp.js';

async function sourceRelease(dir: string, payloadBytes: number): Promise<string> {
  const top = 'halld-0.1.0-linux-x64';
  await mkdir(join(dir, 'src', top), { recursive: true });
  await writeFile(join(dir, 'src', top, 'package.json'), '{"name":"halld","version":"0.1.0"}\n');
  await writeFile(join(dir, 'src', top, 'manifest.json'), '{"version":"0.1.0"}\n');
  await writeFile(join(dir, 'src', top, 'manifest.sig'), 'x\n');
  await writeFile(join(dir, 'src', top, 'payload.bin'), randomBytes(payloadBytes));
  const source = join(dir, `${top}.tar.gz`);
  await packDir(join(dir, 'src'), top, source, 0);
  return source;
}

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

// A test computes the offer (size, sha256) from the file it got; if a parallel test's repack
// then replaced that file with other bytes, the device would be served a file the offer does
// not describe. The same inputs must give the same bytes, whenever they are packed.
t.test('a repack gives the same bytes whenever it is made', async (t) => {
  const dir = await tempDir(t, 'halld-repack-');
  const source = await sourceRelease(dir, 1024);
  const privateKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const first = await repackRelease(source, join(dir, 'a'), { version: '0.1.1', variant: 'good', privateKeyPem });
  await new Promise((r) => setTimeout(r, 1100));
  const second = await repackRelease(source, join(dir, 'b'), { version: '0.1.1', variant: 'good', privateKeyPem });
  t.equal(await sha256(second), await sha256(first));
});

t.test('two repacks of the same release at the same moment both give a whole tarball', async (t) => {
  const dir = await tempDir(t, 'halld-repack-');
  // Incompressible bytes so that packing takes long enough for the two to overlap.
  const source = await sourceRelease(dir, 24 * 1024 * 1024);
  const privateKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // Both reach the packing step together, as two test processes starting at once do.
  let arrived = 0;
  let release!: () => void;
  const together = new Promise<void>((r) => (release = r));
  const barrier = async (): Promise<void> => {
    if (++arrived === 2) release();
    await together;
  };
  const cache = join(dir, 'cache');
  const results = await Promise.allSettled([0, 1].map(() => repackRelease(source, cache, { version: '0.1.1', variant: 'good', privateKeyPem, tamper: barrier })));
  for (const [i, r] of results.entries()) {
    t.equal(r.status, 'fulfilled', `repack ${i} finished${r.status === 'rejected' ? `: ${String(r.reason)}` : ''}`);
    if (r.status !== 'fulfilled') continue;
    const members = await listMembers(r.value);
    t.ok(members.some((m) => m.path === 'halld-0.1.1-linux-x64/payload.bin'), `repack ${i}: the tarball reads to its end and holds the payload`);
  }
});
