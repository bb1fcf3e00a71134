// What a Star printer in Line Mode answers to ESC ACK SOH (the ASB block), ENQ and EOT,
// computed from injected faults. Source: "STAR Line Mode Command Specifications" Appendix 2
// (ENQ status, EOT status, automatic status). The block is the 9 bytes TSP100/TSP650/
// TSP700II send: header 1 = 0x23 (9 bytes), header 2 = version 3, no extended status.
import type { PrinterFaults } from '../escpos-printer/model.js';
import { isOffline } from '../escpos-printer/status-replies.js';

export const ASB_LENGTH = 9;
const ASB_VERSION = 3;

/**
 * Header 1: bit 0 set, bits 4 and 7 clear, the block length's bits 0-2 in bits 1-3 and its
 * bits 3-4 in bits 5-6 (9 bytes: 0x23). Written here from the spec rather than taken from the driver,
 * so a misreading in the driver's decoder is not mirrored by the simulator.
 */
function asbHeader(length: number): number {
  return 0x01 | ((length & 0x07) << 1) | ((length & 0x18) << 2);
}

/** Header 2: version in bits 1–3 and 5, bit 7 clear (no extended status follows). */
function header2(version: number): number {
  return ((version & 0x07) << 1) | ((version & 0x08) << 2);
}

export function asbReply(f: PrinterFaults): Buffer {
  const block = Buffer.alloc(ASB_LENGTH);
  block[0] = asbHeader(ASB_LENGTH);
  block[1] = header2(ASB_VERSION);
  // status 1: bit 3 offline, bit 5 cover open, bit 6 offline by switch input
  block[2] = (isOffline(f) ? 0x08 : 0) | (f.coverOpen ? 0x20 : 0) | (f.offline ? 0x40 : 0);
  // status 2: bit 3 auto-cutter error
  block[3] = f.cutterError ? 0x08 : 0;
  // status 3: no head-up / jam / black-mark errors modelled
  block[4] = 0;
  // status 4: bit 2 near end (inner sensor), bit 3 paper end
  block[5] = (f.paperLow ? 0x04 : 0) | (f.paperOut ? 0x08 : 0);
  return block;
}

/** ENQ: bit 2 other errors (cover open, cutter, non-recoverable), bit 3 paper end, bit 5 receive buffer empty. */
export function enqReply(f: PrinterFaults): number {
  return 0x20 | (f.paperOut ? 0x08 : 0) | (f.coverOpen || f.cutterError ? 0x04 : 0);
}

/** EOT: bit 4 fixed 1, bit 2 near end (inner), bit 3 paper end. */
export function eotReply(f: PrinterFaults): number {
  return 0x10 | (f.paperLow ? 0x04 : 0) | (f.paperOut ? 0x08 : 0);
}
