// The bytes a printer answers to DLE EOT n and GS r n, computed from injected faults.
// Source: Epson ESC/POS Command Reference "DLE EOT" and "GS r" (TM-T88III tables); the
// examples in docs/hardware.md, "ESC/POS ticket printers" (healthy 0x12; paper out 0x72 on n=4, 0x32 on n=2; cover open 0x16 on n=2).
import type { PrinterFaults } from './model.js';

const FIXED_BITS = 0x12;

/** True when the printer stops printing: it goes offline for paper out, cover open, cutter error, or the offline fault. */
export function isOffline(f: PrinterFaults): boolean {
  return f.paperOut || f.coverOpen || f.cutterError || f.offline;
}

/** DLE EOT n reply, or null for an n the printer does not answer. */
export function realTimeStatusByte(n: number, f: PrinterFaults): number | null {
  switch (n) {
    case 1: // printer status: bit 3 offline
      return FIXED_BITS | (isOffline(f) ? 0x08 : 0);
    case 2: // offline cause: bit 2 cover open, bit 5 stopped by paper end, bit 6 error occurred
      return FIXED_BITS | (f.coverOpen ? 0x04 : 0) | (f.paperOut ? 0x20 : 0) | (f.cutterError ? 0x40 : 0);
    case 3: // error cause: bit 3 auto-cutter error
      return FIXED_BITS | (f.cutterError ? 0x08 : 0);
    case 4: // roll paper sensor: bits 2,3 near end, bits 5,6 paper end
      return FIXED_BITS | (f.paperLow ? 0x0c : 0) | (f.paperOut ? 0x60 : 0);
    default:
      return null;
  }
}

/** GS r n reply (not real-time: only answered while online). n = 1/49 paper sensor, 2/50 drawer. */
export function transmitStatusByte(n: number, f: PrinterFaults): number | null {
  if (n === 1 || n === 49) return (f.paperLow ? 0x03 : 0) | (f.paperOut ? 0x0c : 0);
  if (n === 2 || n === 50) return 0x00;
  return null;
}
