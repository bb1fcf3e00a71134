// `halld run` outside systemd (no UMask=0077 from a unit): the data dir is 0700 and the database
// files 0600 whatever the umask it was started with, and an earlier looser data dir and database
// are tightened. They hold the command journal, pickup-code hashes and the screen token.
import t from 'tap';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deviceProcess } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';

t.setTimeout(120_000);

const mode = async (file: string) => (await stat(file)).mode & 0o777;

/** Starts the device under umask 022, as a shell or a plain service manager would. */
function startUnderUmask(proc: { start(): void }): void {
  const previous = process.umask(0o022);
  try {
    proc.start();
  } finally {
    process.umask(previous);
  }
}

t.test('a fresh data dir: 0700, halld.db and its WAL files 0600, under umask 022', async (t) => {
  const dir = await tempDir(t);
  // No broker answers here: the device keeps running offline, which is all this needs.
  const proc = await deviceProcess(t, join(dir, 'dev'), deviceConfig('mqtt://127.0.0.1:9', 'priv-1'));
  startUnderUmask(proc);
  const data = join(dir, 'dev', 'data');
  await waitFor('the database and its WAL', async () => (await Promise.all(['halld.db', 'halld.db-wal', 'halld.db-shm'].map((f) => stat(join(data, f)).then(() => true, () => false)))).every(Boolean), 60_000);
  t.equal(await mode(data), 0o700, 'data dir 0700');
  for (const f of ['halld.db', 'halld.db-wal', 'halld.db-shm']) t.equal(await mode(join(data, f)), 0o600, `${f} 0600`);
  await proc.kill('SIGTERM');
});

t.test('an existing data dir 0755 with a database 0644 is tightened', async (t) => {
  const dir = await tempDir(t);
  const data = join(dir, 'dev', 'data');
  await mkdir(data, { recursive: true });
  await chmod(data, 0o755);
  await writeFile(join(data, 'halld.db'), '');
  await chmod(join(data, 'halld.db'), 0o644);
  const proc = await deviceProcess(t, join(dir, 'dev'), deviceConfig('mqtt://127.0.0.1:9', 'priv-2'));
  startUnderUmask(proc);
  await waitFor('the WAL', () => stat(join(data, 'halld.db-wal')).then(() => true, () => false), 60_000);
  t.equal(await mode(data), 0o700);
  t.equal(await mode(join(data, 'halld.db')), 0o600);
  t.equal(await mode(join(data, 'halld.db-wal')), 0o600);
  await proc.kill('SIGTERM');
});
