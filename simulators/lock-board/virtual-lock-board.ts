// One simulated lock-control board: doors with latches and sensors, optional infrared item
// sensors, and the faults a real cabinet shows. Protocol-free: sim-8a80.ts and sim-kerong-cu.ts
// turn its state into reply bytes, and VirtualLockBus puts boards on a serial line.
//
// The doors themselves are a DoorBank (door-bank.ts), shared with the relay cabinet.
import type { SendOptions } from '../serial/virtual-device.js';
import { DoorBank } from './door-bank.js';

export interface VirtualLockBoardOptions {
  address: number;
  locks: number;
  /** Board has infrared item sensors (Kerong CU16 does; 8a80 boards do not). Default false. */
  infrared?: boolean;
}

export interface VirtualBoardFaults {
  /** The board is dead or unplugged from the bus: it neither hears nor answers. */
  silent: boolean;
  /** The next n requests are heard and executed, but their replies are lost. */
  dropReplies: number;
  /** The same for the next n unlock requests only (status queries around them are answered). */
  dropUnlockReplies: number;
  /** The next n requests are lost on the way in: not executed, not answered. */
  ignoreRequests: number;
  /** The next n replies go out with a wrong checksum (the request is executed). */
  corruptReplies: number;
  /** Sent before every reply (line noise, a board that prepends junk). */
  garbagePrefix: Buffer;
  /** How every reply is cut into chunks on the way to the host. */
  split: SendOptions | undefined;
}

export type VirtualRequestKind = 'unlock' | 'status' | 'status-all';

export class VirtualLockBoard extends DoorBank {
  readonly address: number;
  readonly infrared: boolean;
  readonly faults: VirtualBoardFaults = { silent: false, dropReplies: 0, dropUnlockReplies: 0, ignoreRequests: 0, corruptReplies: 0, garbagePrefix: Buffer.alloc(0), split: undefined };

  constructor(options: VirtualLockBoardOptions) {
    super(options.locks, `virtual lock board ${options.address}`);
    this.address = options.address;
    this.infrared = options.infrared ?? false;
  }
}
