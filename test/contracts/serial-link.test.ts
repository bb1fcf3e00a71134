// The SerialLink contract on every link: the real driver on a virtual echo device, on
// serialport's own MockBinding, the in-memory cable the printer simulators use, and a real
// port with a loopback plug (TX wired to RX) when HALLD_TEST_SERIAL names it.
import t from 'tap';
import { SerialPortMock } from 'serialport';
import { openSerialLink } from './hal-imports.js';
import { VirtualSerialBus, echoDevice } from '../../simulators/serial/virtual-serial-bus.js';
import { createMemoryLinkPair } from '../../simulators/escpos-printer/sim-serial-cable.js';
import { serialLinkContract } from './serial-link.js';
import { hardwarePart } from './hardware-part.js';

t.test('the driver on a virtual echo device', async (t) => {
  serialLinkContract(t, {
    open: () => {
      const bus = new VirtualSerialBus();
      bus.attach('/dev/ttyUSB0', echoDevice());
      return openSerialLink({ name: 'loop', path: '/dev/ttyUSB0', baudRate: 9600, binding: bus.binding });
    },
  });
});

let mockPath = 0;
t.test("the driver on serialport's own SerialPortMock binding (MockBinding, echo: true)", async (t) => {
  serialLinkContract(t, {
    open: () => {
      const path = `/dev/halld-mock-${process.pid}-${mockPath++}`;
      SerialPortMock.binding.createPort(path, { echo: true });
      return openSerialLink({ name: 'loop', path, baudRate: 9600, binding: SerialPortMock.binding });
    },
  });
});

t.test('the in-memory cable, its far end echoing', async (t) => {
  serialLinkContract(t, {
    open: async () => {
      const { host, device } = createMemoryLinkPair('mem://loop');
      device.onData((chunk) => void device.write(chunk).catch(() => undefined));
      return host;
    },
  });
});

const port = hardwarePart('HALLD_TEST_SERIAL', 'wire TX to RX on a serial adapter and set HALLD_TEST_SERIAL=/dev/ttyUSB0 (HALLD_TEST_SERIAL_BAUD, default 115200) to run this on hardware');

t.test('a real port with a loopback plug (HALLD_TEST_SERIAL)', async (t) => {
  serialLinkContract(t, {
    open: () => openSerialLink({ name: 'loopback', path: port.value ?? '', baudRate: Number(process.env['HALLD_TEST_SERIAL_BAUD'] ?? 115200) }),
    ...(port.skip === undefined ? {} : { skip: port.skip }),
  });
});
