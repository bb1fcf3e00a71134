// The one error type of the link: a command handler throws it to answer with a specific code,
// and `request()` rejects with it. Its code is the protocol's (docs/protocol.md "Error codes") plus
// two only a request can meet: OFFLINE (the question never left the device) and BAD_RESPONSE
// (the server's answer does not fit the role's wire contract). A command that fails because
// a request it made met either is answered INTERNAL (see toErrorBody).
import type { ErrorBody, ErrorCode } from '../../protocol/messages.js';

export type DeviceErrorCode = ErrorCode | 'OFFLINE' | 'BAD_RESPONSE';

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

  /** The ack's error body: OFFLINE and BAD_RESPONSE are not codes a server knows, so they go out as INTERNAL. */
  toErrorBody(): ErrorBody {
    const requestOnly = this.code === 'OFFLINE' || this.code === 'BAD_RESPONSE';
    const code: ErrorCode = requestOnly ? 'INTERNAL' : this.code;
    const message = requestOnly ? `${this.code === 'OFFLINE' ? 'offline' : 'bad response'}: ${this.message}` : this.message;
    return { code, message, ...(this.details !== undefined ? { details: this.details } : {}) };
  }
}
