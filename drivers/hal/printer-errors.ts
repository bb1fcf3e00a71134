// Errors a ticket-printer role can branch on; both are HalErrors, so `code` works as everywhere else.
import { HalError } from './hal-error.js';
import type { PrinterFault, PrinterStatus } from './printer-status.js';

/** The printer answered but cannot print now; nothing was sent. */
export class PrinterNotReadyError extends HalError {
  readonly status: PrinterStatus;
  readonly faults: PrinterFault[];
  constructor(status: PrinterStatus) {
    const reasons = status.faults.filter((f) => f !== 'paper-low');
    super('UNAVAILABLE', `printer not ready: ${reasons.length > 0 ? reasons.join(', ') : 'error reported'}`);
    this.name = 'PrinterNotReadyError';
    this.status = status;
    this.faults = status.faults;
  }
}

/** A template that does not validate, or a placeholder without a value. */
export class TemplateError extends HalError {
  /** "path: message" lines, or the placeholder names that had no value. */
  readonly details: string[];
  constructor(message: string, details: string[] = [], options?: { cause?: unknown }) {
    super('BAD_CONFIG', details.length > 0 ? `${message}: ${details.join('; ')}` : message, options);
    this.name = 'TemplateError';
    this.details = details;
  }
}
