// Plugs a virtual Star printer into simulators/serial's VirtualSerialBus (the sim board's
// ports): the bus hands it every host write, and replies go back on the line the host has open.
import type { VirtualLine, VirtualSerialDevice } from '../serial/virtual-device.js';
import type { ByteDevice } from './tcp-server.js';

export function asVirtualSerialDevice(printer: ByteDevice): VirtualSerialDevice {
  let line: VirtualLine | undefined;
  printer.onReply((bytes) => {
    if (line?.isOpen()) void line.send(bytes);
  });
  return {
    receive: (bytes, from) => {
      line = from;
      printer.receive(bytes);
    },
    opened: (opened) => {
      line = opened;
    },
    closed: () => {
      line = undefined;
    },
  };
}
