// The locker on a Kerong KR-CU16 board (the other protocol family): a signed open sends one
// unlock frame and is confirmed by the lock-hook sensor, and occupancy comes from the board's
// infrared item sensors, so drop-off never offers a door with something in it.
import t from 'tap';
import { KERONG_IO, lockerFixture } from './locker-fixture.js';

t.setTimeout(120_000);

interface DoorState {
  door: number;
  occupied: boolean;
}

t.test('kerong-cu: one unlock per open; infrared occupancy in the state and for drop-off', async (t) => {
  const e = await lockerFixture(t, { io: KERONG_IO });
  t.match(await e.command('open', { door: 1, reason: 'staff deposit' }), { ok: true, data: { opened: true } });
  t.equal(e.bus.unlocksHeard(0, 1).length, 1);
  e.board.setItem(1, true);
  e.board.closeDoor(1);
  await e.until('door.closed', () => e.events('door.closed')[0]);
  const states: DoorState[][] = [];
  e.server.client.onState((device, role, state) => {
    if (device === 'cab-1' && role === 'locker') states.push(state.data['doors'] as DoorState[]);
  });
  // The poll reads the infrared bit; the state follows.
  e.board.setItem(2, true);
  const occupied = await e.until('door 2 occupied in the state', () => states.find((doors) => doors.find((d) => d.door === 2)?.occupied === true));
  t.equal(occupied.find((d) => d.door === 1)?.occupied, true, 'door 1 holds what staff put in');
  t.equal(occupied.find((d) => d.door === 3)?.occupied, false);
  // S is door 1 (occupied); M are doors 2 (occupied) and 3: a drop-off of M gets door 3.
  t.match(await e.page('drop-off', { size: 'S' }), { ok: false, reason: 'no-free-door' });
  t.match(await e.page('drop-off', { size: 'M' }), { ok: true, door: 3 });
});
