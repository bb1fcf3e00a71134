// The virtual serial devices the printer, lock-board and scanner simulators plug into.
import t from 'tap';
import { SerialPort, SerialPortMock, InterByteTimeoutParser } from 'serialport';
import { VirtualSerialBus } from '../../simulators/serial/virtual-serial-bus.js';
import { attachToMockPort, type VirtualLine, type VirtualSerialDevice } from '../../simulators/serial/virtual-device.js';
import { useFakeTime, settle } from '../drivers/fake-time.js';

/** A scanner that answers "scan" with a barcode, the way scanners split USB packets. */
// SerialPort's typing omits `binding`; the class spreads it over its default (serialport.js).
type PortOptions = ConstructorParameters<typeof SerialPort>[0];

function scanner(code: string): VirtualSerialDevice & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    opened: (line) => events.push(`open ${line.path} @${line.baudRate}`),
    closed: () => events.push('closed'),
    receive: (bytes, line) => {
      events.push(`rx ${bytes.toString('hex')}`);
      void line.send(`${code}\r`, { chunkSize: 4 });
    },
  };
}

function readAll(port: { on(event: 'data', listener: (chunk: Buffer) => void): unknown }, bytes: number): Promise<string[]> {
  const chunks: string[] = [];
  let have = 0;
  return new Promise((resolve) => {
    port.on('data', (c: Buffer) => {
      chunks.push(c.toString('latin1'));
      have += c.length;
      if (have >= bytes) resolve(chunks);
    });
  });
}

t.test('a device on a bus port: sees each write, answers in chunks, sees open and close', async (t) => {
  const bus = new VirtualSerialBus();
  const device = scanner('6901234567890');
  bus.attach('/dev/ttyACM1', device);
  const port = new SerialPort({ path: '/dev/ttyACM1', baudRate: 115200, binding: bus.binding } as PortOptions);
  await new Promise((r) => port.once('open', r));
  const reply = readAll(port, 14);
  port.write(Buffer.from([0x16, 0x54, 0x0d]));
  t.same(await reply, ['6901', '2345', '6789', '0\r'], 'each chunk is its own read');
  t.equal(bus.written('/dev/ttyACM1').toString('hex'), '16540d');
  await new Promise((r) => port.close(r));
  t.same(device.events, ['open /dev/ttyACM1 @115200', 'rx 16540d', 'closed']);
  t.same((await bus.binding.list()).map((p) => p.path), ['/dev/ttyACM1']);
});

t.test('gapMs spaces chunks in time, so inter-byte-timeout framing sees two frames', async (t) => {
  const clock = useFakeTime(t);
  const bus = new VirtualSerialBus();
  let line: VirtualLine | undefined;
  bus.attach('/dev/ttyS1', { opened: (l) => (line = l), receive: () => undefined });
  const port = new SerialPort({ path: '/dev/ttyS1', baudRate: 9600, binding: bus.binding } as PortOptions);
  await new Promise((r) => port.once('open', r));
  const frames: string[] = [];
  port.pipe(new InterByteTimeoutParser({ interval: 30 })).on('data', (f: Buffer) => frames.push(f.toString('hex')));
  const sent = line?.send(Buffer.from([0x8a, 0x01, 0x01, 0x00, 0x8a, 0x80, 0x01]), { chunks: [5], gapMs: 100 });
  await settle();
  clock.tick(30);
  t.same(frames, ['8a0101008a'], 'first frame after 30 ms of quiet');
  clock.tick(70);
  await settle();
  await sent;
  clock.tick(30);
  t.same(frames, ['8a0101008a', '8001']);
  await new Promise((r) => port.close(r));
});

t.test("attachToMockPort works on serialport's own SerialPortMock", async (t) => {
  const path = `/dev/halld-virtual-${process.pid}`;
  SerialPortMock.binding.createPort(path);
  const port = new SerialPortMock({ path, baudRate: 9600 });
  const device = scanner('ABC');
  await attachToMockPort(port, device);
  const reply = readAll(port, 4);
  port.write(Buffer.from('S'));
  t.same((await reply).join(''), 'ABC\r');
  await new Promise((r) => port.close(r));
});
