// The hall server's side of an update in tests: an http server that serves release tarballs
// with Range (as nginx does), which can be told to cut a response short or to send more than
// the file, and the facts of a tarball that a sys/update command carries.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { readMember, listMembers } from '../release/tarball.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface ReleaseOffer {
  version: string;
  arch: 'arm64' | 'x64';
  size: number;
  sha256: string;
  signature: string;
}

/** What sys/update says about a tarball: read from the tarball itself. */
export async function releaseOffer(tarball: string): Promise<ReleaseOffer> {
  const m = /halld-(.+)-linux-(arm64|x64)(-[^/]*)?\.tar\.gz$/.exec(basename(tarball));
  if (!m) throw new Error(`${tarball}: not a release file name`);
  const bytes = await readFile(tarball);
  const top = (await listMembers(tarball))[0]?.path.split('/')[0] ?? '';
  const signature = (await readMember(tarball, `${top}/manifest.sig`)).toString('utf8').trim();
  return { version: m[1] as string, arch: m[2] as 'arm64' | 'x64', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), signature };
}

export interface ServedRequest {
  readonly path: string;
  readonly range?: string;
  readonly status: number;
}

export interface ReleaseServer {
  readonly url: string;
  /** Serves `file` at /<name>. */
  serve(name: string, file: string): string;
  readonly requests: ServedRequest[];
  /** The next responses stop after this many bytes of body (all delivered, then the connection is closed). */
  cutAfter(bytes: number, times?: number): void;
  /** Sends this many extra bytes after the file. */
  padWith(bytes: number): void;
  /** Slows every response to about this many bytes per second. */
  throttle(bytesPerSecond: number | undefined): void;
  close(): Promise<void>;
}

export async function startReleaseServer(t: Teardown): Promise<ReleaseServer> {
  const files = new Map<string, string>();
  const requests: ServedRequest[] = [];
  let cut: { bytes: number; times: number } | undefined;
  let pad = 0;
  let rate: number | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      const file = files.get(path);
      const range = req.headers.range;
      if (!file) {
        requests.push({ path, status: 404, ...(range ? { range } : {}) });
        res.writeHead(404).end();
        return;
      }
      const size = (await stat(file)).size;
      let start = 0;
      const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
      if (m) start = Number(m[1]);
      if (start > size) {
        requests.push({ path, status: 416, ...(range ? { range } : {}) });
        res.writeHead(416).end();
        return;
      }
      const status = m ? 206 : 200;
      requests.push({ path, status, ...(range ? { range } : {}) });
      res.writeHead(status, { 'Content-Length': String(size - start + pad), ...(m ? { 'Content-Range': `bytes ${start}-${size - 1}/${size}` } : {}) });
      let budget = cut && cut.times > 0 ? cut.bytes : Infinity;
      if (cut && cut.times > 0) cut.times -= 1;
      for await (const chunk of createReadStream(file, { start, highWaterMark: 64 * 1024 })) {
        const buf = chunk as Buffer;
        if (buf.length >= budget) {
          // Every byte up to the cut is delivered, then the connection closes early (a dropped
          // link as the device sees it): the device knows exactly where to resume.
          res.write(buf.subarray(0, budget), () => res.socket?.end());
          return;
        }
        budget -= buf.length;
        if (!res.write(buf)) await new Promise((r) => res.once('drain', r));
        const bps = rate;
        if (bps !== undefined) await new Promise((r) => setTimeout(r, (buf.length / bps) * 1000));
        if (res.destroyed) return;
      }
      if (pad > 0) res.write(Buffer.alloc(pad, 0x41));
      res.end();
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  t.teardown(close);
  return {
    url,
    requests,
    serve(name, file) {
      files.set(`/${name}`, file);
      return `${url}/${name}`;
    },
    cutAfter(bytes, times = 1) {
      cut = { bytes, times };
    },
    padWith(bytes) {
      pad = bytes;
    },
    throttle(bytesPerSecond) {
      rate = bytesPerSecond;
    },
    close,
  };
}
