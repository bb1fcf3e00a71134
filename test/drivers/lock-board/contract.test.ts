// Both lock-board families pass the LockBoard contract over their byte-level simulators.
import t from 'tap';
import { lockBoardContract } from './lock-board-contract.js';
import { lockRig } from './rig.js';

// Documented frames (hardware.md §3): 8a80 `8A bb ll 11 BCC`, kerong-cu `02 ll-1 31 03 (ll-1+0x36)`.
const xor = (b: number[]) => b.reduce((a, x) => a ^ x, 0);
lockBoardContract(t, '8a80', async (t) => ({
  ...(await lockRig(t, { family: '8a80' })),
  unlockFrame: (lock) => Buffer.from([0x8a, 0x01, lock, 0x11, xor([0x8a, 0x01, lock, 0x11])]),
}));
lockBoardContract(t, 'kerong-cu', async (t) => ({
  ...(await lockRig(t, { family: 'kerong-cu' })),
  unlockFrame: (lock) => Buffer.from([0x02, lock - 1, 0x31, 0x03, lock - 1 + 0x36]),
}));
