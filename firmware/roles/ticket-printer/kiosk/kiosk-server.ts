// The kiosk's HTTP server: serves the touchscreen page (public/) to the Chromium on the same
// board, and bridges the page to the role's KioskBackend. node:http only.
//
//   GET  /                 the page (public/index.html)
//   GET  /<file>           a static file of public/ (Cache-Control: no-store)
//   GET  /api/view         KioskView as JSON
//   GET  /api/events       Server-Sent Events: `view` (on connect and on every change), `scan`
//   POST /api/take         {category: string, priority: boolean} → TakeResult
//   POST /api/checkin      {code: string} → TakeResult
//
// Every mistake of a client is a 4xx with `{error: "…"}` naming what was wrong; a backend that
// throws is a 500 with the same shape. Neither stops the server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../log.js';
import type { KioskBackend, ScanOutcome, TakeResult } from './kiosk-types.js';

/** Largest request body accepted (the page sends a few dozen bytes). */
export const MAX_BODY_BYTES = 4 * 1024;
/** SSE comment sent this often so proxies and the browser see a live stream. */
export const SSE_KEEPALIVE_MS = 15_000;
/** How long the browser waits before reconnecting a dropped event stream. */
export const SSE_RETRY_MS = 2_000;
/** close() waits this long for requests in flight before dropping their sockets. */
const CLOSE_GRACE_MS = 1_000;
const MAX_CATEGORY_CHARS = 64;
const MAX_CODE_CHARS = 256;

/** Where the page's files live, relative to the package root. */
export const PUBLIC_DIR_IN_PACKAGE = 'firmware/roles/ticket-printer/kiosk/public';

export interface KioskServerOptions {
  backend: KioskBackend;
  /** Address to bind; the page is for the board's own browser, so loopback by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  log?: Logger;
  /** Serve the page from here instead of the package's own public/ folder. */
  publicDir?: string;
  /** Keep-alive comment interval of the event stream (tests shorten it). */
  keepAliveMs?: number;
}

export interface KioskServer {
  /** e.g. "http://127.0.0.1:8080/" */
  url: string;
  port: number;
  /** Ends open event streams, stops accepting, resolves when the listener is closed. */
  close(): Promise<void>;
}

export type KioskServerErrorCode = 'NO_PUBLIC_DIR' | 'LISTEN';

export class KioskServerError extends Error {
  constructor(
    readonly code: KioskServerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KioskServerError';
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

/**
 * The page's folder inside the installed package: walks up from this module (dist/…/kiosk/ when
 * compiled, dist/ when bundled into halld.mjs) to the folder whose package.json is named
 * "halld", then PUBLIC_DIR_IN_PACKAGE. Null when not found.
 */
export function findPublicDir(from: string = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from);
  for (let i = 0; i < 10; i++) {
    const pkgFile = join(dir, 'package.json');
    if (existsSync(pkgFile)) {
      try {
        const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: unknown };
        if (pkg.name === 'halld') {
          const candidate = join(dir, PUBLIC_DIR_IN_PACKAGE);
          return existsSync(join(candidate, 'index.html')) ? candidate : null;
        }
      } catch {
        // an unreadable package.json of some other package: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** A client mistake: becomes `status {error: message}`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function startKioskServer(options: KioskServerOptions): Promise<KioskServer> {
  const { backend } = options;
  const host = options.host ?? '127.0.0.1';
  const log = options.log?.child({ mod: 'kiosk-http' });
  const keepAliveMs = options.keepAliveMs ?? SSE_KEEPALIVE_MS;
  const publicDir = options.publicDir !== undefined ? resolve(options.publicDir) : findPublicDir();
  if (publicDir === null || !existsSync(join(publicDir, 'index.html'))) {
    throw new KioskServerError(
      'NO_PUBLIC_DIR',
      publicDir === null
        ? `kiosk page not found: no ${PUBLIC_DIR_IN_PACKAGE}/index.html in the halld package above ${dirname(fileURLToPath(import.meta.url))}`
        : `kiosk page not found: ${join(publicDir, 'index.html')} does not exist`,
    );
  }

  const root: string = publicDir;
  const streams = new Set<ServerResponse>();
  let closing = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        log?.debug({ status: err.status, method: req.method, url: req.url, error: err.message }, 'kiosk request refused');
        sendJson(res, err.status, { error: err.message }, err.headers);
        return;
      }
      log?.error({ err, method: req.method, url: req.url }, 'kiosk request failed');
      sendJson(res, 500, { error: `internal error: ${(err as Error)?.message ?? String(err)}` });
    });
  });
  // A request that never finishes its body must not hold a socket for ever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://kiosk').pathname);
    } catch {
      throw new HttpError(400, `bad request path: ${req.url ?? ''}`);
    }

    if (path.startsWith('/api/')) {
      const route = API_ROUTES[path];
      if (route === undefined) throw new HttpError(404, `no such API route: ${path} (routes: ${Object.keys(API_ROUTES).join(', ')})`);
      if (method !== route) throw new HttpError(405, `${path} accepts ${route} only, not ${method}`, { Allow: route });
      switch (path) {
        case '/api/view':
          return sendJson(res, 200, backend.view());
        case '/api/events':
          return openStream(req, res);
        case '/api/take': {
          checkOrigin(req);
          const body = await readJsonBody(req);
          const request = parseTake(body);
          const result = await backend.take(request);
          log?.info({ category: request.category, priority: request.priority, ok: result.ok, ...(result.ok ? { number: result.ticket.number } : { reason: result.reason }) }, 'take');
          return sendJson(res, 200, result satisfies TakeResult);
        }
        case '/api/checkin': {
          checkOrigin(req);
          const body = await readJsonBody(req);
          const code = parseCheckIn(body);
          const result = await backend.checkIn(code);
          log?.info({ ok: result.ok, ...(result.ok ? { number: result.ticket.number } : { reason: result.reason }) }, 'check-in by typed code');
          return sendJson(res, 200, result satisfies TakeResult);
        }
      }
    }

    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${path} accepts GET only, not ${method}`, { Allow: 'GET, HEAD' });
    return serveStatic(path, method === 'HEAD', res);
  }

  async function serveStatic(path: string, headOnly: boolean, res: ServerResponse): Promise<void> {
    const rel = path === '/' ? 'index.html' : path.slice(1);
    const file = resolve(root, rel);
    // No way out of public/ (`..`, absolute paths) and no hidden files.
    if ((file !== root && !file.startsWith(root + sep)) || rel.split('/').some((part) => part.startsWith('.'))) {
      throw new HttpError(404, `no such file: ${path}`);
    }
    let data: Buffer;
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      data = await readFile(file);
    } catch {
      throw new HttpError(404, `no such file: ${path}`);
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': data.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(headOnly ? undefined : data);
  }

  function openStream(req: IncomingMessage, res: ServerResponse): void {
    if (closing) throw new HttpError(503, 'the kiosk server is shutting down');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    streams.add(res);
    const send = (event: string, data: unknown) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // Listeners first, then the current view: nothing can change in between (one thread), and
    // every later change follows in order. The page keeps the highest rev it has seen.
    const offView = backend.onViewChange((view) => send('view', view));
    const offScan = backend.onScan((outcome: ScanOutcome) => send('scan', outcome));
    const keepAlive = setInterval(() => {
      if (!res.writableEnded) res.write(': keep-alive\n\n');
    }, keepAliveMs);
    let cleaned = false;
    const cleanup = () => {
      if (cleaned) return;
      cleaned = true;
      clearInterval(keepAlive);
      offView();
      offScan();
      streams.delete(res);
      log?.debug({ open: streams.size }, 'event stream closed');
    };
    res.on('close', cleanup);
    req.on('close', cleanup);
    res.write(`retry: ${SSE_RETRY_MS}\n\n`);
    send('view', backend.view());
    log?.debug({ open: streams.size }, 'event stream opened');
  }

  await new Promise<void>((ok, fail) => {
    const onError = (err: Error) => fail(new KioskServerError('LISTEN', `kiosk server cannot listen on ${host}:${options.port ?? 0}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      ok();
    });
  });
  server.on('error', (err) => log?.error({ err }, 'kiosk server error'));
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  log?.info({ url, publicDir }, 'kiosk page served');

  let closed: Promise<void> | null = null;
  return {
    url,
    port,
    close() {
      closed ??= closeServer(server, () => {
        closing = true;
        for (const res of streams) res.end();
        streams.clear();
      });
      return closed;
    },
  };
}

const API_ROUTES: Record<string, 'GET' | 'POST'> = {
  '/api/view': 'GET',
  '/api/events': 'GET',
  '/api/take': 'POST',
  '/api/checkin': 'POST',
};

function closeServer(server: Server, endStreams: () => void): Promise<void> {
  return new Promise<void>((ok) => {
    server.close(() => {
      clearTimeout(force);
      ok();
    });
    endStreams();
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': data.length,
    'Cache-Control': 'no-store',
  });
  res.end(data);
}

/** A POST from another origin (a page the kiosk browser should never show) is refused. */
function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null' && origin !== `http://${req.headers.host ?? ''}`) {
    throw new HttpError(403, `requests from origin ${origin} are not accepted`);
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, `body must be application/json, not ${type}`);
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  // Refused without reading the rest; the connection closes after the answer.
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `body is ${declared} bytes; at most ${MAX_BODY_BYTES} accepted`, { Connection: 'close' });
  const data = await new Promise<Buffer>((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      if (err) fail(err);
      else ok(Buffer.concat(chunks));
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return; // the rest of a refused body is read and dropped
      size += chunk.length;
      if (size > MAX_BODY_BYTES) finish(new HttpError(413, `body is over ${MAX_BODY_BYTES} bytes`, { Connection: 'close' }));
      else chunks.push(chunk);
    });
    req.on('end', () => finish(null));
    req.on('error', (err) => finish(err));
    req.on('close', () => finish(new Error('the client went away before sending the whole body')));
  });
  const text = data.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'body is empty; expected a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, `body is not valid JSON: ${(err as Error).message}`);
  }
}

function asObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, `body must be a JSON object, not ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`);
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new HttpError(400, `unknown field ${unknown[0]}; expected only ${allowed.join(', ')}`);
  return body as Record<string, unknown>;
}

function parseTake(body: unknown): { category: string; priority: boolean } {
  const o = asObject(body, ['category', 'priority']);
  const { category, priority } = o;
  if (category === undefined) throw new HttpError(400, 'field category is missing');
  if (typeof category !== 'string' || category === '' || category.length > MAX_CATEGORY_CHARS) {
    throw new HttpError(400, `field category: expected a category id (a string of 1 to ${MAX_CATEGORY_CHARS} characters)`);
  }
  if (priority === undefined) throw new HttpError(400, 'field priority is missing');
  if (typeof priority !== 'boolean') throw new HttpError(400, 'field priority: expected true or false');
  return { category, priority };
}

function parseCheckIn(body: unknown): string {
  const { code } = asObject(body, ['code']);
  if (code === undefined) throw new HttpError(400, 'field code is missing');
  if (typeof code !== 'string') throw new HttpError(400, 'field code: expected a string');
  const trimmed = code.trim();
  if (trimmed === '') throw new HttpError(400, 'field code is empty');
  if (trimmed.length > MAX_CODE_CHARS) throw new HttpError(400, `field code: at most ${MAX_CODE_CHARS} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new HttpError(400, 'field code: control characters are not allowed');
  return trimmed;
}
