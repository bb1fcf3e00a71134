// A simulated "8a80" board family (see drivers/lock-board/frame-8a80.ts for the sources),
// written apart from the driver's codec on purpose: a checksum or layout mistake in one is
// caught by the other, and by the byte fixtures both are tested against.
import { flipLastByte, takeFixed, type SimProtocol, type SimRequest } from './sim-protocol.js';
import type { VirtualLockBoard } from './virtual-lock-board.js';

export interface Sim8a80Options {
  /** What the board's sensor bit means: default 'set-is-open' (the driver's default). */
  polarity?: 'set-is-open' | 'set-is-closed';
  /** Status bytes in the query-all reply: 3 on 24-channel firmware, and on the 8-channel board Open-Locker captured. */
  statusBytes?: number;
  /** Which status byte holds channels 1-8: default 'ch1-last'. */
  statusByteOrder?: 'ch1-last' | 'ch1-first';
}

const xor = (bytes: number[]): number => bytes.reduce((a, b) => a ^ b, 0);
const withBcc = (bytes: number[]): Buffer => Buffer.from([...bytes, xor(bytes)]);

export function sim8a80(options: Sim8a80Options = {}): SimProtocol {
  const setIsOpen = (options.polarity ?? 'set-is-open') === 'set-is-open';
  const statusBytes = options.statusBytes ?? 3;
  const sensorBit = (board: VirtualLockBoard, lock: number): boolean => board.isOpen(lock) === setIsOpen;
  return {
    name: '8a80',
    take: (rx) =>
      takeFixed(rx, 5, [0x8a, 0x80], (f): SimRequest | undefined => {
        if (xor([...f.subarray(0, 4)]) !== f[4]) return undefined;
        const [head, address = 0, lock = 0, cmd] = f;
        if (head === 0x8a && cmd === 0x11) return { address, kind: 'unlock', lock, bytes: f };
        if (head === 0x80 && cmd === 0x33) return lock === 0 ? { address, kind: 'status-all', lock: 0, bytes: f } : { address, kind: 'status', lock, bytes: f };
        return undefined;
      }),
    reply(board, request) {
      switch (request.kind) {
        case 'unlock':
          if (!board.hasLock(request.lock)) return undefined;
          board.pulse(request.lock);
          return withBcc([0x8a, board.address, request.lock, sensorBit(board, request.lock) ? 0x11 : 0x00]);
        case 'status':
          if (!board.hasLock(request.lock)) return undefined;
          return withBcc([0x80, board.address, request.lock, sensorBit(board, request.lock) ? 0x11 : 0x00]);
        case 'status-all': {
          const groups = Array.from({ length: statusBytes }, () => 0);
          for (let lock = 1; lock <= Math.min(board.locks, statusBytes * 8); lock++) {
            const group = Math.floor((lock - 1) / 8);
            if (sensorBit(board, lock)) groups[group] = (groups[group] ?? 0) | (1 << ((lock - 1) % 8));
          }
          const ordered = options.statusByteOrder === 'ch1-first' ? groups : [...groups].reverse();
          return withBcc([0x80, board.address, ...ordered, 0x33]);
        }
      }
    },
    corrupt: flipLastByte,
  };
}
