// The screen token on its own: one per boot of the board (a restart of halld keeps it, a new
// boot id makes a new one), written 0640 whatever the umask; and on a page server: the page
// opened with it gets a cookie, its streams have a pool of their own (a new one ends the
// oldest), a wrong or missing token is in the ordinary pool.
import t from 'tap';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { globalTimers } from '../../drivers/clock/timers.js';
import { startPageServer } from '../../firmware/pages/page-server.js';
import { cookieValue, loadScreenToken, SCREEN_TOKEN_FILE } from '../../firmware/pages/screen-token.js';
import { tempDir } from '../../testkit/temp.js';
import { openEvents, raw, refusedStream } from '../../testkit/page-http.js';

t.test('one token per boot of the board, 0640 whatever the umask', async (t) => {
  const dir = await tempDir(t);
  const previous = process.umask(0o000);
  let first: string;
  try {
    first = await loadScreenToken(dir, async () => 'boot-a');
  } finally {
    process.umask(previous);
  }
  t.match(first, /^[0-9a-f]{64}$/);
  t.equal((await stat(join(dir, SCREEN_TOKEN_FILE))).mode & 0o777, 0o640);
  t.equal((await readFile(join(dir, SCREEN_TOKEN_FILE), 'utf8')).trim(), first, 'the file holds just the token (a unit reads it with cat)');
  t.equal(await loadScreenToken(dir, async () => 'boot-a'), first, 'halld restarted in the same boot: the same token');
  const second = await loadScreenToken(dir, async () => 'boot-b');
  t.not(second, first, 'a new boot: a new token');
  t.not(await loadScreenToken(dir, async () => undefined), second, 'no boot id to compare: a new token each start');
  await writeFile(join(dir, SCREEN_TOKEN_FILE), 'not a token\n');
  t.match(await loadScreenToken(dir, async () => 'boot-b'), /^[0-9a-f]{64}$/, 'a damaged file is replaced');
});

t.test('the page server: cookie for the page opened with the token, a stream pool of its own', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>screen</title>');
  const token = 'ab'.repeat(32);
  const server = await startPageServer({
    plugin: { name: 'screen', publicDir: dir, events: (send) => (send('view', { n: 1 }), () => undefined) },
    timers: globalTimers,
    screenToken: token,
    limits: { maxStreams: 1, maxScreenStreams: 2 },
  });
  t.teardown(() => server.close());
  t.equal(server.screenUrl, `${server.url}?screen=${token}`);
  const opened = await raw(server.url, { path: `/?screen=${token}` });
  const setCookie = String(opened.headers['set-cookie'] ?? '');
  t.match(setCookie, new RegExp(`^halld-screen-${server.port}=${token}; Path=/; HttpOnly; SameSite=Strict$`));
  t.equal((await raw(server.url, { path: '/?screen=nope' })).headers['set-cookie'], undefined, 'no cookie for a wrong token');
  t.equal((await raw(server.url, { path: '/' })).headers['set-cookie'], undefined, 'nor without one');
  const cookie = { cookie: `other=1; ${setCookie.split(';')[0] ?? ''}` };
  t.equal(cookieValue(cookie.cookie, `halld-screen-${server.port}`), token);

  const holder = await openEvents(server.url);
  t.teardown(() => holder.close());
  t.equal((await refusedStream(server.url)).status, 503, 'the ordinary pool (1) is full');
  const a = await openEvents(server.url, '/api/events', cookie);
  const b = await openEvents(server.url, '/api/events', cookie);
  t.teardown(() => (a.close(), b.close()));
  t.same([a.res.statusCode, b.res.statusCode], [200, 200], "the screen's streams are not refused");
  const c = await openEvents(server.url, `/api/events?screen=${token}`);
  t.teardown(() => c.close());
  t.equal(c.res.statusCode, 200, 'the token in the stream URL works too');
  await a.ended;
  t.pass('a third screen stream ended the oldest (a reloaded page leaves its old one behind)');
  t.notOk(b.res.destroyed || b.res.complete, 'the newer ones stay');
  t.equal((await refusedStream(server.url, { cookie: `halld-screen-${server.port}=${'cd'.repeat(32)}` })).status, 503, 'a wrong cookie is the ordinary pool');
});
