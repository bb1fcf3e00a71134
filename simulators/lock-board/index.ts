// Byte-level lock-board simulators: a VirtualLockBus of VirtualLockBoards speaking one family.
export { VirtualLockBoard, type VirtualLockBoardOptions, type VirtualBoardFaults } from './virtual-lock-board.js';
export { VirtualLockBus, type HeardRequest } from './virtual-lock-bus.js';
export { sim8a80, type Sim8a80Options } from './sim-8a80.js';
export { simKerongCu, type SimKerongOptions } from './sim-kerong-cu.js';
export { SIM_LOCK_BOARD_FAMILIES, type SimLockBoardFamily, type SimFamilySettings } from './families.js';
export { startPtyLockBus, type PtyLockBus } from './pty-lock-bus.js';
