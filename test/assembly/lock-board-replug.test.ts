// A USB–RS485 adapter pulled out and put back: the lock boards on it answer again without a
// restart. Until it is back every call ends CLOSED (never a throw), and an unlock asked for
// while it is gone is not sent later (an open is never queued behind a missing line).
import t from 'tap';
import { createSimHal } from '../../assembly/create-hal.js';

const io = {
  serial: { rs485: { path: '/dev/ttyUSB1' } },
  lockBoards: {
    'cab-a': { serial: 'rs485', protocol: '8a80', address: 1, locks: 12 },
    'cab-b': { serial: 'rs485', protocol: '8a80', address: 2, locks: 12 },
  },
};

t.test('after unplug and replug, both boards on the line answer again through the same LockBoard objects', async (t) => {
  const hal = await createSimHal({ board: 'sim', io });
  t.teardown(() => hal.close());
  const a = await hal.lockBoard('cab-a');
  const b = await hal.lockBoard('cab-b');
  t.ok((await a.status(1)).ok, 'answers before');

  hal.sim.unplugSerial('rs485');
  const gone = await a.status(1);
  t.match(gone, { ok: false, code: 'CLOSED' }, 'a status while unplugged ends CLOSED');
  const lostOpen = await b.open(4);
  t.match(lostOpen, { ok: false, code: 'CLOSED' }, 'an open while unplugged ends CLOSED');

  hal.sim.replugSerial('rs485');
  const back = await a.status(1);
  t.match(back, { ok: true, value: { lock: 1, open: false } }, 'cab-a answers after replug');
  t.ok((await b.open(5)).ok, 'cab-b opens after replug');
  t.same(
    hal.sim.lockBus('cab-a').unlocksHeard().map((r) => [r.address, r.lock]),
    [[2, 5]],
    'only the open asked for after replug reached the wire: the one refused while unplugged was never sent',
  );
});
