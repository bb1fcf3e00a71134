// Server `call` → the caller's first frame taken by the window panel's process and → the first
// sound started (the chime's first tone reaching the speaker), each against the bare
// command→ack round trip (sys/ping) through the same broker in the same run. The panel is the
// real PanelHost on a Pi 4 board config (its child is simulators/matrix/panel-process.js, which
// acknowledges each frame like rpi-led-matrix after sync(), minus the panel); the speaker
// records. Both are watched from the same process at setImmediate resolution.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAedesBroker } from '../simulators/hall/aedes-broker.js';
import { ReferenceServer } from '../simulators/hall/reference-server.js';
import { fileURLToPath } from 'node:url';
import { createHal } from '../assembly/create-hal.js';
import { FakeGpiod, piHeaderChip } from '../simulators/gpiod/fake-gpiod.js';
import { SimSpeaker } from '../simulators/speaker/sim-speaker.js';
import type { LedMatrix } from '../drivers/hal/types.js';
import { parseConfig } from '../firmware/config/parse-config.js';
import { Runtime } from '../firmware/runtime.js';
import { silentLogger } from '../firmware/log.js';
import { until } from '../testkit/wait.js';
import { report, median } from './stats.js';
import { bareDb } from './bare-insert.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
const WARMUP = 5;
const DEVICE = 'caller-bench';

export async function benchCallerCall(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-caller-'));
  const broker = await startAedesBroker({ port: 0 });
  const server = new ReferenceServer({ url: broker.url, hall: 'bench' });
  await server.start();
  const config = parseConfig({
    hall: 'bench',
    device: DEVICE,
    board: 'rpi-4b',
    dataDir: join(dir, 'data'),
    broker: { url: broker.url },
    io: { matrices: { win: { rows: 16, cols: 64, chain: 2 } }, speaker: { kind: 'sim' } },
    roles: { sys: {}, caller: { window: '5', panels: { window: 'win' }, voice: { repeat: 1, gapMs: 0 } } }, // gapMs 0: each round measures the call, not the silence kept after the previous one
  });
  const gpiod = new FakeGpiod({ major: 2, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
  const entry = fileURLToPath(new URL('../simulators/matrix/panel-process.js', import.meta.url));
  const hal = await createHal({ board: 'rpi-4b', io: config.io, deps: { runner: gpiod.runner, panelChild: { entry } } });
  // The recording speaker (io.speaker.kind "sim") stands in for the sound card: its log is when each sound starts.
  const recorder = hal.speaker();
  if (!(recorder instanceof SimSpeaker)) throw new Error('bench: expected the recording speaker');
  const runtime = await Runtime.start(config, { log: silentLogger(), hal });
  try {
    const panel: LedMatrix = await hal.matrix('win');
    await until('panel process ready', () => panel.health().state === 'ok', 10_000);
    await until('device online', () => server.client.status(DEVICE)?.online === true, 10_000);
    const toFrame: number[] = [];
    const toSound: number[] = [];
    const rtt: number[] = [];
    const stateRtt: number[] = [];
    // A durable command cannot cost less than a ping plus one fsync: that sum is its second floor.
    const bare = await bareDb(dir);
    const inserts: number[] = [];
    for (let i = 0; i < ROUNDS + WARMUP; i++) {
      const ping = performance.now();
      await server.client.command(DEVICE, 'sys/ping', { i });
      const pinged = performance.now() - ping;
      // A journaled command that shows and plays nothing: where the call's time goes besides painting.
      const mode = performance.now();
      await server.client.command(DEVICE, 'caller/mode', { mode: 'voice' });
      const moded = performance.now() - mode;
      const frames = panel.health().shown;
      const sounds = recorder.events().length;
      let frameAt = 0;
      let soundAt = 0;
      const t0 = performance.now();
      const ack = server.client.command(DEVICE, 'caller/call', { ticket: `A${String(i).padStart(3, '0')}`, window: '5' });
      await until('frame and sound', () => {
        if (frameAt === 0 && panel.health().shown > frames) frameAt = performance.now();
        if (soundAt === 0 && recorder.events().length > sounds) soundAt = performance.now();
        return frameAt !== 0 && soundAt !== 0;
      }, 10_000);
      const answer = await ack;
      if (!answer.ok) throw new Error(`bench: call refused: ${answer.error.message}`);
      // The announcement ends before the next round, so no call waits behind another.
      await until('announced', () => server.events.some((e) => e.name === 'announced' && e.message.data['ticket'] === `A${String(i).padStart(3, '0')}`), 10_000);
      // Sampled last, when the device is idle, so that its fsync does not touch the round's figures.
      const inserted = await bare.insertMs(i);
      if (i >= WARMUP) {
        rtt.push(pinged);
        stateRtt.push(moded);
        inserts.push(inserted);
        toFrame.push(frameAt - t0);
        toSound.push(soundAt - t0);
      }
    }
    await bare.close();
    const floor = median(rtt);
    report('caller call → frame in panel process', median(toFrame), 'ms', 'sys/ping round trip', floor, `median of ${toFrame.length}; acknowledged by the panel process`);
    report('caller mode → ack (journaled)', median(stateRtt), 'ms', 'sys/ping round trip', floor, 'a records command: one commit (journal row + record + ack), nothing shown');
    report('  same, against ping + one fsync', median(stateRtt), 'ms', "sys/ping + one fsync'd SQLite insert", floor + median(inserts), `insert ${median(inserts).toFixed(3)} ms, sampled each round`);
    report('caller call → first sound started', median(toSound), 'ms', 'sys/ping round trip', floor, 'chime\'s first tone at the (sim) speaker');
  } finally {
    await runtime.stop('bench done');
    await server.stop();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('caller-call.js')) await benchCallerCall();
