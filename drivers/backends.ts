// The backends the real drivers provide, as descriptors the assembly layer registers
// (assembly/registry.ts). Each open() imports its driver when called, so a board loads only
// the native package it uses (onoff, johnny-five, firmata-io); this file imports types only.
import type { GpioBackendDescriptor, SpeakerBackendDescriptor } from './hal/backend.js';
import type { I2cBusOpener, SerialBinding } from './hal/bus-handles.js';
import { HalError } from './hal/hal-error.js';
import type { CommandRunner } from './process/command-runner.js';
import type { SysfsGpioFactory } from './gpio/sysfs-backend.js';
import type { FirmataIoFactory, JohnnyFive } from './gpio/firmata-backend.js';

/** Injection points of the drivers for tests and unusual installs; each defaults to the real thing. */
export interface DriverDeps {
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
  /** The LED panel process's entry script and extra environment (default: drivers/matrix/panel-host-child.js, which loads rpi-led-matrix). */
  panelChild?: { entry: string; env?: Readonly<Record<string, string>> };
}

async function runnerOf(deps: DriverDeps): Promise<CommandRunner> {
  if (deps.runner) return deps.runner;
  const { spawnRunner } = await import('./process/command-runner.js');
  return spawnRunner;
}

/** Serial and I2C go through the real drivers on the OS (or the injected) binding and bus. */
function busesOf(deps: DriverDeps): { serialBinding?: SerialBinding; i2c?: { openBus: I2cBusOpener; closeWithLastDevice: boolean } } {
  return {
    ...(deps.serialBinding ? { serialBinding: deps.serialBinding } : {}),
    ...(deps.openI2cBus ? { i2c: { openBus: deps.openI2cBus, closeWithLastDevice: true } } : {}),
  };
}

export const driverGpioBackends: ReadonlyArray<GpioBackendDescriptor<DriverDeps>> = [
  {
    kind: 'chardev',
    async open({ board, io, clock, timers, onListenerError }, deps) {
      const { ChardevGpioBackend } = await import('./gpio/chardev-backend.js');
      const backend = new ChardevGpioBackend({ board, ctx: { clock, timers, onListenerError }, runner: await runnerOf(deps) });
      return { gpio: await backend.open(io.inputs, io.outputs), ...busesOf(deps) };
    },
  },
  {
    kind: 'sysfs',
    async open({ board, io, clock, timers, onListenerError }, deps) {
      const { SysfsGpioBackend } = await import('./gpio/sysfs-backend.js');
      const backend = new SysfsGpioBackend({
        board,
        ctx: { clock, timers, onListenerError },
        ...(deps.sysfsRoot ? { root: deps.sysfsRoot } : {}),
        ...(deps.loadSysfsGpio ? { loadGpio: deps.loadSysfsGpio } : {}),
      });
      return { gpio: await backend.open(io.inputs, io.outputs), ...busesOf(deps) };
    },
  },
  {
    kind: 'firmata',
    async open({ board, io, clock, timers, onListenerError }, deps) {
      const path = io.firmata?.path ?? board.firmata?.path;
      if (!path) throw new HalError('BAD_CONFIG', `board ${board.id} names no Firmata port; set io.firmata.path`);
      const clash = io.serial.find((s) => s.path === path);
      if (clash) throw new HalError('BAD_CONFIG', `serial.${clash.name} uses ${path}, which is the Firmata board's port`);
      const { FirmataGpioBackend } = await import('./gpio/firmata-backend.js');
      const { firmataOverSerialport } = await import('./gpio/firmata-transport.js');
      const backend = new FirmataGpioBackend({
        ctx: { clock, timers, onListenerError },
        port: { path, baudRate: io.firmata?.baudRate ?? board.firmata?.baudRate ?? 57600 },
        readyTimeoutMs: board.firmata?.readyTimeoutMs ?? 10_000,
        openIo: deps.openFirmataIo ?? firmataOverSerialport(deps.serialBinding ? { binding: deps.serialBinding } : {}),
        ...(deps.loadJohnnyFive ? { loadJohnnyFive: deps.loadJohnnyFive } : {}),
      });
      return { gpio: await backend.open(io.inputs, io.outputs), ...busesOf(deps) };
    },
  },
];

export const driverSpeakerBackends: ReadonlyArray<SpeakerBackendDescriptor<DriverDeps>> = [
  {
    kind: 'espeak',
    async open({ io, timers }, deps) {
      const { EspeakSpeaker } = await import('./speaker/espeak-speaker.js');
      return new EspeakSpeaker({ runner: await runnerOf(deps), timers, ...(io.speaker?.device ? { device: io.speaker.device } : {}) });
    },
  },
  {
    kind: 'none',
    async open() {
      const { NoneSpeaker } = await import('./speaker/none-speaker.js');
      return new NoneSpeaker();
    },
  },
];
