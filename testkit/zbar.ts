// Reads QR codes from a PNG the way a phone would, with Debian's zbarimg (zbar-tools). The
// `-Sbinary` output is the symbol's bytes as stored, so the test compares bytes and decodes
// UTF-8 itself (zbar's own text mode guesses Shift JIS for Chinese UTF-8 and mangles it).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runs, skipWithout } from './required-tools.js';

const run = promisify(execFile);
const ZBARIMG = '/usr/bin/zbarimg';
let scans = 0;
const NO_SYMBOL_EXIT = 4;

/** Skip reason for tests that scan, or false when zbarimg is installed. */
export const zbarSkip = (): string | false => skipWithout('zbar', runs(ZBARIMG, ['--version']), 'apt-get install zbar-tools');

/** The bytes of the one QR symbol zbarimg finds in `png` (written into `dir`); rejects when it finds none. */
export async function scanQr(png: Buffer, dir: string): Promise<Buffer> {
  const file = join(dir, `scan-${++scans}.png`);
  await writeFile(file, png);
  try {
    const { stdout } = await run(ZBARIMG, ['--raw', '-q', '-Sbinary', '-Sqrcode.enable', file], { encoding: 'buffer', maxBuffer: 1 << 20 });
    return stdout;
  } catch (err) {
    // zbarimg exits 4 when the image holds no symbol it can read.
    if ((err as { code?: unknown }).code === NO_SYMBOL_EXIT) throw new Error('zbarimg found no readable QR code in the image', { cause: err });
    throw err;
  }
}
