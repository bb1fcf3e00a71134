// The two kinds of failure of a touch-page server: it cannot start (PageServerError, thrown by
// startPageServer), or a client asked for something wrong (PageRequestError, answered as
// `status {error: message}` while the server keeps going).

export type PageServerErrorCode =
  | 'NO_PUBLIC_DIR' // the page's folder or its index.html is missing, or the shared one (hall.css)
  | 'LISTEN' // the port is taken or the address cannot be bound
  | 'ROUTES' // a plug-in names one API route twice (or uses a reserved one)
  | 'LIMITS'; // a limit is not a positive whole number, or headers may take longer than the request

export class PageServerError extends Error {
  constructor(
    readonly code: PageServerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PageServerError';
  }
}

/** A client mistake: becomes `status {error: message}` with `headers`. */
export class PageRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'PageRequestError';
  }
}

/** For an action's own checks beyond its schema: a 400 with this message. */
export function badInput(message: string): PageRequestError {
  return new PageRequestError(400, message);
}
