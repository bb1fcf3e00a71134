// Real-time status of a printer in Star Line Mode: send ESC ACK SOH, read the automatic status
// (ASB) block it answers with, decode it into the same PrinterStatus as DLE EOT.
// Source: "STAR Line Mode Command Specifications", ESC ACK SOH (3.3.x "Status") and Appendix 2
// "Automatic Status" — header 1 (bit 0 = 1, bits 4 and 7 = 0; bits 1–3, 5–6 give the block
// length), header 2 (bits 1–3, 5 the version; bit 7 = an extended status follows: a 2-byte
// little-endian length, then that many bytes), then printer status 1… (typically 9 bytes,
// header 0x23, on TSP100/TSP650/TSP700II). The printer answers at once, from the receive
// interrupt, also offline; send the next request only after the whole block arrived.
// Field-by-field mapping and what is assumed about real hardware: README.md in this folder.
import { HalError } from '../../hal/types.js';
import { ReplyReader } from '../reply-reader.js';
import type { PrinterStatus } from '../../hal/ticket-printer.js';
import { statusFromFlags } from '../status-decoder.js';
import { STATUS_REQUEST } from './star-commands.js';

/** Header, header 2, printer status 1–4: the least a block must carry to say paper-out. */
export const MIN_ASB_LENGTH = 6;

// Printer status 1 (byte 3)
const S1_OFFLINE = 0x08;
const S1_COVER_OPEN = 0x20;
// Printer status 2 (byte 4): error information
const S2_MECHANICAL = 0x04;
const S2_AUTOCUTTER = 0x08;
const S2_UNRECOVERABLE = 0x20;
const S2_HEAD_TOO_HOT = 0x40;
// Printer status 3 (byte 5): head up / voltage (bit 1), presenter paper jam (bit 2), black-mark error (bit 3)
const S3_ERRORS = 0x0e;
// Printer status 4 (byte 6): paper
const S4_NEAR_END_OUTER = 0x02;
const S4_NEAR_END_INNER = 0x04;
const S4_PAPER_END = 0x08;
const HEADER2_EXTENDED = 0x80;

/** True for a byte shaped like ASB header 1 (XON 0x11 / XOFF 0x13 have bit 4 set, EOT replies bit 0 clear). */
export function isAsbHeader(byte: number): boolean {
  return (byte & 0x91) === 0x01;
}

/** Bytes in the block, header included, as header 1 encodes it. */
export function asbLength(header: number): number {
  return ((header & 0x0e) >> 1) | ((header & 0x60) >> 2);
}

/** Header 1 for a block of `length` bytes (2–31). */
export function asbHeader(length: number): number {
  return 0x01 | ((length & 0x07) << 1) | ((length & 0x18) << 2);
}

/**
 * Decodes one ASB block. The DLE EOT–shaped `raw` carries printer status 1–4:
 * printer = status 1 (online, cover), offlineCause = status 2 (errors), errorCause = status 3,
 * paperSensor = status 4 (paper end, near end).
 */
export function decodeStarStatus(asb: Uint8Array): PrinterStatus {
  const header = asb[0] ?? 0;
  if (!isAsbHeader(header) || asbLength(header) < MIN_ASB_LENGTH || asb.length < MIN_ASB_LENGTH) {
    throw new HalError('IO', `not a Star automatic status block: ${Buffer.from(asb).toString('hex')}`);
  }
  const s1 = asb[2] ?? 0;
  const s2 = asb[3] ?? 0;
  const s3 = asb[4] ?? 0;
  const s4 = asb[5] ?? 0;
  const online = (s1 & S1_OFFLINE) === 0;
  const coverOpen = (s1 & S1_COVER_OPEN) !== 0;
  const paperOut = (s4 & S4_PAPER_END) !== 0;
  const paperLow = (s4 & (S4_NEAR_END_INNER | S4_NEAR_END_OUTER)) !== 0;
  const cutterError = (s2 & S2_AUTOCUTTER) !== 0;
  const mechanicalError = (s2 & S2_MECHANICAL) !== 0;
  const unrecoverableError = (s2 & S2_UNRECOVERABLE) !== 0;
  const autoRecoverableError = (s2 & S2_HEAD_TOO_HOT) !== 0;
  const errorOccurred = (s3 & S3_ERRORS) !== 0;

  return statusFromFlags(
    {
      online,
      coverOpen,
      paperOut,
      paperLow,
      cutterError,
      mechanicalError,
      unrecoverableError,
      autoRecoverableError,
      errorOccurred,
      feedButtonPressed: false, // ASB has no feed-button bit; status 1 bit 6 is "offline by switch" (→ offline)
    },
    { printer: s1, offlineCause: s2, errorCause: s3, paperSensor: s4 },
  );
}

/** Collects one ASB block from arbitrary chunks. */
class AsbAssembler {
  private bytes: number[] = [];
  private needed = 0;
  private extendedLengthAt = -1;

  reset(): void {
    this.bytes = [];
    this.needed = 0;
    this.extendedLengthAt = -1;
  }

  /** Takes one byte; returns the block when it is complete. Bytes before a header are not taken (false). */
  push(byte: number): Buffer | false | null {
    if (this.bytes.length === 0) {
      if (!isAsbHeader(byte) || asbLength(byte) < MIN_ASB_LENGTH) return false;
      this.bytes.push(byte);
      this.needed = asbLength(byte);
      return null;
    }
    this.bytes.push(byte);
    const at = this.bytes.length;
    if (at === 2 && (byte & HEADER2_EXTENDED) !== 0) {
      this.extendedLengthAt = this.needed;
      this.needed += 2;
    }
    if (this.extendedLengthAt >= 0 && at === this.extendedLengthAt + 2) {
      this.needed += (this.bytes[this.extendedLengthAt] ?? 0) + 256 * (this.bytes[this.extendedLengthAt + 1] ?? 0);
    }
    if (at < this.needed) return null;
    const block = Buffer.from(this.bytes);
    this.reset();
    return block;
  }
}

export class StarStatusReader extends ReplyReader<Buffer> {
  private readonly assembler = new AsbAssembler();

  protected onByte(byte: number): void {
    if (!this.pending.waiting) {
      this.strayBytes += 1;
      return;
    }
    const block = this.assembler.push(byte);
    if (block === false) this.strayBytes += 1; // XON/XOFF, noise before the header
    else if (block) this.pending.settle(block);
  }

  /** One ESC ACK SOH round trip; resolves with the raw block. Callers must not overlap requests. */
  query(): Promise<Buffer> {
    if (!this.pending.waiting) this.assembler.reset(); // a second request is refused below, without touching the first's block
    return this.pending.request(STATUS_REQUEST, 'ESC ACK SOH');
  }

  async read(): Promise<PrinterStatus> {
    return decodeStarStatus(await this.query());
  }
}
