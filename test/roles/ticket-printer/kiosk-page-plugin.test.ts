// The kiosk's HTTP server at the HTTP level: the page's files, the view as JSON and as an
// event stream, take and check-in passed to the backend, a specific 4xx for every bad request,
// loopback only, and a close() that does not hang on an open event stream.
import t from 'tap';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPublicDir, KioskServerError, MAX_BODY_BYTES, startKioskServer, type KioskServer } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-page-plugin.js';
import { FakeKioskBackend } from './fake-kiosk-backend.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { waitFor } from '../../../testkit/wait.js';
import { openEvents, postJson, raw } from '../../../testkit/page-http.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

async function serve(t: Teardown, backend = new FakeKioskBackend(), extra: { keepAliveMs?: number } = {}): Promise<{ server: KioskServer; backend: FakeKioskBackend }> {
  const server = await startKioskServer({ backend, timers: globalTimers, ...extra });
  t.teardown(() => server.close());
  return { server, backend };
}

t.test('binds 127.0.0.1 on an ephemeral port and nothing else', async (t) => {
  const { server } = await serve(t);
  t.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  t.ok(server.port > 0, 'a real port was picked');
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (external) {
    const err = await raw(`http://${external.address}:${server.port}/`, { path: '/api/view' }).then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    t.equal(err?.code, 'ECONNREFUSED', `not reachable on ${external.address}`);
  } else t.comment('no non-loopback IPv4 interface here: the "not elsewhere" check is skipped');
});

t.test('GET /api/view answers the backend view as JSON', async (t) => {
  const { server, backend } = await serve(t);
  const res = await fetch(new URL('/api/view', server.url));
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^application\/json/);
  t.equal(res.headers.get('cache-control'), 'no-store');
  t.same(await res.json(), backend.view());
});

t.test('the page and its files are served with their types and no caching', async (t) => {
  const { server } = await serve(t);
  const cases: [string, RegExp, RegExp][] = [
    ['/', /^text\/html; charset=utf-8$/, /<script type="module" src="\/app\.js">/],
    ['/index.html', /^text\/html/, /data-testid="lang-toggle"/],
    ['/app.js', /^text\/javascript/, /new EventSource\('\/api\/events'\)/],
    ['/style.css', /^text\/css/, /\.cat-name/],
  ];
  for (const [path, type, content] of cases) {
    const res = await fetch(new URL(path, server.url));
    t.equal(res.status, 200, `${path} status`);
    t.match(res.headers.get('content-type'), type, `${path} content-type`);
    t.equal(res.headers.get('cache-control'), 'no-store', `${path} cache-control`);
    t.match(await res.text(), content, `${path} content`);
  }
  const head = await raw(server.url, { method: 'HEAD', path: '/app.js' });
  t.equal(head.status, 200, 'HEAD works');
  t.equal(head.body, '', 'HEAD has no body');
});

t.test('the event stream sends the view on connect, then every change and every scan', async (t) => {
  const { server, backend } = await serve(t, undefined, { keepAliveMs: 50 });
  const stream = await openEvents(server.url);
  t.teardown(() => stream.close());
  t.equal(stream.res.statusCode, 200);
  t.match(stream.res.headers['content-type'], /^text\/event-stream/);
  t.equal(stream.res.headers['cache-control'], 'no-store');

  await waitFor('the initial view', () => stream.events.length >= 1);
  t.same(stream.events[0], { event: 'view', data: backend.view() }, 'initial view on connect');

  backend.update({ blocked: 'paper-out' });
  await waitFor('the pushed view', () => stream.events.length >= 2);
  t.match(stream.events[1], { event: 'view', data: { blocked: 'paper-out', rev: 2 } }, 'pushed change');

  const outcome = backend.scan('A1B2C3');
  await waitFor('the scan', () => stream.events.length >= 3);
  t.same(stream.events[2], { event: 'scan', data: outcome }, 'scan outcome');

  await waitFor('a keep-alive comment', () => stream.comments.length >= 1);
  t.equal(stream.comments[0], ': keep-alive');

  t.equal(backend.listenerCount, 2, 'one view and one scan listener while connected');
  stream.close();
  await waitFor('listeners removed after the client left', () => backend.listenerCount === 0);
  t.pass('the server let go of the backend when the client went away');
});

t.test('take and check-in pass through to the backend', async (t) => {
  const { server, backend } = await serve(t);
  const taken = await postJson(server.url, '/api/take', { category: 'social', priority: true });
  t.equal(taken.status, 200);
  t.match(taken.json, { ok: true, ticket: { number: 'A001', categoryId: 'social', priority: true, offline: false } });
  t.same(backend.takes, [{ category: 'social', priority: true }]);

  const refused = await postJson(server.url, '/api/take', { category: 'marriage', priority: false });
  t.equal(refused.status, 200, 'a refusal is an answer, not an HTTP error');
  t.match(refused.json, { ok: false, reason: 'paused', message: { zh: String, en: String } });

  const checked = await postJson(server.url, '/api/checkin', { code: '  A1B2C3 ' });
  t.equal(checked.status, 200);
  t.match(checked.json, { ok: true, ticket: { number: 'C001', appointment: 'A1B2C3' } });
  t.same(backend.checkIns, ['A1B2C3'], 'the code arrives trimmed');

  const unknown = await postJson(server.url, '/api/checkin', { code: '999' });
  t.match(unknown.json, { ok: false, reason: 'appointment-not-found' });
});

t.test('every bad request gets its own 4xx and message, and the server keeps going', async (t) => {
  const { server, backend } = await serve(t);
  const json = { 'content-type': 'application/json' };
  const big = Buffer.alloc(MAX_BODY_BYTES + 100, 'x');
  const cases: [string, Parameters<typeof raw>[1], number, RegExp][] = [
    ['not JSON', { method: 'POST', path: '/api/take', headers: json, body: '{category: social' }, 400, /^body is not valid JSON: /],
    ['empty body', { method: 'POST', path: '/api/take', headers: json, body: '' }, 400, /^body is empty; expected a JSON object$/],
    ['array body', { method: 'POST', path: '/api/take', headers: json, body: '[]' }, 400, /^body must be a JSON object, not an array$/],
    ['null body', { method: 'POST', path: '/api/take', headers: json, body: 'null' }, 400, /^body must be a JSON object, not null$/],
    ['missing category', { method: 'POST', path: '/api/take', headers: json, body: '{"priority":false}' }, 400, /^field category is missing$/],
    ['category not a string', { method: 'POST', path: '/api/take', headers: json, body: '{"category":5,"priority":false}' }, 400, /^field category: expected a category id/],
    ['empty category', { method: 'POST', path: '/api/take', headers: json, body: '{"category":"","priority":false}' }, 400, /^field category: expected a category id/],
    ['missing priority', { method: 'POST', path: '/api/take', headers: json, body: '{"category":"social"}' }, 400, /^field priority is missing$/],
    ['priority not boolean', { method: 'POST', path: '/api/take', headers: json, body: '{"category":"social","priority":"yes"}' }, 400, /^field priority: expected true or false$/],
    ['unknown field', { method: 'POST', path: '/api/take', headers: json, body: '{"category":"social","priority":false,"count":2}' }, 400, /^unknown field count; expected only category, priority, phone$/],
    ['wrong content type', { method: 'POST', path: '/api/take', headers: { 'content-type': 'text/plain' }, body: '{}' }, 415, /^body must be application\/json, not text\/plain$/],
    ['declared body too big', { method: 'POST', path: '/api/take', headers: json, body: big }, 413, /^body is \d+ bytes; at most 4096 accepted$/],
    ['streamed body too big', { method: 'POST', path: '/api/take', headers: { ...json, 'transfer-encoding': 'chunked' }, chunks: [big.subarray(0, 3000), big.subarray(3000)] }, 413, /^body is over 4096 bytes$/],
    ['foreign origin', { method: 'POST', path: '/api/take', headers: { ...json, origin: 'http://evil.example' }, body: '{"category":"social","priority":false}' }, 403, /^requests from origin http:\/\/evil\.example are not accepted$/],
    ['missing code', { method: 'POST', path: '/api/checkin', headers: json, body: '{}' }, 400, /^field code is missing$/],
    ['code not a string', { method: 'POST', path: '/api/checkin', headers: json, body: '{"code":123}' }, 400, /^field code: expected a string$/],
    ['blank code', { method: 'POST', path: '/api/checkin', headers: json, body: '{"code":"   "}' }, 400, /^field code is empty$/],
    ['code too long', { method: 'POST', path: '/api/checkin', headers: json, body: JSON.stringify({ code: 'x'.repeat(300) }) }, 400, /^field code: at most 256 characters$/],
    ['code with control characters', { method: 'POST', path: '/api/checkin', headers: json, body: JSON.stringify({ code: 'AB\u0007C' }) }, 400, /^field code: control characters are not allowed$/],
    ['GET a POST route', { path: '/api/take' }, 405, /^\/api\/take accepts POST only, not GET$/],
    ['POST a GET route', { method: 'POST', path: '/api/view', headers: json, body: '{}' }, 405, /^\/api\/view accepts GET only, not POST$/],
    ['unknown API route', { path: '/api/tickets' }, 404, /^no such API route: \/api\/tickets/],
    ['unknown file', { path: '/missing.js' }, 404, /^no such file: \/missing\.js$/],
    ['dot segments (resolved by URL parsing)', { path: '/%2e%2e/kiosk-types.ts' }, 404, /^no such file: \/kiosk-types\.ts$/],
    ['path out of public/', { path: '/..%2Fkiosk-types.ts' }, 404, /^no such file: \/\.\.\/kiosk-types\.ts$/],
    ['absolute path', { path: '/%2Fetc%2Fpasswd' }, 404, /^no such file: \/\/etc\/passwd$/],
    ['hidden file', { path: '/.env' }, 404, /^no such file: \/\.env$/],
    ['POST a file', { method: 'POST', path: '/app.js', headers: json, body: '{}' }, 405, /^\/app\.js accepts GET only, not POST$/],
    ['bad escape in path', { path: '/%E0%A4%A' }, 400, /^bad request path: /],
  ];
  for (const [name, req, status, message] of cases) {
    const res = await raw(server.url, req);
    t.equal(res.status, status, `${name}: status ${status}`);
    t.match(res.headers['content-type'], /^application\/json/, `${name}: JSON`);
    const body = JSON.parse(res.body) as { error?: unknown };
    t.match(body.error, message, `${name}: message`);
  }
  const allow = await raw(server.url, { path: '/api/checkin' });
  t.equal(allow.headers['allow'], 'POST', '405 names the allowed method');
  t.same(backend.takes, [], 'no bad request reached the backend');
  t.same(backend.checkIns, []);

  backend.failWith = new Error('printer link lost');
  const failed = await postJson(server.url, '/api/take', { category: 'social', priority: false });
  t.equal(failed.status, 500, 'a backend that throws is a 500');
  t.same(failed.json, { error: 'internal error: printer link lost' });
  backend.failWith = null;

  const after = await postJson(server.url, '/api/take', { category: 'social', priority: false });
  t.match(after.json, { ok: true }, 'the server still issues after all that');
});

t.test('close() resolves promptly with an event stream open', async (t) => {
  const backend = new FakeKioskBackend();
  const server = await startKioskServer({ backend, timers: globalTimers });
  const stream = await openEvents(server.url);
  await waitFor('the initial view', () => stream.events.length >= 1);
  const started = Date.now();
  await server.close();
  t.ok(Date.now() - started < 900, `closed in ${Date.now() - started} ms (before the forced-close grace)`);
  await stream.ended;
  t.pass('the client saw its stream end');
  t.equal(backend.listenerCount, 0, 'no listener left on the backend');
  await server.close();
  t.pass('a second close() is harmless');
  const err = await fetch(new URL('/api/view', server.url)).then(
    () => null,
    (e: Error) => e,
  );
  t.ok(err, 'nothing listens any more');
});

t.test('the page folder is found from dist/ and from the bundle; a missing one is a clear error', async (t) => {
  const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
  const expected = join(root, 'firmware/roles/ticket-printer/kiosk/public');
  t.equal(findPublicDir(), expected, 'from the compiled module');
  t.equal(findPublicDir(join(root, 'dist', 'halld.mjs')), expected, 'from dist/halld.mjs');
  t.equal(findPublicDir('/nowhere/at/all.js'), null, 'outside the package');

  const err = await startKioskServer({ backend: new FakeKioskBackend(), timers: globalTimers, publicDir: join(root, 'nope') }).then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(err instanceof KioskServerError, 'a KioskServerError');
  t.match(err, { code: 'NO_PUBLIC_DIR', message: /nope\/index\.html does not exist/ });

  const { server } = await serve(t);
  const busy = await startKioskServer({ backend: new FakeKioskBackend(), timers: globalTimers, port: server.port }).then(
    () => null,
    (e: unknown) => e,
  );
  t.match(busy, { code: 'LISTEN', message: /cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/ });
});
