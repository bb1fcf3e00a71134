// Reading a release tarball with GNU tar (every Debian and Raspberry Pi OS has it): its member
// list, one member's bytes, and the extraction. The tarball is checked before it is unpacked —
// members are only folders and regular files under one top folder — so a crafted archive
// cannot place a symlink and then write through it.
import { spawn } from 'node:child_process';

export interface TarMember {
  readonly type: 'file' | 'dir' | 'other';
  /** Path inside the archive as tar lists it, without a trailing '/'. */
  readonly path: string;
}

function runTar(args: readonly string[], what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new Error(`${what}: cannot run tar: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else {
        const why = Buffer.concat(err).toString('utf8').trim().split('\n').filter((l) => l !== '').slice(-2).join('; ');
        reject(new Error(`${what}: ${why || `tar exited with ${code}`}`));
      }
    });
  });
}

/** Every member, read to the end of the archive (a truncated gzip fails here, before unpacking). */
export async function listMembers(tarball: string): Promise<TarMember[]> {
  const text = (await runTar(['--list', '--verbose', '--numeric-owner', '--gzip', '--file', tarball], `${tarball}: not a readable .tar.gz`)).toString('utf8');
  const members: TarMember[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    // "-rw-r--r-- 0/0   1234 2026-12-07 08:00 path": mode, owner, size, date, time, then the path.
    const m = /^(\S)\S*\s+\S+\s+\d+\s+\S+\s+\S+\s(.*)$/.exec(line);
    if (!m) throw new Error(`${tarball}: cannot read tar's listing line ${JSON.stringify(line)}`);
    const type = m[1] === '-' ? 'file' : m[1] === 'd' ? 'dir' : 'other';
    members.push({ type, path: (m[2] ?? '').replace(/\/$/, '') });
  }
  return members;
}

export async function readMember(tarball: string, path: string): Promise<Buffer> {
  return runTar(['--extract', '--to-stdout', '--gzip', '--file', tarball, path], `${tarball}: cannot read ${path}`);
}

/** Unpacks the archive's top folder's contents into `dest` (which must exist). */
export async function extractInto(tarball: string, dest: string): Promise<void> {
  await runTar(['--extract', '--gzip', '--file', tarball, '--directory', dest, '--strip-components=1', '--no-same-owner', '--delay-directory-restore'], `${tarball}: unpacking failed`);
}

/** Packs `dir` (named `top` inside the archive) reproducibly: sorted, fixed times and owners. */
export async function packDir(parent: string, top: string, tarball: string, mtimeSeconds: number): Promise<void> {
  const args = ['--create', '--file', tarball, '--directory', parent, '--sort=name', `--mtime=@${mtimeSeconds}`, '--owner=0', '--group=0', '--numeric-owner', '--use-compress-program=gzip -9n', top];
  await runTar(args, `${tarball}: packing failed`);
}
