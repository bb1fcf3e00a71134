// The checked-in subset fonts (fonts/*.bdf, built by `npm run fonts`) and where their full
// Debian originals live on a board, for the on-demand fallback.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FontFace, loadBdfFile, systemFontLoader } from './font-face.js';

export type BuiltinFontId = 'wqy-12' | 'unifont-16';

export const SYSTEM_FONT_PATHS: Record<BuiltinFontId, string> = {
  'wqy-12': '/usr/share/fonts/X11/misc/wenquanyi_9pt.pcf',
  'unifont-16': '/usr/share/fonts/X11/misc/unifont.pcf.gz',
};

/**
 * fonts/ of the package, the nearest above this file: the code runs from dist/drivers/matrix/render/
 * (tsc output), from dist/chunks/ (the bundle) or from an installed package, so no fixed depth fits all.
 */
export function defaultFontDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'fonts', 'wqy-12.bdf'))) return join(dir, 'fonts');
    const parent = dirname(dir);
    if (parent === dir) return join(dirname(from), 'fonts'); // not found: the error names a path
    dir = parent;
  }
}

export interface LoadFaceOptions {
  readonly fontDir?: string;
  /** Full font for characters outside the subset; `false` disables the fallback (golden tests). */
  readonly fallbackPath?: string | false;
}

export async function loadBuiltinFace(id: BuiltinFontId, opts: LoadFaceOptions = {}): Promise<FontFace> {
  const subset = await loadBdfFile(join(opts.fontDir ?? defaultFontDir(), `${id}.bdf`));
  const fallback = opts.fallbackPath === false ? undefined : systemFontLoader(opts.fallbackPath ?? SYSTEM_FONT_PATHS[id]);
  return new FontFace(subset, fallback);
}
