// Puts the virtual printer behind a serialport SerialPortMock, the device-emulation pattern of
// serialport/node-serialport #2734 (docs/hardware.md, "Serial lines"): after open, wrap the MockPortBinding's
// write() to feed the printer, and answer with emitData() so the port's reader sees the reply.
import type { SerialPortMock } from 'serialport';
import type { VirtualEscPosPrinter } from './virtual-printer.js';

/** The port must be open. Returns a function that restores the binding. */
export function attachToSerialPortMock(printer: VirtualEscPosPrinter, port: SerialPortMock): () => void {
  const binding = port.port; // the MockPortBinding, typed through SerialPortMock's binding
  if (!binding || !binding.isOpen) throw new Error('attachToSerialPortMock: open the port first');
  const originalWrite = binding.write;
  binding.write = async (buffer: Buffer): Promise<void> => {
    await originalWrite.call(binding, buffer);
    printer.receive(buffer);
  };
  const offReply = printer.onReply((bytes) => {
    if (binding.isOpen) binding.emitData(bytes);
  });
  return () => {
    binding.write = originalWrite;
    offReply();
  };
}
