// SerialLink: what only a simulator can stage — a missing port, split replies, unplugging, a
// locked port. The behaviour every link has is the contract: test/contracts/serial-link.test.ts.
// Nothing here sleeps: each wait is for something that must arrive (until()).
import t from 'tap';
import { openSerialLink } from '../../drivers/serial/serial-link.js';
import { VirtualSerialBus, echoDevice } from '../../simulators/serial/virtual-serial-bus.js';
import type { VirtualLine } from '../../simulators/serial/virtual-device.js';
import { until } from '../../testkit/wait.js';

function echoRig() {
  const bus = new VirtualSerialBus();
  bus.attach('/dev/ttyUSB0', echoDevice());
  return { bus, open: () => openSerialLink({ name: 'loop', path: '/dev/ttyUSB0', baudRate: 9600, binding: bus.binding }) };
}

t.test('a port that does not exist: UNAVAILABLE naming the part and path', async (t) => {
  const { bus } = echoRig();
  await t.rejects(openSerialLink({ name: 'printer', path: '/dev/ttyUSB9', baudRate: 9600, binding: bus.binding }), {
    code: 'UNAVAILABLE',
    message: /^serial port printer \(\/dev\/ttyUSB9\) could not be opened: .*No such file or directory/,
  });
});

t.test('the port settings reach the device; replies split in chunks arrive as chunks', async (t) => {
  const bus = new VirtualSerialBus();
  let line: VirtualLine | undefined;
  bus.attach('/dev/ttyS0', {
    opened: (l) => (line = l),
    receive: (bytes, l) => void l.send(Buffer.from([0x80, 0x01, 0x00, 0x00, 0x04, 0x33, 0xb6]), { chunks: [3] }),
  });
  const link = await openSerialLink({ name: 'locks', path: '/dev/ttyS0', baudRate: 19200, parity: 'even', binding: bus.binding });
  t.teardown(() => link.close());
  t.equal(line?.baudRate, 19200);
  const chunks: string[] = [];
  link.onData((c) => chunks.push(c.toString('hex')));
  await link.write(Buffer.from([0x80, 0x01, 0x00, 0x33, 0xb2]));
  await until('the 7-byte reply', () => chunks.join('').length === 14);
  t.same(chunks, ['800100', '000433b6'], 'framing is left to the caller');
  t.equal(bus.written('/dev/ttyS0').toString('hex'), '80010033b2', 'the exact bytes written');
});

t.test('unplugging: onClose once with a disconnect error, writes rejected, reopening fails until replug', async (t) => {
  const { bus, open } = echoRig();
  const link = await open();
  const closes: Array<Error | undefined> = [];
  link.onClose((err) => closes.push(err));
  bus.unplug('/dev/ttyUSB0');
  await until('the close', () => closes.length > 0);
  t.match(closes[0], { disconnected: true, message: /unplugged/ });
  t.notOk(link.isOpen());
  await t.rejects(link.write(Buffer.from([1])), { code: 'CLOSED', message: /is closed \(device unplugged \(simulated\)\)/ });
  await t.rejects(open(), { code: 'UNAVAILABLE' });
  bus.replug('/dev/ttyUSB0');
  const again = await open();
  t.ok(again.isOpen());
  t.equal(closes.length, 1, 'the old link closed once (checked after the new link opened: the barrier)');
  await again.close();
});

t.test('a port already open elsewhere is locked', async (t) => {
  const { open } = echoRig();
  const first = await open();
  t.teardown(() => first.close());
  await t.rejects(open(), { code: 'UNAVAILABLE', message: /lock/i });
});
