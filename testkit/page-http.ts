// HTTP clients for touch-page server tests: a request exactly as written, an event-stream
// reader, and a raw TCP socket for what no HTTP client sends (slowloris, bare sockets).
import { request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  chunks?: Buffer[];
}

/** A request exactly as written (fetch would normalise paths and headers, and set Host itself). */
export function raw(url: string, options: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((ok, fail) => {
    const req = request({ host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
    if (options.chunks) {
      for (const c of options.chunks) req.write(c);
      req.end();
    } else req.end(options.body);
  });
}

export interface EventStream {
  events: { event: string; data: unknown }[];
  comments: string[];
  /** The body as received (a refusal's JSON error, for one). */
  text(): string;
  res: IncomingMessage;
  ended: Promise<void>;
  close(): void;
}

/** An open event stream (default /api/events) that collects parsed events. */
export function openEvents(url: string, path = '/api/events', headers: Record<string, string> = {}): Promise<EventStream> {
  return new Promise((ok, fail) => {
    const req = request(new URL(path, url), { agent: false, headers }, (res) => {
      const events: { event: string; data: unknown }[] = [];
      const comments: string[] = [];
      let buffer = '';
      let text = '';
      res.setEncoding('utf8');
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      res.on('data', (d: string) => {
        buffer += d;
        text += d;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data !== '') events.push({ event, data: JSON.parse(data) as unknown });
        }
      });
      ok({ events, comments, text: () => text, res, ended, close: () => req.destroy() });
    });
    req.on('error', fail);
    req.end();
  });
}

export interface RawSocket {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the server (or anyone) closed the socket. */
  closed: Promise<void>;
  /** For waitFor, which puts a deadline on it. */
  isClosed(): boolean;
  write(text: string): void;
}

/** A bare TCP connection to the server, for requests no HTTP client would send. */
export async function rawSocket(t: { teardown(fn: () => unknown): void }, url: string): Promise<RawSocket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  t.teardown(() => socket.destroy());
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (data += d));
  // A reset by the server is a close too; the test reads what arrived before it.
  socket.on('error', () => undefined);
  let isClosed = false;
  const closed = new Promise<void>((done) =>
    socket.on('close', () => {
      isClosed = true;
      done();
    }),
  );
  await new Promise<void>((ok, fail) => {
    socket.once('connect', ok);
    socket.once('error', fail);
  });
  return {
    socket,
    received: () => data,
    closed,
    isClosed: () => isClosed,
    write: (text) => {
      if (!socket.destroyed) socket.write(text);
    },
  };
}

export async function postJson(url: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/**
 * Opens an event stream that the server is expected to refuse: its status and JSON error. A
 * stream that is accepted instead is closed at once (status 200, no error), so the test fails
 * on the status rather than hanging on a body that never ends.
 */
export async function refusedStream(url: string, headers: Record<string, string> = {}, path = '/api/events'): Promise<{ status: number; headers: IncomingMessage['headers']; error: unknown }> {
  const stream = await openEvents(url, path, headers);
  const status = stream.res.statusCode ?? 0;
  if (status === 200) {
    stream.close();
    return { status, headers: stream.res.headers, error: undefined };
  }
  await stream.ended;
  return { status, headers: stream.res.headers, error: (JSON.parse(stream.text()) as { error?: unknown }).error };
}
