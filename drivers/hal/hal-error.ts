// The one error type of the HAL. Every implementation (driver or simulator) rejects with a
// HalError, so a role branches on `code` without knowing which part failed or how.

export type HalErrorCode =
  | 'NOT_CONFIGURED' // the config names no such part
  | 'UNAVAILABLE' // the part or its driver package is missing on this machine
  | 'IO' // a read/write failed
  | 'CLOSED' // used after close
  | 'TIMEOUT'
  | 'BAD_CONFIG';

/** Every HAL failure carries a code a caller can branch on and the underlying cause. */
export class HalError extends Error {
  readonly code: HalErrorCode;
  constructor(code: HalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HalError';
    this.code = code;
  }
}
