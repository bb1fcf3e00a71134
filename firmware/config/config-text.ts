// Reads a device config file as text a person may have saved with any editor: a UTF-8 byte
// order mark (Windows Notepad) is accepted and dropped; UTF-16 ("Unicode" in Notepad), a
// file that is not UTF-8 (GBK/ANSI) and a file far larger than any config are refused with
// what to do, before JSON.parse turns them into "Unexpected token".
import { open } from 'node:fs/promises';

/** No device config comes near this; a larger file is the wrong file (a log, an image). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export type ConfigText = { text: string } | { problem: string };

export async function readConfigText(file: string): Promise<ConfigText> {
  let bytes: Buffer;
  try {
    const fh = await open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      if (size > MAX_CONFIG_BYTES) return { problem: `the file is ${size} bytes; a device config is at most ${MAX_CONFIG_BYTES} bytes (1 MiB): is this the right file?` };
      bytes = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (err as Error).message})` };
  }
  return decodeConfigBytes(bytes);
}

/** The text of a config file's bytes, or why they are not UTF-8 JSON text. */
export function decodeConfigBytes(bytes: Buffer): ConfigText {
  if (bytes.length > MAX_CONFIG_BYTES) return { problem: `the file is ${bytes.length} bytes; a device config is at most ${MAX_CONFIG_BYTES} bytes (1 MiB): is this the right file?` };
  const utf16 = utf16Order(bytes);
  if (utf16) return { problem: `the file is UTF-16 (${utf16}, what Windows Notepad saves as "Unicode"); save it as UTF-8` };
  const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? UTF8_BOM.length : 0;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)) };
  } catch {
    const at = firstInvalidUtf8(bytes.subarray(start)) + start;
    return { problem: `the file is not UTF-8 (byte ${at} is 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}; GBK or "ANSI" text, as some Windows editors save it?); save it as UTF-8` };
  }
}

function utf16Order(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'little-endian';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'big-endian';
  // Without a byte order mark: "{" and the ASCII around it come with a zero byte each.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return 'little-endian, no byte order mark';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return 'big-endian, no byte order mark';
  return undefined;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return bytes.length;
}
