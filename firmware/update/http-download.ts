// Fetching a release from the hall server over http(s): resumed with a Range request from
// what the part file already holds, stopped as soon as it would pass the announced size, and
// retried after a broken connection with a growing pause. A server that ignores Range (200
// instead of 206) makes it start over rather than append the whole file again.
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { Timers } from '../../drivers/clock/timers.js';
import { appendAt, bytesHeld, isComplete, truncatePart, type TransferTarget } from './transfer-file.js';
import { UpdateFailure } from './update-failure.js';

export interface DownloadOptions {
  readonly url: string;
  readonly target: TransferTarget;
  readonly timers: Timers;
  /** Called as bytes arrive (for the progress in state/sys). */
  readonly progress: (bytes: number) => void;
  readonly signal: AbortSignal;
  /** Connection attempts before giving up (each resumes where the last stopped). */
  readonly attempts?: number;
  /** No byte for this long ends the attempt (a stalled server). */
  readonly stallMs?: number;
}

/** Bytes written per fsync: a power cut loses at most this much of the download. */
const FLUSH_BYTES = 1 << 20;

function request(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { headers }, resolve);
    req.on('error', reject);
  });
}

async function oneAttempt(o: DownloadOptions): Promise<void> {
  const t = o.target;
  let have = await bytesHeld(t);
  if (have >= t.size) return;
  const res = await request(o.url, have > 0 ? { Range: `bytes=${have}-` } : {});
  try {
    if (res.statusCode === 200 && have > 0) {
      await truncatePart(t);
      have = 0;
    } else if (res.statusCode === 416) {
      throw new UpdateFailure('download', 'SIZE', `the server has fewer bytes than the ${have} already received (${o.url}: 416)`);
    } else if (res.statusCode !== 200 && res.statusCode !== 206) {
      throw new UpdateFailure('download', 'HTTP', `${o.url}: HTTP ${res.statusCode ?? '?'}`);
    }
    const length = Number(res.headers['content-length'] ?? NaN);
    if (Number.isFinite(length) && have + length > t.size) throw new UpdateFailure('download', 'TOO_LARGE', `${o.url} offers ${have + length} bytes, the command says ${t.size}`);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const piece = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      const after = await appendAt(t, have, piece);
      if (after !== have + piece.length) throw new UpdateFailure('download', 'IO', `part file is ${after} bytes, expected ${have + piece.length}`);
      have = after;
      o.progress(have);
    };
    const stall = o.stallMs ?? 30_000;
    let timer = o.timers.setTimeout(() => res.destroy(new Error(`no data for ${stall / 1000} s`)), stall);
    try {
      for await (const chunk of res) {
        o.timers.clearTimeout(timer);
        timer = o.timers.setTimeout(() => res.destroy(new Error(`no data for ${stall / 1000} s`)), stall);
        if (o.signal.aborted) throw new UpdateFailure('download', 'ABORTED', 'stopped');
        const buf = chunk as Buffer;
        if (have + pendingBytes + buf.length > t.size) throw new UpdateFailure('download', 'TOO_LARGE', `${o.url} sends more than the announced ${t.size} bytes`);
        pending.push(buf);
        pendingBytes += buf.length;
        if (pendingBytes >= FLUSH_BYTES) await flush();
      }
    } catch (err) {
      // A broken connection: keep what did arrive, so the next attempt's Range starts there.
      if (!(err instanceof UpdateFailure)) await flush();
      throw err;
    } finally {
      o.timers.clearTimeout(timer);
    }
    await flush();
  } finally {
    res.destroy();
  }
}

/** Downloads until the part file holds `size` bytes; network errors are retried, refusals are not. */
export async function downloadRelease(o: DownloadOptions): Promise<void> {
  if (await isComplete(o.target)) return;
  const attempts = o.attempts ?? 6;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    if (o.signal.aborted) throw new UpdateFailure('download', 'ABORTED', 'stopped');
    try {
      await oneAttempt(o);
      if ((await bytesHeld(o.target)) >= o.target.size) return;
      last = new Error('the server closed the connection early');
    } catch (err) {
      if (err instanceof UpdateFailure && err.code !== 'IO') throw err;
      last = err;
    }
    await new Promise<void>((resolve) => o.timers.setTimeout(resolve, Math.min(30_000, 500 * 2 ** i)));
  }
  throw new UpdateFailure('download', 'NETWORK', `${o.url}: ${(last as Error).message} (after ${attempts} attempts; the bytes so far are kept for the next try)`);
}
