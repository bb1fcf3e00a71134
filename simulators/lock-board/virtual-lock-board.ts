// One simulated lock-control board: doors with latches and sensors, optional infrared item
// sensors, and the faults a real cabinet shows. Protocol-free: sim-8a80.ts and sim-kerong-cu.ts
// turn its state into reply bytes, and VirtualLockBus puts boards on a serial line.
//
// Door model: a closed door is latched. An unlock pulse releases the latch and the door's
// spring pushes it open (unless the lock is jammed: the pulse is acknowledged, nothing moves).
// A test closes a door again with closeDoor(), which latches it, or forces it open with
// forceOpen() (no command: tamper).
import type { SendOptions } from '../serial/virtual-device.js';

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

export class VirtualLockBoard {
  readonly address: number;
  readonly locks: number;
  readonly infrared: boolean;
  readonly faults: VirtualBoardFaults = { silent: false, dropReplies: 0, dropUnlockReplies: 0, ignoreRequests: 0, corruptReplies: 0, garbagePrefix: Buffer.alloc(0), split: undefined };
  /** Lock numbers pulsed, in order (a jammed lock is pulsed too). */
  readonly pulses: number[] = [];
  private readonly doors: boolean[];
  private readonly items: boolean[];
  private readonly jammed = new Set<number>();

  constructor(options: VirtualLockBoardOptions) {
    this.address = options.address;
    this.locks = options.locks;
    this.infrared = options.infrared ?? false;
    this.doors = Array.from({ length: options.locks }, () => false);
    this.items = Array.from({ length: options.locks }, () => false);
  }

  isOpen(lock: number): boolean {
    return this.doors[this.index(lock)] ?? false;
  }

  hasItem(lock: number): boolean {
    return this.items[this.index(lock)] ?? false;
  }

  /** Someone shuts the door; the latch catches. */
  closeDoor(lock: number): void {
    this.doors[this.index(lock)] = false;
  }

  /** The door is pried open without any command. */
  forceOpen(lock: number): void {
    this.doors[this.index(lock)] = true;
  }

  setItem(lock: number, present: boolean): void {
    this.items[this.index(lock)] = present;
  }

  /** Pulses are acknowledged but the latch does not release. */
  jam(lock: number, jammed = true): void {
    this.index(lock);
    if (jammed) this.jammed.add(lock);
    else this.jammed.delete(lock);
  }

  /** The board's own action on an unlock pulse. */
  pulse(lock: number): void {
    this.pulses.push(lock);
    if (!this.jammed.has(lock)) this.doors[this.index(lock)] = true;
  }

  hasLock(lock: number): boolean {
    return Number.isInteger(lock) && lock >= 1 && lock <= this.locks;
  }

  private index(lock: number): number {
    if (!this.hasLock(lock)) throw new RangeError(`virtual lock board ${this.address} has locks 1-${this.locks}, not ${lock}`);
    return lock - 1;
  }
}
