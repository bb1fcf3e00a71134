// On a real board the window panel is the panel process (PanelHost; its child replaced by the
// fake that never loads rpi-led-matrix). The child dies with a frame half taken: the caller
// reports panel.fault, the runtime keeps answering sys/ping and commands, PanelHost restarts the
// child, the caller reports panel.ok, and the restarted panel shows the latest call.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHal } from '../../../assembly/create-hal.js';
import { FakeGpiod, piHeaderChip } from '../../../simulators/gpiod/fake-gpiod.js';
import { tempDir } from '../../../testkit/temp.js';
import { waitFor } from '../../../testkit/wait.js';
import { callerFixture, DEVICE } from './caller-fixture.js';

t.setTimeout(60_000);

const fakeChild = join(dirname(fileURLToPath(import.meta.url)), '../../drivers/matrix/fixtures/fake-panel-child.js');

t.test('the panel process dies mid-frame: panel.fault, the device answers, panel.ok, the latest call is back', async (t) => {
  const record = join(await tempDir(t), 'frames.log');
  const gpiod = new FakeGpiod({ major: 2, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
  const io = { matrices: { win: { rows: 16, cols: 32 } }, speaker: { kind: 'none' } };
  const f = await callerFixture(t, {
    io,
    role: { panels: { window: 'win' }, keys: {} },
    board: {
      id: 'rpi-4b',
      // The third frame kills the child before it is acknowledged: frame 1 = idle, 2 = A001, 3 = A002.
      hal: () => createHal({ board: 'rpi-4b', io, deps: { runner: gpiod.runner, panelChild: { entry: fakeChild, env: { FAKE_PANEL_MODE: 'crash', FAKE_PANEL_CRASH_AT: '3', FAKE_PANEL_RECORD: record } } } }),
    },
  });
  // The child writes the file when it starts; until then no frame.
  const frames = async () => (await readFile(record, 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('frame')).length;
  await waitFor('the idle frame on the glass', async () => ((await frames()) >= 1 ? true : undefined));
  t.match(await f.command('call', { ticket: 'A001', window: '5' }), { ok: true });
  await waitFor('A001 on the glass', async () => ((await frames()) >= 2 ? true : undefined));
  t.match(await f.command('call', { ticket: 'A002', window: '5' }), { ok: true });

  const fault = await waitFor('panel.fault', () => f.events('panel.fault')[0]);
  t.match(fault.message.data, { panel: 'win', code: 'MATRIX_CHILD_EXIT', message: /code 3/, restarts: 0 });
  t.match(await f.server.client.commandUnchecked(DEVICE, 'sys/ping', { during: 'fault' }), { ok: true, data: { during: 'fault' } }, 'the runtime answers');
  t.match(await f.command('call', { ticket: 'A003', window: '5' }), { ok: true }, 'commands still run while the panel is down');

  const ok = await waitFor('panel.ok', () => f.events('panel.ok')[0], 20_000);
  t.match(ok.message.data, { panel: 'win', restarts: 1 });
  t.ok(ok.message.seq > fault.message.seq, 'fault first, then ok');
  const log = await readFile(record, 'utf8');
  t.match(log, /crashed\n/, 'the child died mid-frame');
  t.equal(log.split('\n').filter((l) => l.startsWith('ready')).length, 2, 'and was started again');
  const state = await waitFor('state shows the panel up', () => {
    const s = f.state();
    const panels = s?.['panels'] as { state: string; restarts: number }[] | undefined;
    // The current call is the one heard last: A003 once its announcement has started.
    return panels?.[0]?.state === 'ok' && panels[0].restarts === 1 && (s?.['current'] as { ticket?: string } | null)?.ticket === 'A003' ? s : undefined;
  }, 20_000);
  t.match(state, { current: { ticket: 'A003' } });
  t.equal(f.events('panel.fault').length, 1, 'one fault reported for one crash');
});
