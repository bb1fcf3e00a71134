// Who a touch page answers. The page is for the Chromium on the same board, so a request must
// name the server by a loopback name (a DNS-rebinding page names its own host and gets 421),
// and a browser request must come from the page itself: an Origin other than the server's own
// (including `null`: sandboxed iframes, file: pages) or cross-site fetch metadata gets 403.
// Clients that send neither Origin nor Sec-Fetch-Site are not browsers on a web page (curl,
// the systemd readiness probe, tests) and are served. A peer that is not on this board is
// refused whatever it sends (a Host header is easy to forge outside a browser): that holds
// even if a config binds the page to a LAN address.
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { PageRequestError } from './page-errors.js';

/** The Host values a server on `port` answers to, e.g. ["127.0.0.1:8080", "localhost:8080"]. */
export function loopbackHosts(port: number): string[] {
  const names = ['127.0.0.1', 'localhost'];
  // A browser leaves out the default port.
  return port === 80 ? [...names.map((n) => `${n}:80`), ...names] : names.map((n) => `${n}:${port}`);
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** What the guard reads of a request (an IncomingMessage is one). */
export interface RequestSource {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string | undefined };
}

/** Throws a PageRequestError (421 or 403) unless the request may be served. */
export function checkRequestSource(req: RequestSource, port: number): void {
  const peer = req.socket.remoteAddress;
  if (!isLoopbackAddress(peer)) {
    throw new PageRequestError(403, `requests from ${peer ?? 'an unknown address'} are not accepted: this page is for the board's own screen`);
  }
  const allowed = loopbackHosts(port);
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !allowed.includes(host)) {
    const named = host === undefined ? 'a request without a Host header' : `Host ${host}`;
    throw new PageRequestError(421, `this page is served as 127.0.0.1:${port} or localhost:${port} only, not ${named}`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    throw new PageRequestError(403, `requests from origin ${origin} are not accepted`);
  }
  // Fetch metadata: a script, image or form from another site carries no Origin on a GET.
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    throw new PageRequestError(403, `${site} requests are not accepted (Sec-Fetch-Site: ${site})`);
  }
}
