// Plugs a virtual printer (ESC/POS or Star) into simulators/serial's VirtualSerialBus (or attachToMockPort):
// the bus hands it every host write, and replies go back on the line the host has open.
import type { VirtualLine, VirtualSerialDevice } from '../serial/virtual-device.js';
import type { ByteDevice } from './model.js';

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
