// Bootstrap HAL factory: a board with no configured parts (the sim board's clock and a silent
// speaker). The full factory with GPIO/serial/I2C/speaker backends replaces it.
import type { Clock, DigitalInput, DigitalOutput, Hal, I2cDevice, SerialLink, Speaker } from './types.js';
import { HalError } from './types.js';

export interface CreateHalOptions {
  board: string;
  io?: unknown;
  clock?: Clock;
}

const systemClock: Clock = { now: () => Date.now(), monotonicMs: () => performance.now() };

export async function createHal(options: CreateHalOptions): Promise<Hal> {
  const missing = (kind: string, name: string): never => {
    throw new HalError('NOT_CONFIGURED', `no ${kind} named "${name}" is configured`);
  };
  const speaker: Speaker = { beep: async () => undefined, say: async () => undefined, close: async () => undefined };
  return {
    board: options.board,
    clock: options.clock ?? systemClock,
    input: (name): DigitalInput => missing('input', name),
    output: (name): DigitalOutput => missing('output', name),
    serial: async (name): Promise<SerialLink> => missing('serial port', name),
    i2c: async (name): Promise<I2cDevice> => missing('i2c device', name),
    speaker: () => speaker,
    describe: () => ({ inputs: [], outputs: [], serial: [], i2c: [] }),
    selfTest: async () => [],
    close: async () => undefined,
  };
}
