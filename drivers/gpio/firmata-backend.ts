// GPIO on an Arduino running StandardFirmata, through johnny-five (rwaldron/johnny-five,
// lib/board.js) with an IO object from firmata-io (firmata/firmata.js; protocol:
// https://github.com/firmata/protocol/blob/master/protocol.md). johnny-five and firmata-io are
// optional native-free packages, imported only when this backend is chosen. The IO object is built by an
// injectable factory: on a board it is firmata-io over OUR serialport 13 port
// (firmata-transport.ts), in tests mock-firmata.
import { HalError } from '../hal/types.js';
import type { InputSpec, OutputSpec } from '../hal/part-specs.js';
import type { TimerHandle } from '../clock/timers.js';
import { DebouncedInput } from './debounced-input.js';
import { LineOutput } from './line-output.js';
import { failedParts } from './failed-parts.js';
import { levelFor, type GpioBackend, type GpioContext, type GpioParts } from './gpio-backend.js';

/** The Firmata IO surface used here (rwaldron/io-plugins); firmata-io and mock-firmata both fit. */
export interface FirmataIo {
  readonly MODES: Readonly<Record<string, number | undefined>>;
  readonly isReady: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** firmata-io keeps its transport here; closed by close(). */
  transport?: { close?(callback?: (err?: Error | null) => void): void; isOpen?: boolean };
}

/** The part of a johnny-five Board used here. */
export interface JohnnyFiveBoard {
  on(event: 'ready', listener: () => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  pinMode(pin: number, mode: number): unknown;
  digitalRead(pin: number, handler: (value: number) => void): unknown;
  digitalWrite(pin: number, value: number): unknown;
}

export interface JohnnyFive {
  Board: new (options: { io: FirmataIo; repl: false; debug: false; sigint: false; timeout: number }) => JohnnyFiveBoard;
}

export type FirmataIoFactory = (port: { path: string; baudRate: number }) => Promise<FirmataIo>;

/** johnny-five has no type declarations; the module is narrowed to the interface above. */
export async function loadJohnnyFive(): Promise<JohnnyFive> {
  const specifier = 'johnny-five'; // a variable, so tsc does not look for its (absent) types
  try {
    const mod = (await import(specifier)) as { default?: JohnnyFive } & Partial<JohnnyFive>;
    const five = mod.default ?? (mod as JohnnyFive);
    if (typeof five.Board !== 'function') throw new Error('no Board export');
    return five;
  } catch (err) {
    throw new HalError('UNAVAILABLE', `johnny-five is not installed or failed to load: ${(err as Error).message}`, { cause: err });
  }
}

export interface FirmataBackendOptions {
  ctx: GpioContext;
  port: { path: string; baudRate: number };
  readyTimeoutMs: number;
  openIo: FirmataIoFactory;
  loadJohnnyFive?: () => Promise<JohnnyFive>;
}

export class FirmataGpioBackend implements GpioBackend {
  readonly kind = 'firmata' as const;
  constructor(private readonly options: FirmataBackendOptions) {}

  async open(inputs: readonly InputSpec[], outputs: readonly OutputSpec[]): Promise<GpioParts> {
    const { ctx, port, readyTimeoutMs } = this.options;
    let io: FirmataIo | undefined;
    let board: JohnnyFiveBoard;
    try {
      const five = await (this.options.loadJohnnyFive ?? loadJohnnyFive)();
      io = await this.options.openIo(port);
      const created = new five.Board({ io, repl: false, debug: false, sigint: false, timeout: readyTimeoutMs });
      board = created;
      await this.ready(created);
    } catch (err) {
      closeTransport(io);
      return failedParts('firmata', inputs, outputs, err instanceof HalError ? err : new HalError('UNAVAILABLE', `Firmata board on ${port.path}: ${(err as Error).message}`, { cause: err }));
    }
    const firmata = io;

    let lost: string | undefined;
    const all: DebouncedInput[] = [];
    firmata.on('close', () => markLost('the Firmata port closed'));
    firmata.on('disconnect', () => markLost('the Firmata board was disconnected'));
    board.on('error', (err) => markLost(`Firmata error: ${(err as Error)?.message ?? String(err)}`));
    function markLost(why: string): void {
      lost = why;
      for (const input of all) input.markFault(why);
    }

    const data = { backend: 'firmata', port: port.path };
    const parts: GpioParts = { backend: 'firmata', inputs: new Map(), outputs: new Map(), close: async () => closeTransport(firmata) };
    const { INPUT = 0, OUTPUT = 1, PULLUP } = firmata.MODES;
    for (const spec of inputs) {
      // AVR has pull-ups only; "down" needs a resistor on the board.
      const note = spec.pull === 'down' ? { pull: 'not applied: Firmata boards have no pull-down' } : {};
      const input = new DebouncedInput(spec, ctx, { data: () => ({ ...data, ...note }) });
      all.push(input);
      board.pinMode(spec.line, spec.pull === 'up' && PULLUP !== undefined ? PULLUP : INPUT);
      // Firmata reports whole ports, so the same level can arrive repeatedly; the debounce ignores repeats.
      board.digitalRead(spec.line, (value) => input.edge(value ? 1 : 0));
      parts.inputs.set(spec.name, input);
    }
    for (const spec of outputs) {
      board.pinMode(spec.line, OUTPUT);
      board.digitalWrite(spec.line, levelFor(spec.initial, spec.activeLow));
      parts.outputs.set(
        spec.name,
        new LineOutput(spec, {
          write: async (level) => {
            if (lost) throw new HalError('UNAVAILABLE', lost);
            board.digitalWrite(spec.line, level);
          },
          close: async () => undefined,
          fault: () => lost,
          data: () => data,
        }),
      );
    }
    return parts;
  }

  private ready(board: JohnnyFiveBoard): Promise<void> {
    const { ctx, port, readyTimeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      let timer: TimerHandle | undefined = ctx.timers.setTimeout(() => {
        timer = undefined;
        reject(new HalError('TIMEOUT', `no Firmata handshake from ${port.path} within ${readyTimeoutMs} ms (is StandardFirmata flashed, and the baud rate ${port.baudRate}?)`));
      }, readyTimeoutMs);
      const done = (err?: unknown): void => {
        if (timer === undefined) return;
        ctx.timers.clearTimeout(timer);
        timer = undefined;
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve();
      };
      board.on('ready', () => done());
      board.on('error', (err) => done(err ?? new Error('Firmata board error')));
    });
  }
}

function closeTransport(io: FirmataIo | undefined): void {
  const transport = io?.transport;
  if (transport?.close && transport.isOpen !== false) {
    try {
      transport.close(() => undefined);
    } catch {
      // Already closed: nothing to release.
    }
  }
}
