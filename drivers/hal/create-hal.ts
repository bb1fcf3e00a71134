// The HAL factory: board definition + io section → a Hal. The board (or backendOverride)
// picks the GPIO backend; each backend module, and each native package under it (onoff,
// i2c-bus, johnny-five, firmata-io), is imported only when chosen, so the runtime starts on
// any machine. A part that cannot be opened becomes a failed self-test result, not a crash;
// a config that cannot work (unknown pin, line used twice) is rejected with BAD_CONFIG.
import type { Hal, Clock, SerialLink } from './types.js';
import { HalError } from './types.js';
import type { BoardDefinition, GpioBackendKind } from './config-schema.js';
import { parseIoConfig, resolveIo, type ResolvedIo, type SerialSpec } from './resolve-io.js';
import { AssembledHal, type ProbingI2cDevice } from './assembled-hal.js';
import { warnListenerError } from './listener-error.js';
import type { SelfChecking } from './part-health.js';
import { systemClock } from '../clock/system-clock.js';
import { globalTimers, type Timers } from '../clock/timers.js';
import { spawnRunner, type CommandRunner } from '../process/command-runner.js';
import type { GpioBackend, GpioContext } from '../gpio/gpio-backend.js';
import type { SysfsGpioFactory } from '../gpio/sysfs-backend.js';
import type { FirmataIoFactory, JohnnyFive } from '../gpio/firmata-backend.js';
import type { SerialBinding } from '../serial/serial-binding.js';
import type { I2cBusOpener } from '../i2c/i2c-bus-device.js';
import type { Speaker } from './types.js';
import type { SimHal } from '../../simulators/hal/sim-hal.js';

/** Injection points for tests and unusual installs; each defaults to the real thing. */
export interface HalDeps {
  /** Runs gpiod tools, espeak-ng and aplay. */
  runner?: CommandRunner;
  /** Root of the sysfs GPIO tree (default /sys/class/gpio). */
  sysfsRoot?: string;
  /** Opens sysfs GPIO numbers (default: onoff). */
  loadSysfsGpio?: () => Promise<SysfsGpioFactory>;
  /** Builds the Firmata IO object (default: firmata-io over a serialport 13 port). */
  openFirmataIo?: FirmataIoFactory;
  loadJohnnyFive?: () => Promise<JohnnyFive>;
  /** serialport binding for every serial part and the Firmata port (default: the OS one). */
  serialBinding?: SerialBinding;
  /** Opens /dev/i2c-N (default: i2c-bus). */
  openI2cBus?: I2cBusOpener;
}

export interface CreateHalOptions {
  /** A board id from boards/ ("rpi-5") or a definition object. */
  board: BoardDefinition | string;
  /** The device config's `io` section; validated and defaulted here. */
  io?: unknown;
  clock?: Clock;
  /** Choose another of the board's allowedBackends (e.g. "sysfs" on an old Pi 4 image, "sim" for a demo). */
  backendOverride?: GpioBackendKind;
  timers?: Timers;
  /** Folder of board files when `board` is an id. */
  boardsDir?: string;
  /** A role's onChange or onScan listener threw (default: a process warning). */
  onListenerError?: (part: string, err: unknown) => void;
  deps?: HalDeps;
}

async function boardFrom(options: CreateHalOptions): Promise<BoardDefinition> {
  const { loadBoard, parseBoard } = await import('../../boards/index.js');
  if (typeof options.board === 'string') return loadBoard(options.board, options.boardsDir ? { dir: options.boardsDir } : {});
  return parseBoard(options.board, `board "${options.board.id}" passed to createHal`);
}

function chooseBackend(board: BoardDefinition, override: GpioBackendKind | undefined): GpioBackendKind {
  const backend = override ?? board.gpio.backend;
  if (!board.gpio.allowedBackends.includes(backend))
    throw new HalError('BAD_CONFIG', `GPIO backend "${backend}" is not allowed on board ${board.id} (allowed: ${board.gpio.allowedBackends.join(', ')})`);
  return backend;
}

async function gpioBackend(kind: Exclude<GpioBackendKind, 'sim'>, board: BoardDefinition, io: ResolvedIo, ctx: GpioContext, deps: HalDeps): Promise<GpioBackend> {
  const runner = deps.runner ?? spawnRunner;
  switch (kind) {
    case 'chardev': {
      const { ChardevGpioBackend } = await import('../gpio/chardev-backend.js');
      return new ChardevGpioBackend({ board, ctx, runner });
    }
    case 'sysfs': {
      const { SysfsGpioBackend } = await import('../gpio/sysfs-backend.js');
      return new SysfsGpioBackend({ board, ctx, ...(deps.sysfsRoot ? { root: deps.sysfsRoot } : {}), ...(deps.loadSysfsGpio ? { loadGpio: deps.loadSysfsGpio } : {}) });
    }
    case 'firmata': {
      const { FirmataGpioBackend } = await import('../gpio/firmata-backend.js');
      const { firmataOverSerialport } = await import('../gpio/firmata-transport.js');
      const path = io.firmata?.path ?? board.firmata?.path;
      if (!path) throw new HalError('BAD_CONFIG', `board ${board.id} names no Firmata port; set io.firmata.path`);
      const clash = io.serial.find((s) => s.path === path);
      if (clash) throw new HalError('BAD_CONFIG', `serial.${clash.name} uses ${path}, which is the Firmata board's port`);
      return new FirmataGpioBackend({
        ctx,
        port: { path, baudRate: io.firmata?.baudRate ?? board.firmata?.baudRate ?? 57600 },
        readyTimeoutMs: board.firmata?.readyTimeoutMs ?? 10_000,
        openIo: deps.openFirmataIo ?? firmataOverSerialport(deps.serialBinding ? { binding: deps.serialBinding } : {}),
        ...(deps.loadJohnnyFive ? { loadJohnnyFive: deps.loadJohnnyFive } : {}),
      });
    }
  }
}

async function speakerFor(io: ResolvedIo, clock: Clock, timers: Timers, deps: HalDeps): Promise<Speaker & Partial<SelfChecking>> {
  switch (io.speaker?.kind) {
    case 'espeak': {
      const { EspeakSpeaker } = await import('../speaker/espeak-speaker.js');
      return new EspeakSpeaker({ runner: deps.runner ?? spawnRunner, timers, ...(io.speaker.device ? { device: io.speaker.device } : {}) });
    }
    case 'sim': {
      const { SimSpeaker } = await import('../../simulators/speaker/sim-speaker.js');
      return new SimSpeaker(clock);
    }
    default: {
      const { NoneSpeaker } = await import('../speaker/none-speaker.js');
      return new NoneSpeaker();
    }
  }
}

/**
 * Builds the HAL for a board. With the "sim" backend (the sim board, or backendOverride
 * "sim" on any board) every part is simulated and the result is a SimHal; see isSimHal().
 * Rejects with HalError BAD_CONFIG for an unusable config; never for absent hardware.
 */
export async function createHal(options: CreateHalOptions): Promise<Hal> {
  const board = await boardFrom(options);
  const io = resolveIo(board, parseIoConfig(options.io));
  const backend = chooseBackend(board, options.backendOverride);
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? globalTimers;
  const onListenerError = options.onListenerError ?? warnListenerError;
  if (backend === 'sim') {
    const { assembleSimHal } = await import('../../simulators/hal/sim-hal.js');
    return assembleSimHal(board, io, { clock, timers, onListenerError });
  }
  const deps = options.deps ?? {};
  const ctx: GpioContext = { clock, timers, onListenerError };
  const gpio = await (await gpioBackend(backend, board, io, ctx, deps)).open(io.inputs, io.outputs);

  const openSerial = async (spec: SerialSpec): Promise<SerialLink> => {
    const { openSerialLink } = await import('../serial/serial-link.js');
    return openSerialLink({ ...spec, ...(deps.serialBinding ? { binding: deps.serialBinding } : {}) });
  };
  const { I2cBusPool } = await import('../i2c/i2c-bus-pool.js');
  const { I2cBusDevice, openNativeI2cBus } = await import('../i2c/i2c-bus-device.js');
  const pool = new I2cBusPool(deps.openI2cBus ?? openNativeI2cBus);
  const openI2c = async (spec: ResolvedIo['i2c'][number]): Promise<ProbingI2cDevice> => {
    const { handle, release } = await pool.acquire(spec.bus);
    return new I2cBusDevice(spec.name, spec.bus, spec.address, handle, release);
  };

  return new AssembledHal({ board: board.id, clock, io, gpio, openSerial, openI2c, speaker: await speakerFor(io, clock, timers, deps), timers, onListenerError });
}

/** createHal for tests and the demo: always simulated, typed as SimHal. */
export async function createSimHal(options: Omit<CreateHalOptions, 'backendOverride' | 'deps'> = { board: 'sim' }): Promise<SimHal> {
  const hal = await createHal({ ...options, backendOverride: 'sim' });
  return hal as SimHal; // backend "sim" always builds a SimHal (assembleSimHal above)
}

export { isSimHal, type SimHal, type SimControls } from '../../simulators/hal/sim-hal.js';
