// The page's Server-Sent Events: every open stream gets what the plug-in sends, a keep-alive
// comment every keepAliveMs, and ends on close(). The board's own screen (its browser holds the
// per-boot screen token, screen-token.ts) has a pool of its own: other local clients holding
// streams cannot take its place. Of those others at most maxStreams are open: one more is refused
// with 503 and Retry-After (EventSource reconnects by itself later). Of the screen's at most
// maxScreenStreams: one more ends the oldest (a reloaded page leaves its old stream behind).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Timers } from '../../drivers/clock/timers.js';
import type { Logger } from '../log.js';
import { PageRequestError } from './page-errors.js';

/** Sends one named event with JSON data to one stream. */
export type SendEvent = (event: string, data: unknown) => void;
/**
 * A plug-in's stream: send the current state at once and every later change; return the
 * unsubscribe. Listen first, then send the state: nothing can change in between (one thread).
 */
export type Subscribe = (send: SendEvent) => () => void;

export interface EventHubOptions {
  timers: Timers;
  keepAliveMs: number;
  /** How long the browser waits before reconnecting a dropped stream (also the Retry-After of a refusal). */
  retryMs: number;
  maxStreams: number;
  /** Streams of the screen's own browser at most; a new one ends the oldest. */
  maxScreenStreams: number;
  log?: Logger | undefined;
}

export class EventHub {
  private readonly streams = new Set<ServerResponse>();
  /** The screen's streams, oldest first (a Set keeps insertion order). */
  private readonly screenStreams = new Set<ServerResponse>();
  private closing = false;

  constructor(private readonly options: EventHubOptions) {}

  get size(): number {
    return this.streams.size + this.screenStreams.size;
  }

  /** Turns the response into an event stream; throws a PageRequestError when full or closing. */
  open(req: IncomingMessage, res: ServerResponse, subscribe: Subscribe, screen = false): void {
    if (this.closing) throw new PageRequestError(503, 'the page server is shutting down');
    const { maxStreams, retryMs, timers, log } = this.options;
    const pool = screen ? this.screenStreams : this.streams;
    if (screen) {
      for (const oldest of this.screenStreams) {
        if (this.screenStreams.size < this.options.maxScreenStreams) break;
        this.screenStreams.delete(oldest);
        oldest.end();
      }
    } else if (this.streams.size >= maxStreams) {
      throw new PageRequestError(503, `too many event streams: ${this.streams.size} are open, at most ${maxStreams}; try again later`, {
        'Retry-After': String(Math.ceil(retryMs / 1000)),
      });
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true);
    // A stream is quiet between changes by design: the idle timeout is for other sockets.
    req.socket.setTimeout(0);
    pool.add(res);
    const send: SendEvent = (event, data) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const keepAlive = timers.setInterval(() => {
      if (!res.writableEnded) res.write(': keep-alive\n\n');
    }, this.options.keepAliveMs);
    let unsubscribe = () => {};
    let cleaned = false;
    const cleanup = () => {
      if (cleaned) return;
      cleaned = true;
      timers.clearInterval(keepAlive);
      unsubscribe();
      pool.delete(res);
      log?.debug({ open: this.size, screen }, 'event stream closed');
    };
    res.on('close', cleanup);
    req.on('close', cleanup);
    res.write(`retry: ${retryMs}\n\n`);
    unsubscribe = subscribe(send);
    log?.debug({ open: this.size, screen }, 'event stream opened');
  }

  /** Ends every stream and refuses new ones. */
  close(): void {
    this.closing = true;
    for (const res of [...this.streams, ...this.screenStreams]) res.end();
    this.streams.clear();
    this.screenStreams.clear();
  }
}
