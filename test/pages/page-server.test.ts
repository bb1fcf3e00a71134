// The shared touch-page server with a plug-in of its own (not the kiosk's): what a role plugs
// in (folder, reads, event stream, typed actions, caching rule), how action bodies are checked
// against their TypeBox schemas, what it refuses to start with, and that its own timing runs
// on the injected Timers.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { globalTimers, type Timers } from '../../drivers/clock/timers.js';
import { startPageServer, type PagePlugin, type PageServer } from '../../firmware/pages/page-server.js';
import { pageAction } from '../../firmware/pages/page-actions.js';
import { PageChannel } from '../../firmware/pages/page-channel.js';
import { badInput, PageServerError } from '../../firmware/pages/page-errors.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { openEvents, raw, rawSocket } from '../../testkit/page-http.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../firmware/log.js';
import { useFakeTime, settle } from '../drivers/fake-time.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A page folder with an index, a photo and a hidden file. */
async function pageDir(t: Teardown): Promise<string> {
  const dir = await tempDir(t, 'halld-page-');
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>rate</title>');
  await writeFile(join(dir, 'staff-photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(join(dir, '.secret'), 'no');
  return dir;
}

const RateInput = Type.Object({
  level: Type.Integer({ minimum: 1, maximum: 5, description: 'a level from 1 to 5' }),
  items: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 5 })),
});

function ratingPlugin(publicDir: string, rated: { level: number; items?: string[] }[], status: PageChannel<{ state: string }>): PagePlugin {
  return {
    name: 'evaluator',
    publicDir,
    reads: { status: () => ({ state: 'idle' }) },
    events: (send) => {
      const off = status.on((s) => send('status', s));
      send('status', { state: 'idle' });
      return off;
    },
    actions: {
      rate: pageAction(RateInput, async (input) => {
        // `input` is typed from the schema: level is a number, items an optional string[].
        if (input.level <= 2 && (input.items ?? []).length === 0) throw badInput('field items: at least one item for a low rating');
        if (input.items?.includes('boom')) throw new Error('rating store failed');
        rated.push(input);
        return { ok: true, level: input.level };
      }),
    },
    cacheRule: (file) => (file.endsWith('.png') ? 'public, max-age=86400' : 'no-store'),
  };
}

async function serve(t: Teardown, plugin: PagePlugin): Promise<PageServer> {
  const server = await startPageServer({ plugin, timers: globalTimers });
  t.teardown(() => server.close());
  return server;
}

const post = (server: PageServer, path: string, body: string) => raw(server.url, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
const errorOf = (body: string) => (JSON.parse(body) as { error?: unknown }).error;

t.test('a plug-in gets its reads, event stream, typed actions and caching rule', async (t) => {
  const rated: { level: number; items?: string[] }[] = [];
  const status = new PageChannel<{ state: string }>();
  const server = await serve(t, ratingPlugin(await pageDir(t), rated, status));

  const read = await raw(server.url, { path: '/api/status' });
  t.same(JSON.parse(read.body), { state: 'idle' }, 'a read');

  const stream = await openEvents(server.url);
  t.teardown(() => stream.close());
  await waitFor('the first status', () => stream.events.length >= 1);
  status.emit({ state: 'rating' });
  await waitFor('the pushed status', () => stream.events.length >= 2);
  t.same(stream.events, [{ event: 'status', data: { state: 'idle' } }, { event: 'status', data: { state: 'rating' } }]);

  const ok = await post(server, '/api/rate', '{"level":5}');
  t.equal(ok.status, 200);
  t.same(JSON.parse(ok.body), { ok: true, level: 5 });
  const cases: [string, string, number, RegExp][] = [
    ['wrong type, with a description', '{"level":"good"}', 400, /^field level: expected a level from 1 to 5$/],
    ['out of range', '{"level":9}', 400, /^field level: expected a level from 1 to 5$/],
    ['a field without a description names the type', '{"level":4,"items":"speed"}', 400, /^field items: expected array$/],
    ['unknown field', '{"level":4,"stars":3}', 400, /^unknown field stars; expected only level, items$/],
    ['missing field', '{"items":[]}', 400, /^field level is missing$/],
    ['the action refuses what the schema cannot say', '{"level":1}', 400, /^field items: at least one item for a low rating$/],
    ['the action fails', '{"level":4,"items":["boom"]}', 500, /^internal error: rating store failed$/],
  ];
  for (const [name, body, status, message] of cases) {
    const res = await post(server, '/api/rate', body);
    t.equal(res.status, status, `${name}: ${status}`);
    t.match(errorOf(res.body), message, `${name}: message`);
  }
  t.same(rated, [{ level: 5 }], 'only the good rating reached the role');

  const photo = await raw(server.url, { path: '/staff-photo.png' });
  t.equal(photo.headers['content-type'], 'image/png');
  t.equal(photo.headers['cache-control'], 'public, max-age=86400', 'the plug-in may let photos be cached');
  const index = await raw(server.url, { path: '/' });
  t.equal(index.headers['cache-control'], 'no-store', 'and keeps the page itself fresh');
  t.equal((await raw(server.url, { path: '/.secret' })).status, 404, 'hidden files stay hidden');
});

t.test('every page server serves the shared look under /shared/: hall.css and the fonts halld ships', async (t) => {
  const server = await serve(t, { name: 'locker', publicDir: await pageDir(t) });
  const css = await raw(server.url, { path: '/shared/hall.css' });
  t.equal(css.status, 200);
  t.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  const fonts = [...css.body.matchAll(/url\('([^']+\.woff2)'\)/g)].map((m) => m[1] ?? '');
  t.same(fonts, ['/shared/fonts/halld-sans-sc-regular.woff2', '/shared/fonts/halld-sans-sc-bold.woff2'], 'hall.css names a regular and a bold web font');
  for (const path of fonts) {
    const font = await raw(server.url, { method: 'HEAD', path });
    t.equal(font.status, 200, `${path} is served`);
    t.equal(font.headers['content-type'], 'font/woff2');
  }
  t.equal((await raw(server.url, { path: '/shared/../page-server.js' })).status, 404, 'nothing outside the shared folder');
  t.equal((await raw(server.url, { path: '/shared/%2e%2e/shared-assets.js' })).status, 404, 'not even spelled with escapes');
  t.equal((await raw(server.url, { path: '/shared/index.html' })).status, 404, 'the shared folder is no page');
});

t.test('a plug-in without an event stream has no /api/events', async (t) => {
  const server = await serve(t, { name: 'locker', publicDir: await pageDir(t) });
  const res = await raw(server.url, { path: '/api/events' });
  t.equal(res.status, 404);
  t.match(errorOf(res.body), /^no such API route: \/api\/events \(routes: \)$/);
});

t.test('a plug-in that names a route twice, or impossible limits, does not start', async (t) => {
  const publicDir = await pageDir(t);
  const twice = await startPageServer({
    plugin: { name: 'locker', publicDir, reads: { open: () => ({}) }, actions: { open: pageAction(Type.Object({}), async () => ({})) } },
    timers: globalTimers,
  }).then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(twice instanceof PageServerError);
  t.match(twice, { code: 'ROUTES', message: /^locker page: \/api\/open is declared twice/ });
  const events = await startPageServer({ plugin: { name: 'locker', publicDir, events: () => () => {}, reads: { events: () => ({}) } }, timers: globalTimers }).then(
    () => null,
    (e: unknown) => e,
  );
  t.match(events, { code: 'ROUTES', message: /\/api\/events is declared twice/ }, 'events is taken by the stream');

  for (const [limits, message] of [
    [{ maxStreams: 0 }, /^page limit maxStreams must be a positive whole number, not 0$/],
    [{ idleTimeoutMs: 1.5 }, /^page limit idleTimeoutMs must be a positive whole number, not 1\.5$/],
    [{ headersTimeoutMs: 20_000 }, /^page limit headersTimeoutMs \(20000\) must not exceed requestTimeoutMs \(10000\)$/],
  ] as const) {
    const err = await startPageServer({ plugin: { name: 'locker', publicDir }, timers: globalTimers, limits }).then(
      () => null,
      (e: unknown) => e,
    );
    t.match(err, { code: 'LIMITS', message }, JSON.stringify(limits));
  }
});

/** Lets loopback I/O happen while fake time stands still (waitFor would need real timers). */
async function until(what: string, probe: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (probe()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error(`never happened: ${what}`);
}

t.test('keep-alive comments and the forced close run on the injected Timers', async (t) => {
  const clock = useFakeTime(t, 1_700_000_000_000);
  // The injected Timers, run on the fake clock, and a record of what the server asked of them.
  const asked: string[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => (asked.push(`setTimeout ${ms}`), globalTimers.setTimeout(fn, ms)),
    clearTimeout: (h) => globalTimers.clearTimeout(h),
    setInterval: (fn, ms) => (asked.push(`setInterval ${ms}`), globalTimers.setInterval(fn, ms)),
    clearInterval: (h) => (asked.push('clearInterval'), globalTimers.clearInterval(h)),
  };
  const hold = new Promise<never>(() => {});
  const server = await startPageServer({
    plugin: { name: 'evaluator', publicDir: await pageDir(t), events: (send) => (send('status', {}), () => {}), actions: { slow: pageAction(Type.Object({}), () => hold) } },
    timers,
    keepAliveMs: 15_000,
  });
  const stream = await openEvents(server.url);
  await until('the first event', () => stream.events.length === 1);
  clock.tick(14_999);
  await settle();
  t.same(stream.comments, [], 'no keep-alive before its time');
  clock.tick(1);
  await until('the keep-alive comment', () => stream.comments.length === 1);
  t.same(stream.comments, [': keep-alive']);

  // A request still in flight when close() is called: its socket is dropped after the grace.
  const inFlight = raw(server.url, { method: 'POST', path: '/api/slow', headers: { 'content-type': 'application/json' }, body: '{}' }).then(
    () => 'answered',
    () => 'dropped',
  );
  await settle();
  let closed = false;
  const closing = server.close().then(() => (closed = true));
  await stream.ended;
  await settle();
  t.notOk(closed, 'close() waits for the request in flight during the grace');
  clock.tick(1_000);
  await closing;
  t.equal(await inFlight, 'dropped', 'after the grace its socket was dropped');
  t.same(asked, ['setInterval 15000', 'setTimeout 1000', 'clearInterval'], 'keep-alive, close grace and the stream\'s end went through the injected Timers');
});

t.test('a client that hangs up mid-body is one debug line, not an error with a stack', async (t) => {
  const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  const log = createLogger({ level: 'debug', format: 'json', destination: sink });
  const rated: { level: number; items?: string[] }[] = [];
  const server = await startPageServer({ plugin: ratingPlugin(await pageDir(t), rated, new PageChannel()), timers: globalTimers, log });
  t.teardown(() => server.close());
  const sock = await rawSocket(t, server.url);
  sock.write(`POST /api/rate HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"level":`);
  // Barrier: the server has the headers (a complete request to another route answers after them).
  await raw(server.url, { path: '/api/status' });
  sock.socket.destroy();
  await waitFor('the hang-up logged', () => lines.find((l) => l['url'] === '/api/rate'));
  // Barrier: a later request is answered only after the hang-up was handled.
  await raw(server.url, { path: '/api/status' });
  t.same(lines.filter((l) => l.level >= 40).map((l) => l.msg), [], 'nothing at warn or error');
  const about = lines.filter((l) => l['url'] === '/api/rate');
  t.equal(about.length, 1, 'one line');
  t.match(about[0], { level: 20, msg: 'page request refused', error: /the client went away before sending the whole body/ });
  t.notOk(JSON.stringify(about[0]).includes('    at '), 'no stack');
  t.same(rated, [], 'nothing was rated');
});
