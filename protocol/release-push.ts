// The server's side of an update pushed over MQTT (for halls whose devices reach only the
// broker): the tarball in chunks of `sys/update-chunk`, each acknowledged with the bytes the
// device holds (`have`), the next chunk starting there. A chunk whose ack does not come (a
// broker restart, the device restarting) is simply sent again: the device answers with what
// it has, so the transfer resumes wherever both sides were, never twice and never with a gap.
import type { HallClient } from './hall-client.js';
import { CommandTimeoutError } from './hall-client.js';

export interface PushOptions {
  /** Bytes per chunk (at most 128 KiB: the device refuses larger ones). */
  readonly chunkBytes?: number;
  /** How long to wait for one chunk's ack before sending it again. */
  readonly ackTimeoutMs?: number;
  /** Pause before a resend (the broker or the device coming back). */
  readonly retryMs?: number;
  /** Give up after this long without progress. */
  readonly stallMs?: number;
  readonly onProgress?: (have: number, size: number) => void;
}

export interface PushResult {
  readonly chunks: number;
  /** Chunks sent again after a lost ack or a refusal to append. */
  readonly resent: number;
}

export const MAX_CHUNK_BYTES = 128 * 1024;

export async function pushReleaseChunks(client: HallClient, device: string, tarball: Buffer, sha256: string, o: PushOptions = {}): Promise<PushResult> {
  const chunkBytes = Math.min(o.chunkBytes ?? MAX_CHUNK_BYTES, MAX_CHUNK_BYTES);
  const stallMs = o.stallMs ?? 120_000;
  let offset = 0;
  let chunks = 0;
  let resent = 0;
  let lastProgress = Date.now();
  while (offset < tarball.length) {
    if (Date.now() - lastProgress > stallMs) throw new Error(`${device}: no progress for ${stallMs} ms at byte ${offset} of ${tarball.length}`);
    const data = tarball.subarray(offset, offset + chunkBytes).toString('base64');
    try {
      const ack = await client.command(device, 'sys/update-chunk', { sha256, offset, data }, { timeoutMs: o.ackTimeoutMs ?? 10_000 });
      if (!ack.ok) {
        if (ack.error.code === 'NOT_FOUND' || ack.error.code === 'BAD_REQUEST') throw new Error(`${device}: ${ack.error.code}: ${ack.error.message}`);
        resent += 1;
        await new Promise((r) => setTimeout(r, o.retryMs ?? 500));
        continue;
      }
      const have = Number((ack.data as { have?: unknown } | undefined)?.have);
      if (!Number.isInteger(have) || have < 0 || have > tarball.length) throw new Error(`${device}: chunk ack without a usable have (${JSON.stringify(ack.data)})`);
      if (have !== offset + Buffer.byteLength(data, 'base64')) resent += 1;
      if (have > offset) lastProgress = Date.now();
      offset = have;
      chunks += 1;
      o.onProgress?.(have, tarball.length);
    } catch (err) {
      if (!(err instanceof CommandTimeoutError)) throw err;
      resent += 1;
      await new Promise((r) => setTimeout(r, o.retryMs ?? 500));
    }
  }
  return { chunks, resent };
}
