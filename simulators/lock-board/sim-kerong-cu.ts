// A simulated Kerong KR-CU12/CU16 (see drivers/lock-board/frame-kerong-cu.ts for the sources),
// written apart from the driver's codec on purpose. Boards answer 0x31 (unlock) and 0x30
// (status) with a 0x35 status frame and 0x32 (status all) with 0x36, 9 bytes each:
// 02 ADDR CMD L1 L2 I1 I2 03 SUM; lock-hook bit 1 = closed, infrared bit 1 = item present.
import { flipLastByte, takeFixed, type SimProtocol, type SimRequest } from './sim-protocol.js';
import type { VirtualLockBoard, VirtualRequestKind } from './virtual-lock-board.js';

export interface SimKerongOptions {
  /** What the hook bit means: default 'set-is-closed' (the driver's default). */
  polarity?: 'set-is-open' | 'set-is-closed';
}

const REQUEST_KINDS = new Map<number, VirtualRequestKind>([
  [0x31, 'unlock'],
  [0x30, 'status'],
  [0x32, 'status-all'],
]);
const sum = (bytes: number[]): number => bytes.reduce((a, b) => a + b, 0) & 0xff;
const withSum = (bytes: number[]): Buffer => Buffer.from([...bytes, sum(bytes)]);

export function simKerongCu(options: SimKerongOptions = {}): SimProtocol {
  const setIsClosed = (options.polarity ?? 'set-is-closed') === 'set-is-closed';
  const statusFrame = (board: VirtualLockBoard, addr: number, cmd: number): Buffer => {
    let hooks = 0;
    let infrared = 0;
    for (let lock = 1; lock <= Math.min(board.locks, 16); lock++) {
      if (board.isOpen(lock) !== setIsClosed) hooks |= 1 << (lock - 1);
      if (board.infrared && board.hasItem(lock)) infrared |= 1 << (lock - 1);
    }
    return withSum([0x02, addr, cmd, hooks & 0xff, hooks >> 8, infrared & 0xff, infrared >> 8, 0x03]);
  };
  return {
    name: 'kerong-cu',
    take: (rx) =>
      takeFixed(rx, 5, [0x02], (f): SimRequest | undefined => {
        if (f[3] !== 0x03 || sum([...f.subarray(0, 4)]) !== f[4]) return undefined;
        const addr = f[1] ?? 0;
        const address = addr >> 4;
        const lock = (addr & 0x0f) + 1;
        const kind = REQUEST_KINDS.get(f[2] ?? -1);
        return kind ? { address, kind, lock: kind === 'status-all' ? 0 : lock, bytes: f } : undefined;
      }),
    reply(board, request) {
      const addr = request.bytes[1] ?? 0;
      switch (request.kind) {
        case 'unlock':
          if (!board.hasLock(request.lock)) return undefined;
          board.pulse(request.lock);
          return statusFrame(board, addr, 0x35);
        case 'status':
          return board.hasLock(request.lock) ? statusFrame(board, addr, 0x35) : undefined;
        case 'status-all':
          return statusFrame(board, addr, 0x36);
      }
    },
    corrupt: flipLastByte,
  };
}
