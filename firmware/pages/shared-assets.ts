// The look every page shares: hall.css (palette, type scale, the font stack) and the web fonts
// halld ships, so a board without Debian's CJK fonts still shows Chinese. Every page server
// serves them under /shared/; each page links /shared/hall.css before its own style.css.
import { fileURLToPath } from 'node:url';
import { findPackageDir } from './static-files.js';

/** URL prefix of the shared files on every page server. */
export const SHARED_PREFIX = '/shared/';
export const SHARED_DIR_IN_PACKAGE = 'firmware/pages/public';

/** The shared folder inside the installed package; null when it (or its hall.css) is missing. */
export function findSharedDir(from: string = fileURLToPath(import.meta.url)): string | null {
  return findPackageDir(SHARED_DIR_IN_PACKAGE, from, 'hall.css');
}
