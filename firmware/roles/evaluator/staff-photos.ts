// Staff photos given as URLs, cached in the device's store (in its data dir) keyed by the URL,
// with the SHA-256 of the content checked on every load: what the page shows while the hall
// server is unreachable, across restarts. A staff command fetches again (a changed photo under
// the same URL is picked up); a failed fetch keeps the copy already held. The newest
// PHOTO_CACHE_KEEP photos are kept.
import { createHash } from 'node:crypto';
import type { Timers } from '../../../drivers/clock/timers.js';
import type { Statement, Store } from '../../store/store.js';
import type { Logger } from '../../log.js';
import { fetchPhoto, PhotoError } from './photo-fetch.js';

export const PHOTO_CACHE_KEEP = 16;

export interface PhotoStatus {
  url: string;
  state: 'fetching' | 'cached' | 'failed';
  sha256?: string;
  error?: string;
  code?: string;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export class StaffPhotos {
  private readonly dataUrls = new Map<string, string>();
  private current: PhotoStatus | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  /** The cached photo as a data: URL, if there is one. */
  dataUrl(url: string): string | undefined {
    return this.dataUrls.get(url);
  }

  /** The photo of the staff member shown now, for the retained state. */
  status(): PhotoStatus | null {
    return this.current ?? null;
  }

  /** Reads the cached copy (true when there is a good one). */
  async load(url: string): Promise<boolean> {
    const row = await this.store.get<{ sha256: string; content_type: string; bytes: Buffer }>('SELECT sha256, content_type, bytes FROM ev_photo WHERE url = ?', [url]);
    if (!row) return false;
    if (sha256(row.bytes) !== row.sha256) {
      this.log.warn({ url }, 'cached staff photo is damaged (SHA-256 differs); fetching again');
      return false;
    }
    this.dataUrls.set(url, `data:${row.content_type};base64,${row.bytes.toString('base64')}`);
    this.current = { url, state: 'cached', sha256: row.sha256 };
    return true;
  }

  /** Fetches `url` and caches it; never rejects (a failure is in status() and the log). */
  async refresh(url: string): Promise<void> {
    const held = this.dataUrls.has(url);
    this.current = { url, state: 'fetching' };
    try {
      const { contentType, bytes } = await fetchPhoto(url, { timers: this.timers, signal: this.stopping.signal });
      const digest = sha256(bytes);
      await this.store.commit(this.saveStatements(url, digest, contentType, bytes));
      this.dataUrls.set(url, `data:${contentType};base64,${bytes.toString('base64')}`);
      if (this.current.url === url) this.current = { url, state: 'cached', sha256: digest };
    } catch (err) {
      const code = err instanceof PhotoError ? err.code : 'PHOTO_STORE';
      this.log.warn({ url, code, err: (err as Error).message, keptCopy: held }, 'staff photo not fetched');
      if (this.current.url === url) this.current = held ? { url, state: 'cached', error: (err as Error).message, code } : { url, state: 'failed', error: (err as Error).message, code };
    }
  }

  /** The staff shown now has no photo URL. */
  forget(): void {
    this.current = undefined;
  }

  stop(): void {
    this.stopping.abort();
  }

  private saveStatements(url: string, digest: string, contentType: string, bytes: Buffer): Statement[] {
    return [
      {
        sql: 'INSERT INTO ev_photo (url, sha256, content_type, bytes, fetched_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET sha256 = excluded.sha256, content_type = excluded.content_type, bytes = excluded.bytes, fetched_at = excluded.fetched_at',
        params: [url, digest, contentType, bytes, this.now()],
      },
      { sql: 'DELETE FROM ev_photo WHERE url NOT IN (SELECT url FROM ev_photo ORDER BY fetched_at DESC LIMIT ?)', params: [PHOTO_CACHE_KEEP] },
    ];
  }
}
