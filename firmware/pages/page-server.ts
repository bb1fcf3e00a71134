// One touch-page server for every role with a screen (ticket kiosk, evaluator, locker): serves
// the role's page folder to the Chromium on the same board and bridges the page to the role.
// A role plugs in its folder, its read-only views, its event stream and its typed actions;
// the server owns HTTP, who may ask (request-guard.ts), how long and how much (page-limits.ts).
//
//   GET  /                 the page (<publicDir>/index.html)
//   GET  /<file>           a static file of the page's folder (Cache-Control: the plug-in's rule, no-store by default)
//   GET  /shared/<file>    the look all pages share (shared-assets.ts: hall.css, fonts/), no-store
//   GET  /api/events       Server-Sent Events from the plug-in's subscribe() (the screen's own
//                          browser, known by the per-boot token, in a pool of its own)
//   GET  /api/<read>       a read's JSON
//   POST /api/<action>     a JSON object checked against the action's schema → the action's JSON answer
//
// Every mistake of a client is a 4xx with `{error: "…"}` naming what was wrong; an action that
// throws is a 500 with the same shape. Neither stops the server. Node's own timers enforce the
// socket limits (they live inside node:http); this module's own timing runs on injected Timers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Timers } from '../../drivers/clock/timers.js';
import type { Logger } from '../log.js';
import { EventHub, type Subscribe } from './event-hub.js';
import { checkInput, readJsonBody, type PageAction } from './page-actions.js';
import { PageRequestError, PageServerError } from './page-errors.js';
import { pageLimits, type PageLimits } from './page-limits.js';
import { checkRequestSource } from './request-guard.js';
import { findSharedDir, SHARED_DIR_IN_PACKAGE, SHARED_PREFIX } from './shared-assets.js';
import { NO_STORE, serveStatic, type CacheRule } from './static-files.js';
import { cookieValue, isScreenToken, SCREEN_PARAM, screenCookieName } from './screen-token.js';

/** SSE comment sent this often so the browser sees a live stream. */
export const SSE_KEEPALIVE_MS = 15_000;
/** How long the browser waits before reconnecting a dropped event stream. */
export const SSE_RETRY_MS = 2_000;
/** close() waits this long for requests in flight before dropping their sockets. */
const CLOSE_GRACE_MS = 1_000;

/** What a role plugs into the page server. */
export interface PagePlugin {
  /** Names the page in logs and errors ("kiosk"). */
  name: string;
  /** The page's folder; it must hold index.html. */
  publicDir: string;
  /** GET /api/<name>: a JSON snapshot each (e.g. `view`). */
  reads?: Record<string, () => unknown>;
  /** GET /api/events. */
  events?: Subscribe;
  /** POST /api/<name>. */
  actions?: Record<string, PageAction>;
  /** Cache-Control of static files (default no-store). */
  cacheRule?: CacheRule;
}

export interface PageServerOptions {
  plugin: PagePlugin;
  timers: Timers;
  /** Address to bind; the page is for the board's own browser, so loopback by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  log?: Logger;
  limits?: Partial<PageLimits>;
  /** Keep-alive comment interval of the event stream (tests shorten it). */
  keepAliveMs?: number;
  /** The board's per-boot screen token (screen-token.ts); without it every stream is in the one limited pool. */
  screenToken?: string;
}

export interface PageServer {
  /** e.g. "http://127.0.0.1:8080/": what the retained state shows (no token). */
  url: string;
  /** The URL the screen's own browser is opened with (`?screen=<token>`); `url` without a token. */
  screenUrl: string;
  port: number;
  /** Ends open event streams, stops accepting, resolves when the listener is closed. */
  close(): Promise<void>;
}

type Route = { method: 'GET'; read: () => unknown } | { method: 'GET'; events: Subscribe } | { method: 'POST'; action: PageAction; name: string };

function routesOf(plugin: PagePlugin): Map<string, Route> {
  const routes = new Map<string, Route>();
  const add = (name: string, route: Route) => {
    if (routes.has(`/api/${name}`)) throw new PageServerError('ROUTES', `${plugin.name} page: /api/${name} is declared twice (reads, actions and events share one namespace)`);
    routes.set(`/api/${name}`, route);
  };
  if (plugin.events) add('events', { method: 'GET', events: plugin.events });
  for (const [name, read] of Object.entries(plugin.reads ?? {})) add(name, { method: 'GET', read });
  for (const [name, action] of Object.entries(plugin.actions ?? {})) add(name, { method: 'POST', action, name });
  return routes;
}

export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const { plugin, timers } = options;
  const host = options.host ?? '127.0.0.1';
  const log = options.log?.child({ mod: `${plugin.name}-http` });
  const limits = pageLimits(options.limits);
  const root = resolve(plugin.publicDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new PageServerError('NO_PUBLIC_DIR', `${plugin.name} page not found: ${join(root, 'index.html')} does not exist`);
  }
  const sharedDir = findSharedDir();
  if (sharedDir === null) throw new PageServerError('NO_PUBLIC_DIR', `${plugin.name} page: the shared look is missing: no ${SHARED_DIR_IN_PACKAGE}/hall.css in the halld package`);
  const shared: string = sharedDir;
  const routes = routesOf(plugin);
  const cacheRule = plugin.cacheRule ?? NO_STORE;
  const hub = new EventHub({ timers, keepAliveMs: options.keepAliveMs ?? SSE_KEEPALIVE_MS, retryMs: SSE_RETRY_MS, maxStreams: limits.maxStreams, maxScreenStreams: limits.maxScreenStreams, log });
  const token = options.screenToken;
  let port = 0;

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckMs,
    },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        if (err instanceof PageRequestError) {
          log?.debug({ status: err.status, method: req.method, url: req.url, error: err.message }, 'page request refused');
          sendJson(res, err.status, { error: err.message }, err.headers);
          return;
        }
        log?.error({ err, method: req.method, url: req.url }, 'page request failed');
        sendJson(res, 500, { error: `internal error: ${(err as Error)?.message ?? String(err)}` });
      });
    },
  );
  server.timeout = limits.idleTimeoutMs;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    checkRequestSource(req, port);
    const method = req.method ?? 'GET';
    let path: string;
    let screenParam: string | null;
    try {
      const url = new URL(req.url ?? '/', 'http://page');
      path = decodeURIComponent(url.pathname);
      screenParam = url.searchParams.get(SCREEN_PARAM);
    } catch {
      throw new PageRequestError(400, `bad request path: ${req.url ?? ''}`);
    }
    const cookie = screenCookieName(port);
    const screen = isScreenToken(token, screenParam ?? undefined) || isScreenToken(token, cookieValue(req.headers.cookie, cookie));
    if (path.startsWith('/api/')) {
      const route = routes.get(path);
      if (route === undefined) throw new PageRequestError(404, `no such API route: ${path} (routes: ${[...routes.keys()].join(', ')})`);
      if (method !== route.method) throw new PageRequestError(405, `${path} accepts ${route.method} only, not ${method}`, { Allow: route.method });
      if ('read' in route) return sendJson(res, 200, route.read());
      if ('events' in route) return hub.open(req, res, route.events, screen);
      const input = checkInput(route.action.input, await readJsonBody(req, limits.maxBodyBytes));
      const result = await route.action.run(input);
      log?.info({ ...route.action.logFields?.(input, result) }, route.name);
      return sendJson(res, 200, result);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new PageRequestError(405, `${path} accepts GET only, not ${method}`, { Allow: 'GET, HEAD' });
    if (path.startsWith(SHARED_PREFIX)) return serveStatic(shared, path.slice(SHARED_PREFIX.length - 1), method === 'HEAD', res, NO_STORE);
    // The page opened with the token: its later requests (the event stream) carry it as a cookie.
    if (screen && token !== undefined && screenParam !== null) res.setHeader('Set-Cookie', `${cookie}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    return serveStatic(root, path, method === 'HEAD', res, cacheRule);
  }

  await new Promise<void>((ok, fail) => {
    const onError = (err: Error) => fail(new PageServerError('LISTEN', `${plugin.name} server cannot listen on ${host}:${options.port ?? 0}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      ok();
    });
  });
  server.on('error', (err) => log?.error({ err }, 'page server error'));
  port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  log?.info({ url, publicDir: root }, 'page served');

  let closed: Promise<void> | null = null;
  return {
    url,
    screenUrl: token !== undefined ? `${url}?${SCREEN_PARAM}=${token}` : url,
    port,
    close() {
      closed ??= closeServer(server, timers, () => hub.close());
      return closed;
    },
  };
}

function closeServer(server: Server, timers: Timers, endStreams: () => void): Promise<void> {
  return new Promise<void>((ok) => {
    const force = timers.setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close(() => {
      timers.clearTimeout(force);
      ok();
    });
    endStreams();
    server.closeIdleConnections();
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
