// The LockBoard contract on every protocol family: the real driver over each byte-level
// simulator on a virtual serial port, and the same through the sim board's hal.lockBoard()
// (io.lockBoards on an io.serial part, the virtual board the sim board attaches to that line).
import t from 'tap';
import { lockBoardBehaviour, lockBoardContract } from './lock-board.js';
import { FAMILIES, lockRig, runOnFakeTime, type Family } from '../drivers/lock-board/rig.js';
import { SIM_LOCK_BOARD_FAMILIES } from '../../simulators/lock-board/families.js';
import { settle, useFakeTime } from '../drivers/fake-time.js';
import { createSimHal } from '../../assembly/create-hal.js';

// Documented frames (docs/hardware.md, "Lock boards: 8A/80 family" and "Lock boards: Kerong KR-CU"),
// for each family's example board: 8a80 board 1 `8A 01 ll 11 BCC`, kerong-cu board 0 `02 ll-1 31 03 (ll-1+0x36)`.
// Typed by every family, so a new family cannot run the contract without its documented frame.
const xor = (b: number[]) => b.reduce((a, x) => a ^ x, 0);
const DOCUMENTED_UNLOCK: Readonly<Record<Family, (lock: number) => Buffer>> = {
  '8a80': (lock) => Buffer.from([0x8a, 0x01, lock, 0x11, xor([0x8a, 0x01, lock, 0x11])]),
  'kerong-cu': (lock) => Buffer.from([0x02, lock - 1, 0x31, 0x03, lock - 1 + 0x36]),
};

for (const family of FAMILIES) {
  t.test(`${family} driver on a virtual line`, async (t) => {
    lockBoardContract(t, family, async (t) => ({ ...(await lockRig(t, { family })), unlockFrame: DOCUMENTED_UNLOCK[family] }));
  });
}

for (const protocol of FAMILIES) {
  const { address, locks } = SIM_LOCK_BOARD_FAMILIES[protocol].example;
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
        infrared: SIM_LOCK_BOARD_FAMILIES[protocol].infrared,
        unlockFrame: DOCUMENTED_UNLOCK[protocol],
      };
    });
  });
}

// The "gpio" backend: relays and door switches on the sim board's own lines, and on MCP23017
// pins (the real expander driver over the register-level chip). Door switches are debounced and
// expander pins polled, so a switch shows a door's new state only after SWITCH_SETTLE_MS: the
// rig lets that much fake time pass before each status read, as the locker's sensor polling does.
const LOCKS = 6;
const EXPANDER_POLL_MS = 20;
const SWITCH_SETTLE_MS = EXPANDER_POLL_MS + 30 + 1;

for (const onExpander of [false, true]) {
  t.test(`hal.lockBoard() for a relay cabinet on the sim board (${onExpander ? 'MCP23017 pins' : 'GPIO lines'})`, async (t) => {
    lockBoardBehaviour(t, `gpio ${onExpander ? 'expander' : 'board lines'}`, async (t) => {
      const clock = useFakeTime(t, 1_000_000);
      const listenerErrors: string[] = [];
      const relays = Array.from({ length: LOCKS }, (_, i) => `relay-${i + 1}`);
      const sensors = Array.from({ length: LOCKS }, (_, i) => `door-${i + 1}`);
      const relayPin = (i: number) => (onExpander ? `exp1:A${i}` : [5, 6, 12, 13, 16, 19][i]!);
      const sensorPin = (i: number) => (onExpander ? `exp1:B${i}` : [20, 21, 22, 23, 24, 25][i]!);
      const hal = await createSimHal({
        board: 'sim',
        io: {
          ...(onExpander ? { expanders: { exp1: { address: 0x20, pollMs: EXPANDER_POLL_MS } } } : {}),
          outputs: Object.fromEntries(relays.map((r, i) => [r, { pin: relayPin(i) }])),
          // Two wirings: board lines active-low with the switch high when open; expander pins active-high, switch low when open.
          inputs: Object.fromEntries(sensors.map((s, i) => [s, { pin: sensorPin(i), pull: 'up', activeLow: !onExpander }])),
          lockBoards: { cab: { protocol: 'gpio', locks: relays.map((relay, i) => ({ relay, sensor: sensors[i]! })), pulseMs: 200, sensorOpenLevel: onExpander ? 0 : 1 } },
        },
        onListenerError: (part, err) => listenerErrors.push(`${part}: ${err instanceof Error ? err.message : String(err)}`),
      });
      t.teardown(() => hal.close());
      const board = await hal.lockBoard('cab');
      const run = runOnFakeTime(clock);
      const settleSwitches = async () => {
        for (let ms = 0; ms < SWITCH_SETTLE_MS; ms++) {
          await settle(3);
          await clock.tickAsync(1);
        }
      };
      const reading = <A extends unknown[], R>(read: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
        await settleSwitches();
        return read(...args);
      };
      const energised = () => relays.reduce((n, r) => n + hal.sim.outputHistory(r).slice(1).filter((c) => c.active).length, 0);
      return {
        board: {
          name: board.name,
          protocol: board.protocol,
          locks: board.locks,
          open: (lock: number) => board.open(lock),
          status: reading((lock: number) => board.status(lock)),
          statusAll: reading(() => board.statusAll()),
          health: () => board.health(),
          onHealth: (listener: Parameters<typeof board.onHealth>[0]) => board.onHealth(listener),
          close: () => board.close(),
        },
        sim: hal.sim.relayCabinet('cab'),
        unlocksSent: energised,
        quiet: () => relays.every((r) => hal.sim.outputHistory(r).length === 1),
        run,
        listenerErrors,
        infrared: false,
      };
    });
  });
}
