// mock-firmata as the Firmata backend's IO, instrumented: the pin modes and writes it was
// given, and the digitalRead callbacks through which a test reports input levels.
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { loadJohnnyFive, type FirmataIo } from '../../drivers/gpio/firmata-backend.js';

/** mock-firmata has no type declarations: this is the part of its object the test touches. */
export interface MockIo extends Omit<FirmataIo, 'on'>, EventEmitter {
  isReady: boolean;
  pinMode(pin: number, mode: number): void;
  digitalRead(pin: number, cb: (value: number) => void): void;
  digitalWrite(pin: number, value: number): void;
}
export const { Firmata: MockFirmata } = createRequire(import.meta.url)('mock-firmata') as { Firmata: new () => MockIo };

// Loaded once up front so a test on fake time does not wait for the real import.
export const five = await loadJohnnyFive();

/** What a real Firmata IO does once the handshake is over; J5 is listening by then. */
export function announceReady(io: MockIo): void {
  setImmediate(() => {
    io.emit('connect');
    io.emit('ready');
  });
}

export function instrumented() {
  const io = new MockFirmata();
  const modes: Array<[number, number]> = [];
  const writes: Array<[number, number]> = [];
  const readers = new Map<number, (value: number) => void>();
  io.pinMode = (pin, mode) => void modes.push([pin, mode]);
  io.digitalRead = (pin, cb) => void readers.set(pin, cb);
  io.digitalWrite = (pin, value) => void writes.push([pin, value]);
  return { io, modes, writes, readers };
}
