// The board's own screen is told apart from every other local client by a token halld makes once
// per boot of the board and keeps in a file only halld and the screen's browser can read (the
// browser unit joins halld's group). The browser is opened on `<page>/?screen=<token>`; the page
// server then hands it a cookie, and its event stream counts against its own limit, so local
// processes holding streams cannot leave the screen on its loading page. A restart of halld
// keeps the token (the open browser keeps working); a reboot of the board makes a new one.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SCREEN_TOKEN_FILE = 'screen-token';
/** The query parameter of the URL the screen's browser is opened with. */
export const SCREEN_PARAM = 'screen';
/** The boot the token belongs to, beside it. */
const BOOT_FILE = 'screen-token.boot';
const TOKEN_RE = /^[0-9a-f]{64}$/;
/** halld and its group (the screen's browser unit) read it; nobody else. */
const TOKEN_MODE = 0o640;

/** Linux's id of this boot of the board; undefined elsewhere (then every start makes a new token). */
export async function osBootId(): Promise<string | undefined> {
  try {
    return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writeMode(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: TOKEN_MODE });
  await chmod(tmp, TOKEN_MODE); // whatever the umask
  await rename(tmp, file);
}

/** This boot's screen token in `dir` (made and written there when there is none for this boot). */
export async function loadScreenToken(dir: string, bootId: () => Promise<string | undefined> = osBootId): Promise<string> {
  const boot = await bootId();
  const file = join(dir, SCREEN_TOKEN_FILE);
  const kept = await readIfThere(file);
  if (boot !== undefined && kept !== undefined && TOKEN_RE.test(kept) && (await readIfThere(join(dir, BOOT_FILE))) === boot) return kept;
  const token = randomBytes(32).toString('hex');
  await mkdir(dir, { recursive: true });
  await writeMode(join(dir, BOOT_FILE), `${boot ?? 'unknown'}\n`);
  await writeMode(file, `${token}\n`);
  return token;
}

/** Whether `given` is the token (constant time; anything else, absent included, is not). */
export function isScreenToken(token: string | undefined, given: string | undefined): boolean {
  if (token === undefined || given === undefined || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/** The cookie the page server gives the screen's browser; per port, since cookies are not. */
export function screenCookieName(port: number): string {
  return `halld-screen-${port}`;
}

/** A cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
