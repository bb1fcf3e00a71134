// A real, small file system for disk-full tests: a tmpfs of a few MiB mounted in a temp
// folder (needs root, which CI has), filled to the last byte by a filler file and freed by
// removing it. Unmounted in teardown. Returns undefined (with the reason) where mount is not
// allowed, so the caller can skip and say why.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { closeSync, openSync, writeSync, unlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the file system says ENOSPC; returns the bytes written. */
  fill(): number;
  /** Removes the filler. */
  free(): void;
}

export async function smallDisk(t: Teardown, sizeMiB = 8): Promise<SmallDisk | { unavailable: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'halld-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return { unavailable: `cannot mount a tmpfs (${((err as { stderr?: Buffer }).stderr?.toString() || (err as Error).message).trim()})` };
  }
  t.teardown(async () => {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      let written = 0;
      try {
        for (const size of [1 << 20, 1 << 16, 1 << 12, 512, 1]) {
          const chunk = Buffer.alloc(size, 0x55);
          for (;;) {
            try {
              written += writeSync(fd, chunk);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw err;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free() {
      if (existsSync(filler)) unlinkSync(filler);
    },
  };
}
