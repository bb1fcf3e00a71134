// The one error type of the link: a command handler throws it to answer with a specific code,
// and `request()` rejects with it. Its code is the protocol's (PROTOCOL.md "Error codes") plus
// OFFLINE, which only a request can meet: the question never left the device. A command that
// fails because a request it made was OFFLINE is answered INTERNAL (see toErrorBody).
import type { ErrorBody, ErrorCode } from '../../protocol/messages.js';

export type DeviceErrorCode = ErrorCode | 'OFFLINE';

export class DeviceError extends Error {
  readonly code: DeviceErrorCode;
  /** The error's `details` on the wire (e.g. the server's `{ reason: 'exhausted' }`). */
  readonly details: unknown;
  constructor(code: DeviceErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeviceError';
    this.code = code;
    this.details = details;
  }

  /** The ack's error body: OFFLINE is not a code a server knows, so it goes out as INTERNAL. */
  toErrorBody(): ErrorBody {
    const code: ErrorCode = this.code === 'OFFLINE' ? 'INTERNAL' : this.code;
    const message = this.code === 'OFFLINE' ? `offline: ${this.message}` : this.message;
    return { code, message, ...(this.details !== undefined ? { details: this.details } : {}) };
  }
}
