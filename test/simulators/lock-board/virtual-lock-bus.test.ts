// The lock-board simulators on their own, fed raw bytes with no driver in between: they
// answer the documented frames with the documented replies, read requests out of a stream
// however it is cut, ignore what is not for them, and run on serialport's own SerialPortMock.
import t, { type Test } from 'tap';
import { SerialPortMock } from 'serialport';
import type { SerialLink } from '../../../drivers/hal/types.js';
import { openSerialLink } from '../../../drivers/serial/serial-link.js';
import { VirtualSerialBus } from '../../../simulators/serial/virtual-serial-bus.js';
import { attachToMockPort } from '../../../simulators/serial/virtual-device.js';
import { VirtualLockBus } from '../../../simulators/lock-board/virtual-lock-bus.js';
import { sim8a80 } from '../../../simulators/lock-board/sim-8a80.js';
import { simKerongCu } from '../../../simulators/lock-board/sim-kerong-cu.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Resolves with the next `bytes` bytes the link receives (a barrier, not a sleep). */
function next(link: SerialLink, bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const guard = setTimeout(() => reject(new Error(`only ${got.length} of ${bytes} bytes arrived`)), 5000);
    const off = link.onData((chunk) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= bytes) {
        clearTimeout(guard);
        off();
        resolve(got.toString('hex'));
      }
    });
  });
}

async function open(t: Test, line: VirtualLockBus): Promise<SerialLink> {
  const serial = new VirtualSerialBus();
  serial.attach('/dev/ttyRS485-sim', line);
  const link = await openSerialLink({ name: 'rs485', path: '/dev/ttyRS485-sim', baudRate: 9600, binding: serial.binding });
  t.teardown(() => link.close());
  return link;
}

void t.test('8a80 simulator: the documented replies', async (t) => {
  const line = new VirtualLockBus(sim8a80());
  const board = line.addBoard({ address: 1, locks: 24 });
  const link = await open(t, line);
  let reply = next(link, 7);
  await link.write(h('80 01 00 33 b2'));
  t.equal(await reply, '800100000033b2', "all closed: Open-Locker's captured 80 01 00 00 00 33 B2");
  board.forceOpen(2);
  reply = next(link, 7);
  await link.write(h('80 01 00 33 b2'));
  t.equal(await reply, '800100000233b0', 'lock 2 open: the Android demo capture 80 01 00 00 02 33 B0');
  reply = next(link, 5);
  await link.write(h('8a 01 01 11 9b'));
  t.equal(await reply, '8a0101119b', 'unlock lock 1: acknowledged with the latch now open');
  t.same(board.pulses, [1]);
  reply = next(link, 5);
  await link.write(h('80 01 01 33 b3'));
  t.equal(await reply, '8001011191', 'query lock 1: 80 01 01 11 91');
});

void t.test('8a80 simulator on board 3, lock 7: board and lock bytes where they belong (BCCs worked out by hand)', async (t) => {
  // Neither is 1 and they differ: a simulator that misread them the way a driver did would still
  // agree with that driver, and with every literal of board 1 lock 1.
  const line = new VirtualLockBus(sim8a80());
  const board = line.addBoard({ address: 3, locks: 8 });
  const link = await open(t, line);
  let reply = next(link, 5);
  await link.write(h('80 03 07 33 b7'));
  t.equal(await reply, '8003070084', 'query lock 7, closed: 80 03 07 00 84');
  board.forceOpen(7);
  reply = next(link, 5);
  await link.write(h('80 03 07 33 b7'));
  t.equal(await reply, '8003071195', 'open: 80 03 07 11 95');
  board.closeDoor(7);
  board.jam(7);
  reply = next(link, 5);
  await link.write(h('8a 03 07 11 9f'));
  t.equal(await reply, '8a0307008e', 'unlock lock 7 (jammed, so still latched): 8A 03 07 00 8E');
  t.same(board.pulses, [7]);
  reply = next(link, 7);
  await link.write(h('80 03 00 33 b0'));
  t.equal(await reply, '800300000033b0', 'query all of board 3: 80 03 00 00 00 33 B0');
  await link.write(h('80 07 03 33 b7')); // board 7, lock 3: not on this line
  await link.write(h('8a 07 03 11 9f'));
  reply = next(link, 5);
  await link.write(h('80 03 07 33 b7')); // barrier: answered only after the two above were judged
  t.equal(await reply, '8003070084');
  t.same(board.pulses, [7], 'the swapped unlock pulsed nothing');
  t.same(line.heard.map((r) => [r.address, r.kind, r.lock, r.answered]).slice(-3), [
    [7, 'status', 3, false],
    [7, 'unlock', 3, false],
    [3, 'status', 7, true],
  ]);
});

void t.test('8a80 simulator: split requests, junk, bad BCC and strangers', async (t) => {
  const line = new VirtualLockBus(sim8a80());
  const board = line.addBoard({ address: 1, locks: 24 });
  const link = await open(t, line);
  const reply = next(link, 5);
  await link.write(h('00 8a 01'));
  await link.write(h('03 11 98')); // 8A 01 03 11 with a bad BCC (99 is right): ignored
  await link.write(h('80 09 00 33 ba')); // board 9 is not on the line: silence
  await link.write(h('ff 8a 01'));
  await link.write(h('02 11 98'));
  t.equal(await reply, '8a01021198', 'the only reply is to the one good request for this board');
  t.same(board.pulses, [2]);
  t.same(line.heard.map((r) => [r.address, r.kind, r.answered]), [
    [9, 'status-all', false],
    [1, 'unlock', true],
  ]);
});

void t.test('kerong-cu simulator: the documented frames, on serialport\'s SerialPortMock', async (t) => {
  const path = '/dev/ttyKERONG-mock';
  SerialPortMock.binding.createPort(path);
  t.teardown(() => SerialPortMock.binding.reset());
  const port = new SerialPortMock({ path, baudRate: 19200 });
  const line = new VirtualLockBus(simKerongCu());
  const board = line.addBoard({ address: 0, locks: 16, infrared: true });
  await attachToMockPort(port, line);
  t.teardown(() => new Promise<void>((resolve) => port.close(() => resolve())));
  const read = (bytes: number) =>
    new Promise<string>((resolve) => {
      let got = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length >= bytes) {
          port.off('data', onData);
          resolve(got.toString('hex'));
        }
      };
      port.on('data', onData);
    });
  board.setItem(1, true);
  let reply = read(9);
  port.write(h('02 00 32 03 37'));
  t.equal(await reply, '020036ffff0100033a', 'query all (02 00 32 03 37): a 0x36 frame, every hook closed (1), an item in 1');
  reply = read(9);
  port.write(h('02 00 31 03 36'));
  t.equal(await reply, '020035feff01000338', 'unlock lock 1 (02 00 31 03 36): a 0x35 frame, hook 1 released');
  t.same(board.pulses, [1]);
});
