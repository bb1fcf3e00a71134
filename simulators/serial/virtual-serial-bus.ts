// A set of virtual serial ports with their own serialport binding, shaped like
// @serialport/binding-mock's MockBinding but with no global state: every bus (one per test,
// one per simulated device) has its own ports, so tests cannot see each other's ports.
// A real SerialPort stream opened with `binding: bus.binding` talks to the attached device.
import { createRequire } from 'node:module';
// binding-mock's exports map hides its types from ESM resolution, so the types come from its
// CommonJS view, and so does the class: the same build serialport's SerialPortMock uses.
import type * as BindingMock from '@serialport/binding-mock' with { 'resolution-mode': 'require' };
import type { CreatePortOptions, MockPortInternal } from '@serialport/binding-mock' with { 'resolution-mode': 'require' };
import type { SerialPortMock } from 'serialport';
import { wireDevice, type VirtualLine, type VirtualSerialDevice } from './virtual-device.js';

const { MockPortBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as typeof BindingMock;
type MockPortBinding = BindingMock.MockPortBinding;

type MockBindingShape = typeof SerialPortMock.binding;
type OpenOptions = Parameters<MockBindingShape['open']>[0];

interface VirtualPort {
  internal: MockPortInternal;
  device?: VirtualSerialDevice;
  open?: MockPortBinding;
  line?: VirtualLine;
  written: Buffer[];
  unplug?: (err: Error) => void;
}

export interface VirtualAttachment {
  /** The device's line while the host has the port open. */
  line(): VirtualLine | undefined;
  detach(): void;
}

export class VirtualSerialBus {
  private readonly ports = new Map<string, VirtualPort>();
  private serial = 0;
  /** Pass as `binding` to SerialPort / openSerialLink. */
  readonly binding: MockBindingShape;

  constructor() {
    this.binding = {
      reset: () => this.ports.clear(),
      createPort: (path: string, options?: CreatePortOptions) => this.createPort(path, options),
      list: async () => [...this.ports.values()].map((p) => p.internal.info),
      open: (options: OpenOptions) => this.open(options),
    };
  }

  /** Makes a port exist (idempotent); opening a path that does not exist fails like the OS. */
  createPort(path: string, options: CreatePortOptions = {}): void {
    if (this.ports.has(path)) return;
    this.serial++;
    this.ports.set(path, {
      internal: {
        data: Buffer.alloc(0),
        echo: false,
        record: false,
        maxReadSize: options.maxReadSize ?? 1024,
        ...(options.readyData ? { readyData: options.readyData } : {}),
        info: {
          path,
          manufacturer: options.manufacturer ?? 'halld virtual serial',
          serialNumber: `${this.serial}`,
          pnpId: undefined,
          locationId: undefined,
          vendorId: options.vendorId,
          productId: options.productId,
        },
      },
      written: [],
    });
  }

  /** Puts a device behind the port (creating the port if needed). One device per port. */
  attach(path: string, device: VirtualSerialDevice): VirtualAttachment {
    this.createPort(path);
    const port = this.port(path);
    port.device = device;
    if (port.line && port.open?.isOpen) device.opened?.(port.line);
    return {
      line: () => (port.open?.isOpen ? port.line : undefined),
      detach: () => {
        if (port.device === device) delete port.device;
      },
    };
  }

  /** Every byte the host wrote to the port since it was created. */
  written(path: string): Buffer {
    return Buffer.concat(this.port(path).written);
  }

  isOpen(path: string): boolean {
    return this.ports.get(path)?.open?.isOpen ?? false;
  }

  /**
   * The adapter is pulled out: the host's pending read fails, its stream closes with a
   * DisconnectedError, and the port stays unopenable until replug().
   */
  unplug(path: string, message = 'device unplugged (simulated)'): void {
    const port = this.port(path);
    port.unplug?.(Object.assign(new Error(message), { code: 'EIO' }));
    this.ports.delete(path);
    port.internal.openOpt = undefined;
    this.replugged.set(path, port);
  }

  /** Puts an unplugged port back (with its device). */
  replug(path: string): void {
    const port = this.replugged.get(path);
    if (!port) return;
    this.replugged.delete(path);
    this.ports.set(path, port);
  }

  private readonly replugged = new Map<string, VirtualPort>();

  private port(path: string): VirtualPort {
    const port = this.ports.get(path) ?? this.replugged.get(path);
    if (!port) throw new Error(`no virtual serial port ${path} (created: ${[...this.ports.keys()].join(', ') || 'none'})`);
    return port;
  }

  private async open(options: OpenOptions): Promise<MockPortBinding> {
    if (!options?.path) throw new TypeError('"path" is not a valid port');
    if (!options.baudRate) throw new TypeError('"baudRate" is not a valid baudRate');
    await new Promise((resolve) => process.nextTick(resolve));
    const port = this.ports.get(options.path);
    // Worded like the OS binding's ENOENT, which is what a missing adapter looks like on a board.
    if (!port) throw Object.assign(new Error(`Error: No such file or directory, cannot open ${options.path}`), { code: 'ENOENT' });
    if (port.internal.openOpt?.lock) throw new Error('Error Resource temporarily unavailable Cannot lock port');
    const openOptions = { dataBits: 8, lock: true, stopBits: 1, parity: 'none', rtscts: false, xon: false, xoff: false, xany: false, hupcl: true, ...options } as const;
    port.internal.openOpt = { ...openOptions };
    const binding = new MockPortBinding(port.internal, openOptions as ConstructorParameters<typeof MockPortBinding>[1]);
    port.open = binding;
    port.line = wireDevice(binding, options.path, () => port.device, (bytes) => port.written.push(bytes));
    const read = binding.read.bind(binding);
    let unplugged: ((err: Error) => void) | undefined;
    const gone = new Promise<never>((_, reject) => (unplugged = reject));
    gone.catch(() => undefined); // only observed through the race below
    port.unplug = (err) => unplugged?.(err);
    binding.read = (buffer, offset, length) => Promise.race([read(buffer, offset, length), gone]);
    port.device?.opened?.(port.line);
    return binding;
  }
}

/** A device that sends back whatever it receives: the loopback plug of the contract tests. */
export function echoDevice(): VirtualSerialDevice {
  return {
    receive(bytes, line) {
      void line.send(bytes);
    },
  };
}
