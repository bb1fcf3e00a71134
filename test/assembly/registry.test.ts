// The assembly layer picks backends from a registry the drivers and simulators describe
// themselves to, and turns a board file's own error into the HAL's.
import t from 'tap';
import { createHal } from '../../assembly/create-hal.js';
import { defaultRegistry, type BackendRegistry } from '../../assembly/registry.js';
import { BoardError, loadBoard } from '../../boards/index.js';
import { HalError } from '../../drivers/hal/types.js';
import type { BackendRequest } from '../../drivers/hal/backend.js';
import { simulatorGpioBackends, simulatorSpeakerBackends } from '../../simulators/backends.js';

t.test('the default registry has every driver backend and every simulator backend', async (t) => {
  t.same(defaultRegistry.gpio.map((d) => d.kind).sort(), ['chardev', 'firmata', 'sim', 'sysfs']);
  t.same(defaultRegistry.speakers.map((d) => d.kind).sort(), ['espeak', 'none', 'sim']);
});

t.test('createHal opens the backend the board names from the registry it is given', async (t) => {
  const requests: BackendRequest[] = [];
  const sim = simulatorGpioBackends[0];
  if (!sim) throw new Error('the simulators register a sim backend');
  const registry: BackendRegistry = {
    gpio: [{ kind: 'sim', open: (request, deps) => (requests.push(request), sim.open(request, deps)) }],
    speakers: simulatorSpeakerBackends,
  };
  const hal = await createHal({ board: 'sim', io: { inputs: { 'cat-1': { pin: 'GPIO17' } } }, registry });
  t.teardown(() => hal.close());
  t.equal(requests.length, 1);
  t.equal(requests[0]?.board.id, 'sim');
  t.same(requests[0]?.io.inputs.map((i) => [i.name, i.line]), [['cat-1', 17]], 'the backend gets the resolved io');
  t.equal(hal.input('cat-1').isActive(), false);
});

t.test('a backend nobody registered is UNAVAILABLE, naming the registered ones', async (t) => {
  await t.rejects(createHal({ board: 'sim', registry: { gpio: [], speakers: [] } }), { name: 'HalError', code: 'UNAVAILABLE', message: 'no GPIO backend "sim" is registered (registered: none)' });
  // A GPIO backend with no lines, so only the speaker lookup can fail.
  const noSpeaker: BackendRegistry = {
    gpio: [{ kind: 'chardev', open: async () => ({ gpio: { backend: 'chardev', inputs: new Map(), outputs: new Map(), close: async () => undefined } }) }],
    speakers: [],
  };
  await t.rejects(createHal({ board: 'rpi-4b', backendOverride: 'chardev', io: { speaker: { kind: 'espeak' } }, registry: noSpeaker }), {
    code: 'UNAVAILABLE',
    message: /no speaker backend "espeak"/,
  });
});

t.test('boards/ throws its own BoardError; createHal turns it into HalError BAD_CONFIG', async (t) => {
  const fromBoards = await loadBoard('rpi-3').catch((err: unknown) => err);
  t.ok(fromBoards instanceof BoardError);
  t.notOk(fromBoards instanceof HalError, 'boards/ imports nothing of ours');
  const fromHal = await createHal({ board: 'rpi-3' }).catch((err: unknown) => err);
  t.ok(fromHal instanceof HalError);
  t.match(fromHal, { code: 'BAD_CONFIG', message: /no board "rpi-3"/ });
  t.ok((fromHal as HalError).cause instanceof BoardError);
});
