// An Arduino Uno running StandardFirmata, at the byte level, as a virtual serial device.
// Protocol source: https://github.com/firmata/protocol/blob/master/protocol.md (v2.6) and the sysex messages in the same repo:
//   REPORT_VERSION F9 maj min · REPORT_FIRMWARE F0 79 maj min name(7-bit pairs) F7
//   CAPABILITY_QUERY F0 6B F7 → F0 6C {mode res}* 7F per pin F7
//   ANALOG_MAPPING_QUERY F0 69 F7 → F0 6A {channel|7F} per pin F7
//   SET_PIN_MODE F4 pin mode · REPORT_DIGITAL D0|port 0/1 · SET_DIGITAL_PIN_VALUE F5 pin v
//   DIGITAL_MESSAGE 90|port lsb msb (both ways: outputs from the host, inputs to it)
// On open it announces itself like a board fresh out of reset, so firmata-io's handshake runs
// against the same bytes it gets from real hardware.
import type { VirtualLine, VirtualSerialDevice } from '../serial/virtual-device.js';

const REPORT_VERSION = 0xf9;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const SET_PIN_MODE = 0xf4;
const SET_DIGITAL_PIN_VALUE = 0xf5;
const REPORT_DIGITAL = 0xd0;
const REPORT_ANALOG = 0xc0;
const DIGITAL_MESSAGE = 0x90;
const SYSTEM_RESET = 0xff;
const SYSEX_REPORT_FIRMWARE = 0x79;
const SYSEX_CAPABILITY_QUERY = 0x6b;
const SYSEX_CAPABILITY_RESPONSE = 0x6c;
const SYSEX_ANALOG_MAPPING_QUERY = 0x69;
const SYSEX_ANALOG_MAPPING_RESPONSE = 0x6a;

export const FIRMATA_MODE = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PULLUP: 0x0b } as const;

const UNO_DIGITAL_PINS = 20; // D0-D13, A0-A5 (14-19)
const UNO_FIRST_ANALOG_PIN = 14;
const FIRMWARE_NAME = 'StandardFirmata.ino';

export class FirmataDevice implements VirtualSerialDevice {
  private line: VirtualLine | undefined;
  private pending: number[] = [];
  private readonly modes = new Map<number, number>();
  private readonly outputs = new Map<number, 0 | 1>();
  private readonly inputs = new Map<number, 0 | 1>();
  private readonly reporting = new Set<number>();
  /** Every complete message the host sent, as hex strings, for assertions. */
  readonly received: string[] = [];

  opened(line: VirtualLine): void {
    this.line = line;
    this.pending = [];
    const name = [...Buffer.from(FIRMWARE_NAME, 'ascii')].flatMap((c) => [c & 0x7f, c >> 7]);
    void line.send(Buffer.from([REPORT_VERSION, 2, 5, START_SYSEX, SYSEX_REPORT_FIRMWARE, 2, 5, ...name, END_SYSEX]));
  }

  closed(): void {
    this.line = undefined;
  }

  receive(bytes: Buffer): void {
    for (const b of bytes) {
      this.pending.push(b);
      this.consume();
    }
  }

  /** The pin mode the host set (FIRMATA_MODE values). */
  mode(pin: number): number | undefined {
    return this.modes.get(pin);
  }

  /** The level the host last wrote to a pin. */
  output(pin: number): 0 | 1 | undefined {
    return this.outputs.get(pin);
  }

  /** A level on an input pin; reported to the host if it asked for that port. */
  setInput(pin: number, level: 0 | 1): void {
    this.inputs.set(pin, level);
    const port = pin >> 3;
    if (this.reporting.has(port)) this.sendPort(port);
  }

  private sendPort(port: number): void {
    let value = 0;
    for (let bit = 0; bit < 8; bit++) {
      const pin = port * 8 + bit;
      const mode = this.modes.get(pin);
      // An input with a pull-up reads high until something pulls it down.
      const level = this.inputs.get(pin) ?? (mode === FIRMATA_MODE.PULLUP ? 1 : 0);
      if ((mode === FIRMATA_MODE.INPUT || mode === FIRMATA_MODE.PULLUP) && level) value |= 1 << bit;
    }
    void this.line?.send(Buffer.from([DIGITAL_MESSAGE | port, value & 0x7f, (value >> 7) & 0x7f]));
  }

  /** Takes one complete message off the front of `pending` when there is one. */
  private consume(): void {
    const first = this.pending[0];
    if (first === undefined) return;
    if (first === START_SYSEX) {
      if (this.pending[this.pending.length - 1] !== END_SYSEX) return;
      const msg = this.pending.splice(0);
      this.received.push(Buffer.from(msg).toString('hex'));
      this.sysex(msg[1] ?? 0);
      return;
    }
    const command = first < 0xf0 ? first & 0xf0 : first;
    const length = command === DIGITAL_MESSAGE || command === SET_PIN_MODE || command === SET_DIGITAL_PIN_VALUE ? 3 : command === REPORT_DIGITAL || command === REPORT_ANALOG ? 2 : 1;
    if (this.pending.length < length) return;
    const msg = this.pending.splice(0, length);
    this.received.push(Buffer.from(msg).toString('hex'));
    const [, a = 0, b = 0] = msg;
    switch (command) {
      case REPORT_VERSION:
        void this.line?.send(Buffer.from([REPORT_VERSION, 2, 5]));
        break;
      case SET_PIN_MODE:
        this.modes.set(a, b);
        break;
      case SET_DIGITAL_PIN_VALUE:
        this.outputs.set(a, b ? 1 : 0);
        break;
      case DIGITAL_MESSAGE: {
        const port = first & 0x0f;
        const value = a | (b << 7);
        for (let bit = 0; bit < 8; bit++) if (this.modes.get(port * 8 + bit) === FIRMATA_MODE.OUTPUT) this.outputs.set(port * 8 + bit, (value >> bit) & 1 ? 1 : 0);
        break;
      }
      case REPORT_DIGITAL: {
        const port = first & 0x0f;
        if (a) {
          this.reporting.add(port);
          this.sendPort(port); // StandardFirmata reports the port as soon as reporting is enabled
        } else this.reporting.delete(port);
        break;
      }
      case SYSTEM_RESET:
        this.modes.clear();
        this.reporting.clear();
        break;
      default:
        break; // analog reporting and the rest: accepted and ignored
    }
  }

  private sysex(command: number): void {
    if (command === SYSEX_CAPABILITY_QUERY) {
      const pins: number[] = [];
      for (let pin = 0; pin < UNO_DIGITAL_PINS; pin++) {
        pins.push(FIRMATA_MODE.INPUT, 1, FIRMATA_MODE.OUTPUT, 1, FIRMATA_MODE.PULLUP, 1);
        if (pin >= UNO_FIRST_ANALOG_PIN) pins.push(FIRMATA_MODE.ANALOG, 10);
        pins.push(0x7f);
      }
      void this.line?.send(Buffer.from([START_SYSEX, SYSEX_CAPABILITY_RESPONSE, ...pins, END_SYSEX]));
    } else if (command === SYSEX_ANALOG_MAPPING_QUERY) {
      const map = Array.from({ length: UNO_DIGITAL_PINS }, (_, pin) => (pin >= UNO_FIRST_ANALOG_PIN ? pin - UNO_FIRST_ANALOG_PIN : 0x7f));
      void this.line?.send(Buffer.from([START_SYSEX, SYSEX_ANALOG_MAPPING_RESPONSE, ...map, END_SYSEX]));
    } else if (command === SYSEX_REPORT_FIRMWARE) {
      if (this.line) this.opened(this.line);
    }
  }
}
