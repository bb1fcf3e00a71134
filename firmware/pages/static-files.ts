// A page's own files: found inside the installed halld package, served with their content
// type and the plug-in's caching rule, and never anything outside the page's folder.
import type { ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { PageRequestError } from './page-errors.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Cache-Control of a static file by its path inside the page's folder. The default is
 * `no-store`: a kiosk browser runs for months, and after an upgrade it must load the new
 * page, not a cached one. A plug-in may let large assets that never change (photos, fonts)
 * be cached.
 */
export type CacheRule = (relPath: string) => string;
export const NO_STORE: CacheRule = () => 'no-store';

/**
 * A folder of the installed package: walks up from `from` (a compiled module in dist/…, or
 * dist/halld.mjs when bundled) to the folder whose package.json is named "halld", then
 * `relPath`. Null when not found or when it has no `marker` file (index.html for a page).
 */
export function findPackageDir(relPath: string, from: string, marker = 'index.html'): string | null {
  let dir = dirname(from);
  for (let i = 0; i < 10; i++) {
    const pkgFile = join(dir, 'package.json');
    if (existsSync(pkgFile)) {
      try {
        const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: unknown };
        if (pkg.name === 'halld') {
          const candidate = join(dir, relPath);
          return existsSync(join(candidate, marker)) ? candidate : null;
        }
      } catch {
        // an unreadable package.json of some other package: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Answers GET/HEAD `path` from `root`; a 404 PageRequestError for anything else. */
export async function serveStatic(root: string, path: string, headOnly: boolean, res: ServerResponse, cacheRule: CacheRule): Promise<void> {
  const rel = path === '/' ? 'index.html' : path.slice(1);
  const file = resolve(root, rel);
  // No way out of the folder (`..`, absolute paths) and no hidden files.
  if ((file !== root && !file.startsWith(root + sep)) || rel.split('/').some((part) => part.startsWith('.'))) {
    throw new PageRequestError(404, `no such file: ${path}`);
  }
  let data: Buffer;
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    data = await readFile(file);
  } catch {
    throw new PageRequestError(404, `no such file: ${path}`);
  }
  res.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': data.length,
    'Cache-Control': cacheRule(rel),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(headOnly ? undefined : data);
}
