// The guard's rules on plain request shapes, including what the loopback-only tests cannot
// produce: a peer on another machine (a page bound to a LAN address by mistake) with a forged
// loopback Host.
import t from 'tap';
import { checkRequestSource, isLoopbackAddress, loopbackHosts, type RequestSource } from '../../firmware/pages/request-guard.js';
import { PageRequestError } from '../../firmware/pages/page-errors.js';

function refusal(req: RequestSource, port = 8080): { status: number; message: string } | null {
  try {
    checkRequestSource(req, port);
    return null;
  } catch (err) {
    if (!(err instanceof PageRequestError)) throw err;
    return { status: err.status, message: err.message };
  }
}

t.test('loopback peers only, whatever Host they claim', async (t) => {
  for (const address of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1']) t.ok(isLoopbackAddress(address), `${address} is this board`);
  for (const address of ['192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', '0.0.0.0', '::', undefined]) t.notOk(isLoopbackAddress(address), `${String(address)} is not`);
  t.same(refusal({ headers: { host: '127.0.0.1:8080' }, socket: { remoteAddress: '192.168.1.20' } }), {
    status: 403,
    message: "requests from 192.168.1.20 are not accepted: this page is for the board's own screen",
  });
  t.equal(refusal({ headers: { host: 'localhost:8080' }, socket: { remoteAddress: '::ffff:127.0.0.1' } }), null, 'a mapped loopback peer is served');
});

t.test('Host names and ports', async (t) => {
  t.same(loopbackHosts(8080), ['127.0.0.1:8080', 'localhost:8080']);
  t.same(loopbackHosts(80), ['127.0.0.1:80', 'localhost:80', '127.0.0.1', 'localhost'], 'port 80 may be left out, as browsers do');
  const local = { remoteAddress: '127.0.0.1' };
  t.equal(refusal({ headers: { host: 'LOCALHOST:8080' }, socket: local }), null, 'host names are case-insensitive');
  t.match(refusal({ headers: { host: '127.0.0.1' }, socket: local }), { status: 421 }, 'the port is part of the Host');
  t.match(refusal({ headers: { host: '[::1]:8080' }, socket: local }), { status: 421 }, 'the server is not bound to ::1');
});

t.test('Origin and fetch metadata: only the page itself, or a client that is no web page', async (t) => {
  const local = { remoteAddress: '127.0.0.1' };
  const at = (headers: Record<string, string>) => refusal({ headers: { host: '127.0.0.1:8080', ...headers }, socket: local });
  t.equal(at({ origin: 'http://127.0.0.1:8080' }), null, "the page's own origin");
  t.equal(refusal({ headers: { host: 'localhost:8080', origin: 'http://localhost:8080' }, socket: local }), null, 'the same page by name');
  t.same(at({ origin: 'http://evil.example' }), { status: 403, message: 'requests from origin http://evil.example are not accepted' });
  t.match(at({ origin: 'null' }), { status: 403 }, 'Origin: null (a sandboxed frame, a file: page)');
  t.match(at({ origin: 'http://127.0.0.1:8081' }), { status: 403 }, "another local port's page");
  t.match(at({ origin: 'https://127.0.0.1:8080' }), { status: 403 }, 'another scheme');
  t.match(at({ 'sec-fetch-site': 'cross-site' }), { status: 403, message: /cross-site/ }, 'a cross-site GET carries no Origin');
  t.match(at({ 'sec-fetch-site': 'same-site' }), { status: 403 });
  t.equal(at({ 'sec-fetch-site': 'same-origin' }), null);
  t.equal(at({ 'sec-fetch-site': 'none' }), null, 'typed into the address bar');
  t.equal(at({}), null, 'curl, the readiness probe');
});
