// An installer's `extra` file (`--extra`, or the CSV's extra column): JSON merged into a device's
// config last, for role sections, io pins and a window or door map. It may not set who the device
// is (hall, device, its data dir, its broker account and URL, the server key it trusts): those
// come from the CSV row (or --hall/--device), its broker column, --server-key-pub and the account
// provisioning makes, and an extra overriding them would make a config for another device than
// its broker account. An error names the file and what is wrong, never what is in it (a path
// to /etc/shadow must not print its first bytes).
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { jsonErrorOffset } from '../protocol/json-error-position.js';
import { ProvisionError } from './mosquitto-passwd.js';

/** An extra file is a few KiB of JSON; anything this big is not one. */
export const MAX_EXTRA_BYTES = 1024 * 1024;

/** Config fields that make the device's identity, as JSON paths. */
export const IDENTITY_FIELDS = ['hall', 'device', 'dataDir', 'broker.url', 'broker.username', 'broker.password', 'broker.cert', 'broker.key', 'security.serverPublicKey'] as const;

function has(extra: Record<string, unknown>, path: string): boolean {
  let at: unknown = extra;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
}

function refused(label: string, why: string, cause?: unknown): ProvisionError {
  return new ProvisionError('EXTRA_INVALID', `${label} ${why}`, cause !== undefined ? { cause } : undefined);
}

/** Why a file cannot be read as an extra, in words that quote nothing of it. */
function unreadable(label: string, err: unknown): ProvisionError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a folder, not a JSON file' : `cannot be read (${code ?? 'error'})`;
  return refused(label, why, err);
}

/** The extra's object from its text; refuses what is not a JSON object or sets identity fields. */
export function parseExtra(text: string, label: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const pos = jsonErrorOffset(text) ?? 0;
    const before = text.slice(0, pos);
    throw refused(label, `is not a JSON object (not valid JSON at line ${before.split('\n').length}, column ${pos - before.lastIndexOf('\n')})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refused(label, `is not a JSON object (it holds ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`})`);
  const extra = parsed as Record<string, unknown>;
  const identity = IDENTITY_FIELDS.filter((f) => has(extra, f));
  if (identity.length > 0) {
    throw refused(label, `may not set ${identity.join(', ')}: a device's identity comes from its CSV row (or --hall/--device), the broker column (or --broker), --server-key-pub and the broker account provisioning makes`);
  }
  return extra;
}

function checkSize(label: string, info: { isFile(): boolean; size: number }): void {
  if (!info.isFile()) throw refused(label, 'is not a regular file');
  if (info.size > MAX_EXTRA_BYTES) throw refused(label, `is ${info.size} bytes; an extra file is at most ${MAX_EXTRA_BYTES} bytes of JSON`);
}

/** Reads and checks an extra file (CSV rows, which are parsed synchronously). */
export function readExtraFileSync(file: string, label = file): Record<string, unknown> {
  let text: string;
  try {
    checkSize(label, statSync(file));
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ProvisionError) throw err;
    throw unreadable(label, err);
  }
  return parseExtra(text, label);
}

/** Reads and checks an extra file (`--extra` for one device). */
export async function readExtraFile(file: string, label = file): Promise<Record<string, unknown>> {
  let text: string;
  try {
    checkSize(label, await stat(file));
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof ProvisionError) throw err;
    throw unreadable(label, err);
  }
  return parseExtra(text, label);
}
