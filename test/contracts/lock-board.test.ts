// The LockBoard contract on both protocol families: the real driver over each byte-level
// simulator on a virtual serial port, and the same through the sim board's hal.lockBoard()
// (io.lockBoards on an io.serial part, the virtual board the sim board attaches to that line).
import t from 'tap';
import { lockBoardContract } from './lock-board.js';
import { lockRig, runOnFakeTime } from '../drivers/lock-board/rig.js';
import { useFakeTime } from '../drivers/fake-time.js';
import { createSimHal } from '../../assembly/create-hal.js';

// Documented frames (hardware.md §3): 8a80 `8A bb ll 11 BCC`, kerong-cu `02 ll-1 31 03 (ll-1+0x36)`.
const xor = (b: number[]) => b.reduce((a, x) => a ^ x, 0);
const unlock8a80 = (lock: number) => Buffer.from([0x8a, 0x01, lock, 0x11, xor([0x8a, 0x01, lock, 0x11])]);
const unlockKerong = (lock: number) => Buffer.from([0x02, lock - 1, 0x31, 0x03, lock - 1 + 0x36]);

t.test('8a80 driver on a virtual line', async (t) => {
  lockBoardContract(t, '8a80', async (t) => ({ ...(await lockRig(t, { family: '8a80' })), unlockFrame: unlock8a80 }));
});

t.test('kerong-cu driver on a virtual line', async (t) => {
  lockBoardContract(t, 'kerong-cu', async (t) => ({ ...(await lockRig(t, { family: 'kerong-cu' })), unlockFrame: unlockKerong }));
});

for (const [protocol, address, locks, unlockFrame] of [
  ['8a80', 1, 24, unlock8a80],
  ['kerong-cu', 0, 16, unlockKerong],
] as const) {
  t.test(`hal.lockBoard() on the sim board (${protocol})`, async (t) => {
    lockBoardContract(t, `sim board ${protocol}`, async (t) => {
      const clock = useFakeTime(t);
      const listenerErrors: string[] = [];
      const hal = await createSimHal({
        board: 'sim',
        io: { serial: { rs485: { path: '/dev/ttyUSB1' } }, lockBoards: { 'cab-a': { serial: 'rs485', protocol, address, locks, replyTimeoutMs: 1000 } } },
        onListenerError: (part, err) => listenerErrors.push(`${part}: ${err instanceof Error ? err.message : String(err)}`),
      });
      t.teardown(() => hal.close());
      return {
        board: await hal.lockBoard('cab-a'),
        sim: hal.sim.lockBoard('cab-a'),
        line: hal.sim.lockBus('cab-a'),
        written: () => hal.sim.serialWritten('rs485'),
        run: runOnFakeTime(clock),
        listenerErrors,
        infrared: protocol === 'kerong-cu',
        unlockFrame,
      };
    });
  });
}
