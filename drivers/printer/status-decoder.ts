// Decoding of DLE EOT n replies. Source: Epson ESC/POS Command Reference "DLE EOT — Transmit
// real-time status" (TM-T88III / TM-L60II tables), cross-checked with Samsung/Bixolon SRP-350,
// Citizen iDP-3221 and HPRT TP809 manuals; summary in docs/hardware.md, "ESC/POS ticket printers".
// Every reply byte has bit 1 = 1, bit 4 = 1 and bit 7 = 0.
import type { PrinterFault, PrinterStatus } from '../hal/ticket-printer.js';

const STATUS_BYTE_MASK = 0x93;
const STATUS_BYTE_FIXED_BITS = 0x12;

/** True for a byte shaped like a DLE EOT reply; anything else in the RX stream (XON/XOFF, GS r replies) is not one. */
export function isStatusByte(byte: number): boolean {
  return (byte & STATUS_BYTE_MASK) === STATUS_BYTE_FIXED_BITS;
}

// n = 1, printer status
const PRINTER_OFFLINE = 0x08;
const PRINTER_FEED_BUTTON = 0x40;
// n = 2, offline cause
const OFFLINE_COVER_OPEN = 0x04;
const OFFLINE_FEED_BUTTON = 0x08;
const OFFLINE_PAPER_END_STOP = 0x20;
const OFFLINE_ERROR = 0x40;
// n = 3, error cause
const ERROR_MECHANICAL = 0x04;
const ERROR_AUTOCUTTER = 0x08;
const ERROR_UNRECOVERABLE = 0x20;
const ERROR_AUTO_RECOVERABLE = 0x40;
// n = 4, roll paper sensor
const PAPER_NEAR_END = 0x0c;
const PAPER_END = 0x60;

export interface StatusReplies {
  printer: number;
  offlineCause: number;
  /** null when DLE EOT 3 was not sent (some 58 mm printers implement only n = 1, 2). */
  errorCause: number | null;
  /** null when DLE EOT 4 was not sent. */
  paperSensor: number | null;
}

export function decodeStatus(replies: StatusReplies): PrinterStatus {
  const { printer, offlineCause } = replies;
  const errorCause = replies.errorCause ?? STATUS_BYTE_FIXED_BITS;
  const paperSensor = replies.paperSensor ?? STATUS_BYTE_FIXED_BITS;
  const online = (printer & PRINTER_OFFLINE) === 0;
  const coverOpen = (offlineCause & OFFLINE_COVER_OPEN) !== 0;
  const paperOut = (offlineCause & OFFLINE_PAPER_END_STOP) !== 0 || (paperSensor & PAPER_END) !== 0;
  const paperLow = (paperSensor & PAPER_NEAR_END) !== 0;
  const cutterError = (errorCause & ERROR_AUTOCUTTER) !== 0;
  const mechanicalError = (errorCause & ERROR_MECHANICAL) !== 0;
  const unrecoverableError = (errorCause & ERROR_UNRECOVERABLE) !== 0;
  const autoRecoverableError = (errorCause & ERROR_AUTO_RECOVERABLE) !== 0;
  const errorOccurred = (offlineCause & OFFLINE_ERROR) !== 0;
  const feedButtonPressed = (printer & PRINTER_FEED_BUTTON) !== 0 || (offlineCause & OFFLINE_FEED_BUTTON) !== 0;

  return statusFromFlags(
    { online, coverOpen, paperOut, paperLow, cutterError, mechanicalError, unrecoverableError, autoRecoverableError, errorOccurred, feedButtonPressed },
    { printer, offlineCause, errorCause: replies.errorCause, paperSensor: replies.paperSensor },
  );
}

/** The condition bits of a status reply, whatever command set it came from. */
export type StatusFlags = Omit<PrinterStatus, 'ready' | 'faults' | 'raw'>;

/** What the bits mean for printing: the `printer.fault` names and whether a ticket may go out. */
export function statusFromFlags(flags: StatusFlags, raw: PrinterStatus['raw']): PrinterStatus {
  const { online, coverOpen, paperOut, paperLow, cutterError, mechanicalError, unrecoverableError, autoRecoverableError, errorOccurred } = flags;
  const faults: PrinterFault[] = [];
  if (paperOut) faults.push('paper-out');
  if (paperLow) faults.push('paper-low');
  if (coverOpen) faults.push('cover-open');
  if (cutterError) faults.push('cutter');
  if (!online && !paperOut && !coverOpen && !cutterError) faults.push('offline');
  const ready =
    online && !coverOpen && !paperOut && !cutterError && !mechanicalError && !unrecoverableError && !autoRecoverableError && !errorOccurred;
  return { ...flags, ready, faults, raw };
}
