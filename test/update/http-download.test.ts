// A download cut by the network keeps every byte that arrived: the next request's Range starts
// where the cut left it, not at the last 1 MiB the part file was synced at. (A power cut may
// lose up to that; a broken connection has no reason to.)
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { globalTimers } from '../../drivers/clock/timers.js';
import { downloadRelease } from '../../firmware/update/http-download.js';
import { completePath, isComplete, partPath } from '../../firmware/update/transfer-file.js';
import { tempDir } from '../../testkit/temp.js';

t.test('a connection cut mid-way resumes at exactly the bytes received', async (t) => {
  const root = await tempDir(t, 'halld-dl-');
  const file = randomBytes(3 * 1024 * 1024);
  // Not a multiple of anything the downloader buffers by, sent in odd-sized writes.
  const firstPart = 1024 * 1024 + 512 * 1024 + 12_345;
  const ranges: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    const range = req.headers.range;
    ranges.push(range);
    const start = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1]) : 0;
    res.writeHead(range ? 206 : 200, { 'Content-Length': String(file.length - start) });
    if (ranges.length > 1) {
      res.end(file.subarray(start));
      return;
    }
    // The first answer stops after firstPart bytes: all of them delivered, then the connection closes.
    let sent = 0;
    const step = 100_000;
    const next = (): void => {
      const end = Math.min(firstPart, sent + step);
      const piece = file.subarray(sent, end);
      sent = end;
      if (sent < firstPart) res.write(piece, next);
      else res.write(piece, () => res.socket?.end());
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r.tar.gz`;
  const target = { root, sha256: createHash('sha256').update(file).digest('hex'), size: file.length };
  await downloadRelease({ url, target, timers: globalTimers, progress: () => undefined, signal: new AbortController().signal });
  t.same(ranges, [undefined, `bytes=${firstPart}-`], 'the second request starts at the first byte not received');
  const held = (await isComplete(target)) ? completePath(target) : partPath(target);
  t.ok((await readFile(held)).equals(file), 'the file is whole');
});
