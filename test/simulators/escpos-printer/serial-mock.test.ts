// The real driver over the real SerialLink (drivers/serial) on serialport mock bindings, with
// the virtual printer answering through the binding: MockBinding + attachToSerialPortMock, and
// the per-test VirtualSerialBus + asVirtualSerialDevice.
import t from 'tap';
import { SerialPortMock, type SerialPort } from 'serialport';
import { SerialPortLink, openSerialLink } from '../../../drivers/serial/serial-link.js';
import { EscPosTicketPrinter, PrinterNotReadyError, serialLinkTransport } from '../../../drivers/printer/index.js';
import { VirtualSerialBus } from '../../../simulators/serial/virtual-serial-bus.js';
import { VirtualEscPosPrinter, asVirtualSerialDevice, attachToSerialPortMock, renderTicketText } from '../../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS } from '../../drivers/printer/rig.js';

t.afterEach(() => SerialPortMock.binding.reset());

t.test('MockBinding: status, a ticket, a refusal and a timeout', async (t) => {
  const path = '/dev/ttyPRINTER';
  SerialPortMock.binding.createPort(path, { record: true });
  const port = new SerialPortMock({ path, baudRate: 9600 });
  await new Promise<void>((resolve) => port.once('open', () => resolve()));
  const sim = new VirtualEscPosPrinter();
  const detach = attachToSerialPortMock(sim, port);
  // The HAL's SerialPortLink over this very stream. SerialPortMock is the same SerialPortStream
  // class as SerialPort with a different binding type parameter, hence the cast.
  const link = new SerialPortLink('printer', port as unknown as SerialPort);
  const printer = new EscPosTicketPrinter(serialLinkTransport(link), { statusTimeoutMs: 200 });

  t.ok((await printer.status()).ready);
  await printer.print({ fields: SAMPLE_FIELDS });
  const ticket = sim.tickets()[0];
  t.ok(ticket, 'one ticket printed');
  t.ok(ticket!.items.some((i) => i.type === 'text' && i.text === '业务类别：社保业务·𠮷'));
  t.ok(ticket!.items.some((i) => i.type === 'qr' && i.data === SAMPLE_FIELDS.qrUrl));
  t.match(renderTicketText(ticket!), /某某区政务服务中心/);
  t.equal(port.port?.recording.length, sim.receivedBytes, 'the mock recorded exactly what the printer parsed');

  sim.setFaults({ coverOpen: true });
  await t.rejects(printer.print({ fields: SAMPLE_FIELDS }), PrinterNotReadyError);
  t.equal(sim.tickets().length, 1);

  sim.setFaults({ coverOpen: false, noReply: true });
  await t.rejects(printer.status(), { code: 'TIMEOUT' });

  detach();
  await printer.close();
  await link.close();
});

t.test('attaching before open is an error', async (t) => {
  SerialPortMock.binding.createPort('/dev/ttyCLOSED');
  const port = new SerialPortMock({ path: '/dev/ttyCLOSED', baudRate: 9600, autoOpen: false });
  t.throws(() => attachToSerialPortMock(new VirtualEscPosPrinter(), port), /open the port first/);
});

t.test('VirtualSerialBus: openSerialLink as on a board, printer behind the bus', async (t) => {
  const bus = new VirtualSerialBus();
  const sim = new VirtualEscPosPrinter();
  bus.attach('/dev/ttyUSB0', asVirtualSerialDevice(sim));
  const link = await openSerialLink({ name: 'printer', path: '/dev/ttyUSB0', baudRate: 115200, binding: bus.binding });
  const printer = new EscPosTicketPrinter(serialLinkTransport(link), { statusTimeoutMs: 200 });
  sim.setFaults({ paperLow: true });
  t.match(await printer.status(), { ready: true, paperLow: true, faults: ['paper-low'] });
  await printer.print({ fields: SAMPLE_FIELDS });
  t.equal(sim.tickets().length, 1);
  await printer.close();
  await link.close();
});
