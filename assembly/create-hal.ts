// The HAL factory: board definition + io section → a Hal. The board (or backendOverride)
// names the GPIO backend; the registry (drivers' and simulators' descriptors) opens it, and
// the Hal is built on the parts it returns: the real SerialLink, I2C, printer and scanner
// drivers over the backend's serial binding and I2C buses. Each backend module, and each
// native package under it (onoff, i2c-bus, johnny-five, firmata-io), is imported only when
// chosen, so the runtime starts on any machine. A part that cannot be opened becomes a failed
// self-test result, not a crash; a config that cannot work (unknown pin, line used twice) is
// rejected with BAD_CONFIG.
import type { Hal, Clock, LedMatrix, SerialLink, Speaker } from '../drivers/hal/types.js';
import { HalError } from '../drivers/hal/hal-error.js';
import type { BackendRequest, BoardParts } from '../drivers/hal/backend.js';
import type { SelfChecking } from '../drivers/hal/part-health.js';
import type { I2cSpec, MatrixSpec, SerialSpec } from '../drivers/hal/part-specs.js';
import type { BoardDefinition, GpioBackendKind } from '../boards/board-schema.js';
import type { DriverDeps } from '../drivers/backends.js';
import { systemClock } from '../drivers/clock/system-clock.js';
import { globalTimers, type Timers } from '../drivers/clock/timers.js';
import { parseIoConfig, resolveIo } from './resolve-io.js';
import { AssembledHal, type ProbingI2cDevice } from './assembled-hal.js';
import { warnListenerError } from '../drivers/listener-error.js';
import { defaultRegistry, type BackendRegistry } from './registry.js';
import type { SimHal } from '../simulators/hal/sim-board-controls.js';

/** Injection points for tests and unusual installs; each defaults to the real thing. */
export type HalDeps = DriverDeps;

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
  /** The backends to choose from (default: every driver's and simulator's). */
  registry?: BackendRegistry;
}

async function boardFrom(options: CreateHalOptions): Promise<BoardDefinition> {
  const { loadBoard, parseBoard } = await import('./load-board.js');
  if (typeof options.board === 'string') return loadBoard(options.board, options.boardsDir ? { dir: options.boardsDir } : {});
  return parseBoard(options.board, `board "${options.board.id}" passed to createHal`);
}

function chooseBackend(board: BoardDefinition, override: GpioBackendKind | undefined): GpioBackendKind {
  const backend = override ?? board.gpio.backend;
  if (!board.gpio.allowedBackends.includes(backend))
    throw new HalError('BAD_CONFIG', `GPIO backend "${backend}" is not allowed on board ${board.id} (allowed: ${board.gpio.allowedBackends.join(', ')})`);
  return backend;
}

function descriptor<T extends { readonly kind: string }>(list: ReadonlyArray<T>, kind: string, what: string): T {
  const found = list.find((d) => d.kind === kind);
  if (!found) throw new HalError('UNAVAILABLE', `no ${what} backend "${kind}" is registered (registered: ${list.map((d) => d.kind).join(', ') || 'none'})`);
  return found;
}

async function speakerFor(parts: BoardParts, request: BackendRequest, registry: BackendRegistry, deps: HalDeps): Promise<Speaker & Partial<SelfChecking>> {
  if (parts.speaker) return parts.speaker;
  return descriptor(registry.speakers, request.io.speaker?.kind ?? 'none', 'speaker').open(request, deps);
}

/** I2C devices over the backend's buses, or i2c-bus handles shared per bus and closed with the last device. */
async function i2cOpener(parts: BoardParts): Promise<(spec: I2cSpec) => Promise<ProbingI2cDevice>> {
  const { I2cBusDevice, openNativeI2cBus } = await import('../drivers/i2c/i2c-bus-device.js');
  const buses = parts.i2c ?? { openBus: openNativeI2cBus, closeWithLastDevice: true };
  if (!buses.closeWithLastDevice) {
    return async (spec) => new I2cBusDevice(spec.name, spec.bus, spec.address, await buses.openBus(spec.bus), async () => undefined);
  }
  const { I2cBusPool } = await import('../drivers/i2c/i2c-bus-pool.js');
  const pool = new I2cBusPool(buses.openBus);
  return async (spec) => {
    const { handle, release } = await pool.acquire(spec.bus);
    return new I2cBusDevice(spec.name, spec.bus, spec.address, handle, release);
  };
}

/** The backend's panels (virtual on the sim board), else the real panel process, imported when first opened. */
function matrixOpener(parts: BoardParts, clock: Clock, timers: Timers, deps: HalDeps): (spec: MatrixSpec) => Promise<LedMatrix> {
  if (parts.openMatrix) return parts.openMatrix.bind(parts);
  return async (spec) => {
    const { openPanelHost } = await import('./open-matrix.js');
    return openPanelHost(spec, clock, timers, deps.panelChild ? { childEntry: deps.panelChild.entry, ...(deps.panelChild.env ? { childEnv: deps.panelChild.env } : {}) } : {});
  };
}

/**
 * Builds the HAL for a board. With the "sim" backend (the sim board, or backendOverride
 * "sim" on any board) every part is simulated and the result is a SimHal; see isSimHal().
 * Rejects with HalError BAD_CONFIG for an unusable config; never for absent hardware.
 */
export async function createHal(options: CreateHalOptions): Promise<Hal> {
  const board = await boardFrom(options);
  const io = resolveIo(board, parseIoConfig(options.io));
  const kind = chooseBackend(board, options.backendOverride);
  const registry = options.registry ?? defaultRegistry;
  const deps = options.deps ?? {};
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? globalTimers;
  const onListenerError = options.onListenerError ?? warnListenerError;
  const request: BackendRequest = { board, io, clock, timers, onListenerError };
  const parts = await descriptor(registry.gpio, kind, 'GPIO').open(request, deps);

  const openSerial = async (spec: SerialSpec): Promise<SerialLink> => {
    const { openSerialLink } = await import('../drivers/serial/serial-link.js');
    return openSerialLink({ ...spec, ...(parts.serialBinding ? { binding: parts.serialBinding } : {}) });
  };
  const openI2c = await i2cOpener(parts);
  const { withExpanders } = await import('./open-expanders.js');
  const gpio = await withExpanders(parts.gpio, io.expanders ?? [], openI2c, { clock, timers, onListenerError });
  const hal = new AssembledHal({
    board: board.id,
    clock,
    io,
    gpio,
    openSerial,
    openI2c,
    openMatrix: matrixOpener(parts, clock, timers, deps),
    speaker: await speakerFor(parts, request, registry, deps),
    timers,
    onListenerError,
    ...(parts.close ? { close: parts.close.bind(parts) } : {}),
  });
  return parts.controls ? Object.assign(hal, { sim: parts.controls }) : hal;
}

/** createHal for tests and the demo: always simulated, typed as SimHal. */
export async function createSimHal(options: Omit<CreateHalOptions, 'backendOverride' | 'deps'> = { board: 'sim' }): Promise<SimHal> {
  const hal = await createHal({ ...options, backendOverride: 'sim' });
  return hal as SimHal; // backend "sim" always attaches its controls as `sim` (simulators/hal/sim-hal.ts)
}

export { isSimHal, type SimHal, type SimControls } from '../simulators/hal/sim-board-controls.js';
