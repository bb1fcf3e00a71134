// Fetching a staff photo from the hall server: http(s) only, an image type the page can show
// (PNG, JPEG, WebP; the declared type must agree with the file's own magic bytes), at most
// PHOTO_MAX_BYTES (checked on the declared length and again while reading, so a server that
// lies or streams forever is cut off), within PHOTO_TIMEOUT_MS on the role's timers.
import type { Timers } from '../../../drivers/clock/timers.js';

/** A photo becomes a data: URL in the page's view (base64, 4/3 larger), pushed on every change. */
export const PHOTO_MAX_BYTES = 256 * 1024;
export const PHOTO_TIMEOUT_MS = 10_000;

export type PhotoErrorCode = 'PHOTO_SCHEME' | 'PHOTO_HTTP' | 'PHOTO_TYPE' | 'PHOTO_TOO_LARGE' | 'PHOTO_TIMEOUT' | 'PHOTO_NETWORK';

export class PhotoError extends Error {
  constructor(
    readonly code: PhotoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PhotoError';
  }
}

const TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type PhotoType = (typeof TYPES)[number];

/** The type the bytes themselves say (PNG signature, JPEG SOI, RIFF....WEBP), or undefined. */
export function sniffImage(b: Uint8Array): PhotoType | undefined {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

export interface PhotoFetchOptions {
  timers: Timers;
  /** Aborts the fetch (the role stops). */
  signal?: AbortSignal;
  maxBytes?: number;
  timeoutMs?: number;
}

export async function fetchPhoto(url: string, o: PhotoFetchOptions): Promise<{ contentType: PhotoType; bytes: Buffer }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new PhotoError('PHOTO_SCHEME', `photo URL "${url}" is not a URL`, { cause: err });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new PhotoError('PHOTO_SCHEME', `photo URL must be http(s), got ${parsed.protocol}`);
  const maxBytes = o.maxBytes ?? PHOTO_MAX_BYTES;
  const timeoutMs = o.timeoutMs ?? PHOTO_TIMEOUT_MS;
  const abort = new AbortController();
  let timedOut = false;
  const timer = o.timers.setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  const onAbort = (): void => abort.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetch(parsed, { signal: abort.signal, headers: { accept: TYPES.join(', ') } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new PhotoError('PHOTO_HTTP', `photo ${url}: HTTP ${res.status}`);
    }
    const declared = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(TYPES as readonly string[]).includes(declared)) {
      await res.body?.cancel();
      throw new PhotoError('PHOTO_TYPE', `photo ${url}: content-type "${declared || 'none'}" is not ${TYPES.join(', ')}`);
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (length > maxBytes) {
      await res.body?.cancel();
      throw new PhotoError('PHOTO_TOO_LARGE', `photo ${url}: ${length} bytes, more than ${maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of res.body ?? []) {
      total += (chunk as Uint8Array).length;
      if (total > maxBytes) {
        abort.abort();
        throw new PhotoError('PHOTO_TOO_LARGE', `photo ${url}: more than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Uint8Array);
    }
    const bytes = Buffer.concat(chunks);
    const sniffed = sniffImage(bytes);
    if (sniffed !== declared) throw new PhotoError('PHOTO_TYPE', `photo ${url}: declared ${declared} but the bytes are ${sniffed ?? 'no PNG, JPEG or WebP'}`);
    return { contentType: sniffed, bytes };
  } catch (err) {
    if (err instanceof PhotoError) throw err;
    if (timedOut) throw new PhotoError('PHOTO_TIMEOUT', `photo ${url}: no complete answer within ${timeoutMs} ms`, { cause: err });
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new PhotoError('PHOTO_NETWORK', `photo ${url}: ${(err as Error).message}${cause?.code ? ` (${cause.code})` : ''}`, { cause: err });
  } finally {
    o.timers.clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}
