// The photo fetch's rules against a local HTTP server on 127.0.0.1: only http(s); the declared
// type must be PNG, JPEG or WebP and agree with the bytes; the size cap holds whether the server
// declares the length or streams without one; an HTTP error is named; a server that never
// answers is cut off by the injected timer (fired by the test once the request has arrived).
import t from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchPhoto, PHOTO_MAX_BYTES, sniffImage } from '../../../firmware/roles/evaluator/photo-fetch.js';
import type { Timers, TimerHandle } from '../../../drivers/clock/timers.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { waitFor } from '../../../testkit/wait.js';
import { solidPng } from './solid-png.js';

const PNG = solidPng(2, 2, [255, 0, 0]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

async function serve(t: { teardown(fn: () => unknown): void }, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ base: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

t.test('magic bytes', async (t) => {
  t.equal(sniffImage(PNG), 'image/png');
  t.equal(sniffImage(JPEG), 'image/jpeg');
  t.equal(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), 'image/webp');
  t.equal(sniffImage(Buffer.from('<html>')), undefined);
});

t.test('a PNG is fetched; the rules refuse the rest, each with its code', async (t) => {
  const { base } = await serve(t, (req, res) => {
    switch (req.url) {
      case '/ok.png':
        res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(PNG);
        return;
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
        return;
      case '/lies.png':
        res.writeHead(200, { 'content-type': 'image/png' }).end(JPEG);
        return;
      case '/big-declared':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(PHOTO_MAX_BYTES + 1) });
        res.end();
        return;
      case '/big-streamed': {
        res.writeHead(200, { 'content-type': 'image/png' }); // chunked: no length declared
        const chunk = Buffer.alloc(64 * 1024);
        let sent = 0;
        const more = (): void => {
          while (sent <= PHOTO_MAX_BYTES + chunk.length) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.end();
        };
        more();
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
  const o = { timers: globalTimers };
  const ok = await fetchPhoto(`${base}/ok.png`, o);
  t.equal(ok.contentType, 'image/png');
  t.same(ok.bytes, PNG);
  await t.rejects(fetchPhoto(`${base}/html`, o), { code: 'PHOTO_TYPE', message: /content-type "text\/html"/ });
  await t.rejects(fetchPhoto(`${base}/lies.png`, o), { code: 'PHOTO_TYPE', message: /declared image\/png but the bytes are image\/jpeg/ });
  await t.rejects(fetchPhoto(`${base}/big-declared`, o), { code: 'PHOTO_TOO_LARGE', message: new RegExp(`${PHOTO_MAX_BYTES + 1} bytes`) });
  await t.rejects(fetchPhoto(`${base}/big-streamed`, o), { code: 'PHOTO_TOO_LARGE', message: /more than/ });
  await t.rejects(fetchPhoto(`${base}/missing.png`, o), { code: 'PHOTO_HTTP', message: /HTTP 404/ });
  await t.rejects(fetchPhoto('ftp://127.0.0.1/x.png', o), { code: 'PHOTO_SCHEME' });
  await t.rejects(fetchPhoto('file:///etc/passwd', o), { code: 'PHOTO_SCHEME' });
  await t.rejects(fetchPhoto('not a url', o), { code: 'PHOTO_SCHEME' });
});

t.test('a server that never answers is cut off by the injected timer', async (t) => {
  const { base, requests } = await serve(t, () => undefined); // holds the request open
  const pending: Array<{ fn: () => void; ms: number }> = [];
  const timers: Timers = {
    ...globalTimers,
    setTimeout: (fn, ms) => {
      pending.push({ fn, ms });
      return pending.length as unknown as TimerHandle; // a handle only this fake reads
    },
    clearTimeout: () => undefined,
  };
  const fetching = fetchPhoto(`${base}/slow.png`, { timers, timeoutMs: 5000 });
  await waitFor('the request reached the server', () => requests() === 1 || undefined);
  t.equal(pending[0]?.ms, 5000, 'the timeout is armed on the injected timers');
  pending[0]?.fn();
  await t.rejects(fetching, { code: 'PHOTO_TIMEOUT', message: /within 5000 ms/ });
});
