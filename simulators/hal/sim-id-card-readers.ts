// The sim board's ID-card readers: a byte-level VirtualIdCardReader on the serial port of each
// io.idCardReaders entry, so hal.idCardReader() runs the real driver over the virtual port and
// a test lays cards on it (hal.sim.idCardReader(name).placeCard()). The simulator loads only
// when the config has a reader.
import type { ResolvedIo } from '../../drivers/hal/part-specs.js';
import { notConfigured } from '../../drivers/hal/not-configured.js';
import type { VirtualSerialBus } from '../serial/virtual-serial-bus.js';
import type { VirtualIdCardReader } from '../id-card-reader/virtual-id-card-reader.js';

export async function attachVirtualIdCardReaders(io: ResolvedIo, serialBus: VirtualSerialBus): Promise<(name: string) => VirtualIdCardReader> {
  const readers = new Map<string, VirtualIdCardReader>();
  if (io.idCardReaders?.length) {
    const { VirtualIdCardReader } = await import('../id-card-reader/virtual-id-card-reader.js');
    for (const spec of io.idCardReaders) {
      const path = io.serial.find((s) => s.name === spec.serial)?.path;
      if (path === undefined) continue; // resolveIo rejects a reader on a missing part
      const reader = new VirtualIdCardReader();
      serialBus.attach(path, reader);
      readers.set(spec.name, reader);
    }
  }
  return (name) => {
    const reader = readers.get(name);
    if (!reader) throw notConfigured('idCardReaders', name, readers.keys());
    return reader;
  };
}
