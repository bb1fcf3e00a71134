// Who the kiosk page answers (issue 7 item 6): only requests addressed to 127.0.0.1:<port> or
// localhost:<port>, and only same-origin ones. A web page elsewhere (DNS rebinding, a sandboxed
// iframe with Origin: null, a cross-site form or script) must not take a ticket or read the view.
import t from 'tap';
import { startKioskServer, type KioskServer } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-page-plugin.js';
import { FakeKioskBackend } from './fake-kiosk-backend.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { raw, rawSocket, refusedStream } from '../../../testkit/page-http.js';
import { waitFor } from '../../../testkit/wait.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

async function serve(t: Teardown): Promise<{ server: KioskServer; backend: FakeKioskBackend }> {
  const backend = new FakeKioskBackend();
  const server = await startKioskServer({ backend, timers: globalTimers });
  t.teardown(() => server.close());
  return { server, backend };
}

const TAKE = JSON.stringify({ category: 'social', priority: false });
const JSON_TYPE = { 'content-type': 'application/json' };

t.test('a request for another Host is refused with 421, a DNS-rebinding pair included', async (t) => {
  const { server, backend } = await serve(t);
  const port = server.port;
  const wrongHost = new RegExp(`^this page is served as 127\\.0\\.0\\.1:${port} or localhost:${port} only, not Host `);
  const cases: [string, Parameters<typeof raw>[1]][] = [
    ['a rebound name reading the view', { path: '/api/view', headers: { host: `evil.example:${port}` } }],
    ['a rebound name taking a ticket', { method: 'POST', path: '/api/take', headers: { ...JSON_TYPE, host: `evil.example:${port}`, origin: `http://evil.example:${port}` }, body: TAKE }],
    ['a rebound name checking in', { method: 'POST', path: '/api/checkin', headers: { ...JSON_TYPE, host: `evil.example:${port}`, origin: `http://evil.example:${port}` }, body: '{"code":"A1B2C3"}' }],
    ['a rebound name loading the page', { path: '/', headers: { host: `evil.example:${port}` } }],
    ['the right name on another port', { path: '/api/view', headers: { host: `127.0.0.1:${port + 1}` } }],
    ['a LAN address', { path: '/api/view', headers: { host: `192.168.1.20:${port}` } }],
  ];
  for (const [name, req] of cases) {
    const res = await raw(server.url, req);
    t.equal(res.status, 421, `${name}: 421`);
    t.match(res.headers['content-type'], /^application\/json/, `${name}: JSON`);
    t.match((JSON.parse(res.body) as { error?: unknown }).error, wrongHost, `${name}: says which Host it answers`);
  }
  const stream = await refusedStream(server.url, { host: `evil.example:${port}` });
  t.equal(stream.status, 421, 'a rebound name on the event stream: 421');
  t.match(stream.error, wrongHost);
  t.same(backend.takes, [], 'no ticket was taken');
  t.same(backend.checkIns, [], 'no check-in');
  await waitFor('no event stream left open', () => backend.listenerCount === 0);

  // HTTP/1.0 may leave Host out; that is no loopback name either.
  const bare = await rawSocket(t, server.url);
  bare.write('GET /api/view HTTP/1.0\r\n\r\n');
  await waitFor('the HTTP/1.0 answer', bare.isClosed);
  t.match(bare.received(), /^HTTP\/1\.1 421 /, 'no Host header: 421');
  t.match(bare.received(), /not a request without a Host header/);
});

t.test('127.0.0.1:<port> and localhost:<port> are both served', async (t) => {
  const { server, backend } = await serve(t);
  for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
    const view = await raw(server.url, { path: '/api/view', headers: { host } });
    t.equal(view.status, 200, `${host}: view`);
    const taken = await raw(server.url, { method: 'POST', path: '/api/take', headers: { ...JSON_TYPE, host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' }, body: TAKE });
    t.equal(taken.status, 200, `${host}: same-origin take`);
    t.match(JSON.parse(taken.body), { ok: true });
  }
  t.equal(backend.takes.length, 2);
});

t.test('a cross-origin request is refused with 403: Origin null, another origin, cross-site fetch metadata', async (t) => {
  const { server, backend } = await serve(t);
  const host = `127.0.0.1:${server.port}`;
  const cases: [string, Parameters<typeof raw>[1], RegExp][] = [
    ['Origin: null (sandboxed iframe, file:) taking a ticket', { method: 'POST', path: '/api/take', headers: { ...JSON_TYPE, host, origin: 'null' }, body: TAKE }, /^requests from origin null are not accepted$/],
    ['Origin: null checking in', { method: 'POST', path: '/api/checkin', headers: { ...JSON_TYPE, host, origin: 'null' }, body: '{"code":"A1B2C3"}' }, /^requests from origin null are not accepted$/],
    ['localhost page posting to 127.0.0.1', { method: 'POST', path: '/api/take', headers: { ...JSON_TYPE, host, origin: `http://localhost:${server.port}` }, body: TAKE }, /^requests from origin http:\/\/localhost:\d+ are not accepted$/],
    ['another origin reading the view', { path: '/api/view', headers: { host, origin: 'http://evil.example' } }, /^requests from origin http:\/\/evil\.example are not accepted$/],
    ['a cross-site script tag', { path: '/app.js', headers: { host, 'sec-fetch-site': 'cross-site' } }, /^cross-site requests are not accepted \(Sec-Fetch-Site: cross-site\)$/],
    ['a same-site (other port) form post', { method: 'POST', path: '/api/take', headers: { ...JSON_TYPE, host, 'sec-fetch-site': 'same-site' }, body: TAKE }, /^same-site requests are not accepted \(Sec-Fetch-Site: same-site\)$/],
  ];
  for (const [name, req, message] of cases) {
    const res = await raw(server.url, req);
    t.equal(res.status, 403, `${name}: 403`);
    t.match((JSON.parse(res.body) as { error?: unknown }).error, message, `${name}: message`);
  }
  const stream = await refusedStream(server.url, { host, origin: 'http://evil.example' });
  t.equal(stream.status, 403, 'another origin opening the event stream: 403');
  t.match(stream.error, /^requests from origin http:\/\/evil\.example are not accepted$/);
  t.same(backend.takes, [], 'no ticket was taken');
  t.same(backend.checkIns, []);
  await waitFor('no stream left open', () => backend.listenerCount === 0);

  // What the kiosk's own Chromium sends: a navigation typed in (none) and same-origin fetches.
  const page = await raw(server.url, { path: '/', headers: { host, 'sec-fetch-site': 'none' } });
  t.equal(page.status, 200, 'the page loads when the browser is pointed at it');
  const ok = await raw(server.url, { method: 'POST', path: '/api/take', headers: { ...JSON_TYPE, host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' }, body: TAKE });
  t.equal(ok.status, 200, 'a same-origin take is served');
});
