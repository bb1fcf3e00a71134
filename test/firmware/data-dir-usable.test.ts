// The data dir check says why a directory cannot be used, in words, for every way it fails
// on a board (read-only after fsck, permissions, a file in the way, a mount not there).
import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDirProblem, type DataDirFs } from '../../firmware/data-dir/usable.js';
import { tempDir } from '../../testkit/temp.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/** A directory that exists but refuses writes with `code` (a read-only mount, permissions). */
function refusing(code: string): DataDirFs {
  return {
    stat: async () => ({ isDirectory: () => true }),
    writeFile: async () => Promise.reject(errno(code)),
    unlink: async () => undefined,
    mkdtemp: async () => Promise.reject(errno(code)),
    rmdir: async () => undefined,
  };
}

t.test('usable directories pass; each failure is one sentence', async (t) => {
  const dir = await tempDir(t);
  t.equal(await dataDirProblem(dir), undefined, 'an existing writable dir');
  t.equal(await dataDirProblem(join(dir, 'a', 'b')), undefined, 'a dir that can be created');
  await writeFile(join(dir, 'file'), 'x');
  t.equal(await dataDirProblem(join(dir, 'file')), `cannot use ${join(dir, 'file')}: it is a file, not a directory`);
  t.equal(await dataDirProblem(join(dir, 'file', 'data')), `cannot use ${join(dir, 'file', 'data')}: a part of the path is a file`);
  t.equal(await dataDirProblem('/var/lib/halld', refusing('EROFS')), 'cannot write in /var/lib/halld: the file system is read-only');
  t.equal(await dataDirProblem('/var/lib/halld', refusing('EACCES')), 'cannot write in /var/lib/halld: permission denied');
  t.equal(await dataDirProblem('/var/lib/halld', refusing('ENOSPC')), 'cannot write in /var/lib/halld: no space left on the device');
  await mkdir(join(dir, 'ok'));
  t.equal(await dataDirProblem(join(dir, 'ok')), undefined);
});
