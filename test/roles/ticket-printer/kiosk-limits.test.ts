// What one client can hold of the kiosk page server (issue 7 item 6): a slow or silent socket
// is answered 408 and closed once its header or request time is up, an idle socket without an
// event stream is closed, and event streams are capped (the newest is refused with 503).
// Time is driven by short configured limits, never by sleeping; no test asserts a duration.
import t from 'tap';
import { startKioskServer, type KioskServer, type KioskServerOptions } from '../../../firmware/roles/ticket-printer/kiosk/kiosk-page-plugin.js';
import { FakeKioskBackend } from './fake-kiosk-backend.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { openEvents, raw, rawSocket, refusedStream } from '../../../testkit/page-http.js';
import { waitFor } from '../../../testkit/wait.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

async function serve(t: Teardown, limits: KioskServerOptions['limits']): Promise<{ server: KioskServer; backend: FakeKioskBackend }> {
  const backend = new FakeKioskBackend();
  const server = await startKioskServer({ backend, timers: globalTimers, limits });
  t.teardown(() => server.close());
  return { server, backend };
}

/** Writes `text` every few ms until the socket closes: a client that never finishes. */
function trickle(t: Teardown, sock: Awaited<ReturnType<typeof rawSocket>>, text: string): void {
  const every = setInterval(() => sock.write(text), 20);
  t.teardown(() => clearInterval(every));
  void sock.closed.then(() => clearInterval(every));
}

t.test('slowloris: headers that never end, a silent socket and a body that never ends are answered 408 and closed', async (t) => {
  const { server } = await serve(t, { headersTimeoutMs: 150, requestTimeoutMs: 300, timeoutCheckMs: 25 });
  const host = `127.0.0.1:${server.port}`;

  const slowHeaders = await rawSocket(t, server.url);
  slowHeaders.write(`GET /api/view HTTP/1.1\r\nHost: ${host}\r\n`);
  trickle(t, slowHeaders, 'X-Slow: 1\r\n');

  const silent = await rawSocket(t, server.url);

  const slowBody = await rawSocket(t, server.url);
  slowBody.write(`POST /api/take HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"category":"`);
  trickle(t, slowBody, 'x');

  await waitFor('the slow-header socket closed', slowHeaders.isClosed);
  t.match(slowHeaders.received(), /^HTTP\/1\.1 408 /, 'headers that never end: 408');
  await waitFor('silent closed by the server', silent.isClosed);
  t.match(silent.received(), /^HTTP\/1\.1 408 /, 'a socket that sends nothing: 408');
  await waitFor('slowBody closed by the server', slowBody.isClosed);
  t.match(slowBody.received(), /^HTTP\/1\.1 408 /, 'a body that never ends: 408');

  const after = await raw(server.url, { path: '/api/view' });
  t.equal(after.status, 200, 'the server still answers');
});

t.test('an idle socket without an event stream is closed; an event stream is not', async (t) => {
  const backend = new FakeKioskBackend();
  // No keep-alive comment on the stream during the test: only the idle rule could close it.
  const server = await startKioskServer({ backend, timers: globalTimers, keepAliveMs: 3_600_000, limits: { idleTimeoutMs: 200, keepAliveTimeoutMs: 100 } });
  t.teardown(() => server.close());
  const stream = await openEvents(server.url);
  t.teardown(() => stream.close());
  await waitFor('the initial view', () => stream.events.length >= 1);

  // A take the backend holds open: the socket is idle both ways until the idle timeout.
  let release = () => {};
  backend.gate = new Promise<void>((r) => (release = r));
  t.teardown(() => release());
  const held = await rawSocket(t, server.url);
  const body = '{"category":"social","priority":false}';
  held.write(`POST /api/take HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  await waitFor('the take to reach the backend', () => backend.takes.length === 1);
  await waitFor('held closed by the server', held.isClosed);
  t.pass('the idle socket was closed');

  // A finished request on a kept-alive socket: closed after the keep-alive timeout.
  const kept = await rawSocket(t, server.url);
  kept.write(`GET /api/view HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
  await waitFor('kept closed by the server', kept.isClosed);
  t.match(kept.received(), /^HTTP\/1\.1 200 /, 'the kept-alive socket got its answer, then was closed');

  // The stream opened before both and has been as idle: it is still there and still pushed to.
  t.notOk(stream.res.destroyed, 'the event stream is still open');
  backend.update({ paperLow: true });
  await waitFor('the pushed view', () => stream.events.length >= 2);
  t.match(stream.events[1], { event: 'view', data: { paperLow: true } }, 'and still receives views');
});

t.test('event streams are capped: the newest is refused with 503, the open ones keep going', async (t) => {
  const { server, backend } = await serve(t, { maxStreams: 2 });
  const first = await openEvents(server.url);
  t.teardown(() => first.close());
  const second = await openEvents(server.url);
  t.teardown(() => second.close());
  t.equal(first.res.statusCode, 200);
  t.equal(second.res.statusCode, 200);

  const third = await refusedStream(server.url);
  t.equal(third.status, 503, 'a third stream is refused');
  t.equal(third.headers['retry-after'], '2', 'with a Retry-After in seconds (the page reconnects by itself)');
  t.match(third.error, /^too many event streams: 2 are open, at most 2; try again later$/);

  backend.update({ paperLow: true });
  await waitFor('both open streams got the change', () => first.events.length >= 2 && second.events.length >= 2);
  t.pass('the streams that were first are not dropped');

  second.close();
  await waitFor('the server let go of the closed stream', () => backend.listenerCount === 2);
  const again = await openEvents(server.url);
  t.teardown(() => again.close());
  t.equal(again.res.statusCode, 200, 'a place freed is taken again');
});

t.test('POST bodies stay bounded by the configured limit', async (t) => {
  const { server, backend } = await serve(t, { maxBodyBytes: 64 });
  const big = JSON.stringify({ category: 'social'.padEnd(60, 's'), priority: false });
  const res = await raw(server.url, { method: 'POST', path: '/api/take', headers: { 'content-type': 'application/json' }, body: big });
  t.equal(res.status, 413);
  t.match((JSON.parse(res.body) as { error?: unknown }).error, /^body is \d+ bytes; at most 64 accepted$/);
  t.same(backend.takes, []);
});
