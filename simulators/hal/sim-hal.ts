// The whole board in memory, for the sim board, CI and the hall simulator's devices: GPIO from
// the sim backend, serial ports on a private VirtualSerialBus (the assembly runs the real
// SerialLink driver on its binding), I2C register files (under the real I2C driver), a
// recording speaker. This is the "sim" backend (simulators/backends.ts); assembly/ builds the
// Hal on the parts it returns and attaches `sim` (the controls) to it. A printer
// on a serial part gets the byte-level virtual ESC/POS printer on that port (the virtual Star
// printer when its commandSet is 'star'), a scanner a
// virtual scanner, both under the real drivers; a TCP or USB printer uses the real transport
// (point it at serveVirtualPrinter). Lock boards get byte-level virtual boards on their serial
// line, matrices virtual panels (sim-panels-and-locks.ts), ID-card readers a virtual GA 467
// module on their port (sim-id-card-readers.ts). `sim` is the test's side: press
// buttons, read what outputs did, plug devices into serial ports, read tickets, scan codes,
// open and close cabinet doors, look at panel frames and OLED glass (sim-displays.ts).
import type { BackendRequest, BoardParts } from '../../drivers/hal/backend.js';
import type { ResolvedIo, ScannerSuffix } from '../../drivers/hal/part-specs.js';
import { notConfigured } from '../../drivers/hal/not-configured.js';
import { HalError } from '../../drivers/hal/types.js';
import type { SimControls } from './sim-board-controls.js';

export { isSimHal, type SimControls, type SimHal } from './sim-board-controls.js';
import { SimGpioBackend } from '../gpio/sim-gpio-backend.js';
import { VirtualSerialBus } from '../serial/virtual-serial-bus.js';
import { SimI2cBus } from '../i2c/sim-i2c-bus.js';
import type { VirtualEscPosPrinter } from '../escpos-printer/virtual-printer.js';
import type { VirtualStarPrinter } from '../star-printer/virtual-printer.js';
import { SimSpeaker } from '../speaker/sim-speaker.js';
import { VirtualScanner, type VirtualScannerSuffix } from '../scanner/virtual-scanner.js';
import { attachVirtualLockBoards, virtualPanels } from './sim-panels-and-locks.js';
import { SimExpanders } from './sim-expanders.js';
import type { RelayCabinetLines, SimRelayCabinet } from '../lock-board/sim-relay-cabinet.js';
import { attachSimDisplays } from './sim-displays.js';
import { attachVirtualIdCardReaders } from './sim-id-card-readers.js';


/** Opens every part of the resolved io in memory; the controls become the Hal's `sim`. */
export async function openSimBoard(request: BackendRequest): Promise<BoardParts & { controls: SimControls }> {
  const { io, clock, timers, onListenerError } = request;
  const gpioBackend = new SimGpioBackend({ clock, timers, onListenerError });
  const gpio = await gpioBackend.open(io.inputs, io.outputs);

  const serialBus = new VirtualSerialBus();
  const serialPaths = new Map(io.serial.map((s) => [s.name, s.path]));
  for (const path of serialPaths.values()) serialBus.createPort(path);

  const i2cBuses = new Map<number, SimI2cBus>();
  const i2cSpecs = new Map(io.i2c.map((s) => [s.name, s]));
  const busFor = (bus: number): SimI2cBus => {
    let sim = i2cBuses.get(bus);
    if (!sim) {
      sim = new SimI2cBus(bus);
      i2cBuses.set(bus, sim);
    }
    return sim;
  };
  for (const spec of io.i2c) busFor(spec.bus).addDevice(spec.address);
  const expanders = new SimExpanders(io.expanders ?? [], busFor, (input, level) => gpioBackend.setLevel(input, level), clock);
  const displayChip = await attachSimDisplays(io, busFor);

  const speaker = new SimSpeaker(clock);
  const virtualPrinters = await attachVirtualPrinters(io, serialBus);
  const lockBoards = await attachVirtualLockBoards(io, serialBus);
  const idCardReader = await attachVirtualIdCardReaders(io, serialBus);
  const panels = await virtualPanels(io);
  const cabinets = await relayCabinets(io, {
    onRelay: (relay, listener) =>
      expanders.hasOutput(relay) ? expanders.onOutput(relay, (c) => listener(c.active)) : gpioBackend.onOutput(relay, (c) => listener(c.active)),
    setSwitch: (sensor, level, initial) => {
      if (expanders.hasInput(sensor)) expanders.setLevel(sensor, level); // the driver reads the chip's pins at start
      else if (initial) gpioBackend.establish(sensor, level);
      else gpioBackend.setLevel(sensor, level);
    },
  });
  const virtualScanners = new Map<string, VirtualScanner>();
  for (const spec of io.scanners) {
    const scanner = new VirtualScanner({ suffix: SCANNER_SUFFIX[spec.suffix], encoding: spec.encoding });
    virtualScanners.set(spec.name, scanner);
    const serialPath = serialPaths.get(spec.serial);
    if (serialPath !== undefined) serialBus.attach(serialPath, scanner);
  }
  const scannerOf = (name: string): VirtualScanner => {
    const scanner = virtualScanners.get(name);
    if (!scanner) throw notConfigured('scanners', name, virtualScanners.keys());
    return scanner;
  };
  const path = (name: string): string => {
    const p = serialPaths.get(name);
    if (p === undefined) throw notConfigured('serial', name, serialPaths.keys());
    return p;
  };
  const i2cSpec = (name: string) => {
    const spec = i2cSpecs.get(name);
    if (!spec) throw notConfigured('i2c', name, i2cSpecs.keys());
    return spec;
  };

  const sim: SimControls = {
    // Lines on an expander pin are driven on the simulated chip; the driver reads them from it.
    press: (input) => (expanders.hasInput(input) ? expanders.press(input) : gpioBackend.press(input)),
    release: (input) => (expanders.hasInput(input) ? expanders.press(input, false) : gpioBackend.release(input)),
    bounce: (input, times, settle) => {
      if (!expanders.hasInput(input)) return gpioBackend.bounce(input, times, settle);
      for (let i = 0; i < times; i++) expanders.press(input, i % 2 === 0);
      expanders.press(input, settle !== 'inactive');
    },
    setLevel: (input, level) => (expanders.hasInput(input) ? expanders.setLevel(input, level) : gpioBackend.setLevel(input, level)),
    outputHistory: (output) => (expanders.hasOutput(output) ? expanders.outputHistory(output) : gpioBackend.outputHistory(output)),
    expander: (name) => expanders.chip(name),
    attachSerialDevice: (name, device) => serialBus.attach(path(name), device),
    serialWritten: (name) => serialBus.written(path(name)),
    unplugSerial: (name) => serialBus.unplug(path(name)),
    replugSerial: (name) => serialBus.replug(path(name)),
    spoken: () => speaker.spoken(),
    speakerEvents: () => speaker.events(),
    speaker: () => speaker,
    i2cRegisters: (name) => {
      const spec = i2cSpec(name);
      return busFor(spec.bus).registers(spec.address);
    },
    i2cNack: (name, count) => {
      const spec = i2cSpec(name);
      busFor(spec.bus).nack(spec.address, count);
    },
    i2cBus: (bus) => busFor(bus),
    printer: (name) => {
      const printer = virtualPrinters.escpos.get(name);
      if (printer) return printer;
      throw noVirtualPrinter(io, name, 'escpos');
    },
    starPrinter: (name) => {
      const printer = virtualPrinters.star.get(name);
      if (printer) return printer;
      throw noVirtualPrinter(io, name, 'star');
    },
    scan: (name, code, options) => scannerOf(name).scan(code, options),
    virtualScanner: (name) => scannerOf(name),
    lockBoard: (name) => lockBoards.board(name),
    lockBus: (name) => lockBoards.bus(name),
    idCardReader,
    matrix: (name) => panels.panel(name),
    relayCabinet: (name) => {
      const cabinet = cabinets.get(name);
      if (!cabinet) throw notConfigured('lockBoards', name, cabinets.keys());
      return cabinet;
    },
    display: (name) => displayChip(name),
  };

  return {
    gpio,
    serialBinding: serialBus.binding,
    // Each device gets the bus without ownership: the simulated bus lives as long as the HAL.
    i2c: { openBus: async (bus) => busFor(bus), closeWithLastDevice: false },
    speaker,
    openMatrix: panels.open,
    controls: sim,
  };
}

/** A simulated relay cabinet behind every "gpio" lock board, on the lines the config names. */
async function relayCabinets(io: ResolvedIo, lines: RelayCabinetLines): Promise<Map<string, SimRelayCabinet>> {
  const cabinets = new Map<string, SimRelayCabinet>();
  if (!io.gpioLockBoards?.length) return cabinets;
  const { SimRelayCabinet } = await import('../lock-board/sim-relay-cabinet.js');
  for (const spec of io.gpioLockBoards) cabinets.set(spec.name, new SimRelayCabinet({ locks: spec.locks, sensorOpenLevel: spec.sensorOpenLevel, lines }));
  return cabinets;
}

/** 'auto' accepts any ending; the virtual scanner sends CR LF, the one that needs joining across chunks. */
const SCANNER_SUFFIX: Record<ScannerSuffix, VirtualScannerSuffix> = { auto: 'crlf', cr: 'cr', lf: 'lf', crlf: 'crlf' };

interface VirtualPrinters {
  escpos: Map<string, VirtualEscPosPrinter>;
  star: Map<string, VirtualStarPrinter>;
}

/**
 * A virtual printer of the configured command set on the port of every serial printer. The
 * simulators (and iconv-lite) load only when there is one of their kind.
 */
async function attachVirtualPrinters(io: ResolvedIo, bus: VirtualSerialBus): Promise<VirtualPrinters> {
  const printers: VirtualPrinters = { escpos: new Map(), star: new Map() };
  const serialPrinters = io.printers.flatMap((p) => {
    const transport = p.transport;
    if (transport.kind !== 'serial') return [];
    const path = io.serial.find((s) => s.name === transport.serial)?.path;
    return path === undefined ? [] : [{ name: p.name, path, star: p.commandSet === 'star' }]; // resolveIo rejects a missing part
  });
  // Just the printers and their serial plugs: not the PNG renderer or the TCP servers of the indexes.
  if (serialPrinters.some((p) => !p.star)) {
    const [{ VirtualEscPosPrinter }, { asVirtualSerialDevice }] = await Promise.all([import('../escpos-printer/virtual-printer.js'), import('../escpos-printer/virtual-serial-device.js')]);
    for (const { name, path } of serialPrinters.filter((p) => !p.star)) {
      const printer = new VirtualEscPosPrinter();
      bus.attach(path, asVirtualSerialDevice(printer));
      printers.escpos.set(name, printer);
    }
  }
  if (serialPrinters.some((p) => p.star)) {
    const [{ VirtualStarPrinter }, { asVirtualSerialDevice }] = await Promise.all([import('../star-printer/virtual-printer.js'), import('../escpos-printer/virtual-serial-device.js')]);
    for (const { name, path } of serialPrinters.filter((p) => p.star)) {
      const printer = new VirtualStarPrinter();
      bus.attach(path, asVirtualSerialDevice(printer));
      printers.star.set(name, printer);
    }
  }
  return printers;
}

function noVirtualPrinter(io: ResolvedIo, name: string, asked: 'escpos' | 'star'): HalError {
  const spec = io.printers.find((p) => p.name === name);
  if (!spec) return notConfigured('printers', name, io.printers.map((p) => p.name));
  if (spec.transport.kind !== 'serial') {
    return new HalError('NOT_CONFIGURED', `printer "${name}" is on ${spec.transport.kind}, not a serial part: the sim board puts no virtual printer behind it (serve one with serveVirtualPrinter / serveVirtualStarPrinter for tcp)`);
  }
  const other = asked === 'escpos' ? 'sim.starPrinter()' : 'sim.printer()';
  return new HalError('NOT_CONFIGURED', `printer "${name}" has commandSet "${spec.commandSet ?? 'escpos'}": its virtual printer is ${other}`);
}

