// docs/technician.md as a technician follows it: every ```sh block, in order, against a
// simulated kiosk (`halld run` on the sim board as a child process), each checked against the
// `<!-- doc-test {...} -->` comment above it: exit status, lines of stdout/stderr, and what
// happens to the box first ("before": the paper runs out, halld stops). Blocks that ask the
// technician to press buttons are answered through the sim board's control socket as the
// prompts come. A block without its comment fails the test, so the guide cannot grow an
// unchecked command.
import t from 'tap';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simControl } from '../../simulators/hal/sim-control-socket.js';
import { CLI, deviceProcess, runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { kioskRig, twoButtonKiosk, untilControlAnswers } from './suites/kiosk-rig.js';
import { connectAsync } from 'mqtt';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { waitFor } from '../../testkit/wait.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** The broker the guide names; the test's own broker stands in for it. */
const DOC_BROKER = 'mqtt://broker.hall.local:1883';
const DAY = 24 * 3600 * 1000;

/**
 * What happens to the box before a block: the paper runs out or is refilled, halld stops or
 * starts, the broker goes away or comes back, the server's time beacon says the board's clock
 * is two days behind, or that it is right.
 */
type Before = 'paper-out' | 'paper-in' | 'stop-halld' | 'start-halld' | 'broker-down' | 'broker-up' | 'clock-2-days-behind' | 'clock-right';

interface Expect {
  exit?: number;
  stdout?: string[];
  stderr?: string[];
  before?: Before | Before[];
  /** Inputs to press, one per `[role/test]` prompt line, in order. */
  press?: string[];
}

export interface DocBlock {
  line: number;
  script: string;
  expect: Expect | undefined;
}

/** Every ```sh block with the doc-test comment right above it (undefined when there is none). */
export function checkedShBlocks(markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const m of markdown.matchAll(/(?:<!-- doc-test (\{.*\}) -->\n)?^```sh\n([\s\S]*?)^```$/gm)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    blocks.push({ line, script: m[2] ?? '', expect: m[1] !== undefined ? (JSON.parse(m[1]) as Expect) : undefined });
  }
  return blocks;
}

const PROMPT = /^\[[a-z0-9-]+\/[a-z0-9-]+\] /;

t.test('every sh block of docs/technician.md runs against a sim kiosk and says what the guide claims', async (t) => {
  const blocks = checkedShBlocks(await readFile(join(REPO, 'docs/technician.md'), 'utf8'));
  t.ok(blocks.length >= 8, `found ${blocks.length} blocks`);
  for (const b of blocks) t.ok(b.expect, `the block at line ${b.line} has its doc-test comment`);

  const dir = await tempDir(t);
  const rig = await kioskRig(t);
  const { printer, printerPort } = rig;
  let broker = rig.broker;
  const kiosk = twoButtonKiosk(printerPort);
  const device = await deviceProcess(t, join(dir, 'dev'), {
    hall: 'hall-1',
    device: 'kiosk-1',
    board: 'sim',
    broker: { url: broker.url, reconnectMinMs: 100, reconnectMaxMs: 1000, keepaliveS: 5 },
    io: { ...kiosk.io, outputs: { identify: { pin: 'GPIO22' } } },
    roles: { sys: {}, 'ticket-printer': kiosk.section },
  });
  const dataDir = join(dir, 'dev', 'data');
  const online = () => untilControlAnswers(dataDir, true);
  device.start();
  await online();

  // `sudo` passes the command through (the socket's owner is this user); `halld` is this build.
  const bin = join(dir, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'halld'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await writeFile(join(bin, 'sudo'), '#!/bin/sh\nexec "$@"\n');
  await chmod(join(bin, 'halld'), 0o755);
  await chmod(join(bin, 'sudo'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, HALLD_CONFIG: device.configFile };

  const status = async () => JSON.parse((await runCli(['status', '--json', '-c', device.configFile], 90_000)).stdout) as { broker: { connected: boolean; lastError: unknown }; clock: { beacons: number } };
  const beacon = async (ts: number) => {
    const seen = (await status()).clock.beacons;
    const server = await connectAsync(broker.url, { clientId: 'doc-server', reconnectPeriod: 0 });
    await server.publishAsync('halld/v1/hall-1/time', JSON.stringify({ v: 1, ts }), { qos: 1 });
    await server.endAsync();
    await waitFor('the beacon at the device', async () => (await status()).clock.beacons > seen, 20_000, 200);
  };
  const before = async (what: Before | undefined) => {
    switch (what) {
      case undefined:
        return;
      case 'broker-down':
        await broker.close();
        await waitFor('the device sees the broker gone, and why', async () => {
          const s = await status();
          return !s.broker.connected && s.broker.lastError !== null;
        }, 20_000, 200);
        return;
      case 'broker-up':
        broker = await startAedesBroker({ port: broker.port });
        t.teardown(() => broker.close());
        await online();
        return;
      case 'clock-2-days-behind':
        return beacon(Date.now() + 2 * DAY);
      case 'clock-right':
        return beacon(Date.now());
      case 'paper-out':
        return printer.setFaults({ paperOut: true });
      case 'paper-in':
        return printer.setFaults({ paperOut: false });
      case 'stop-halld':
        t.equal(await device.kill('SIGTERM'), 0, 'halld stopped cleanly');
        return;
      case 'start-halld':
        device.start();
        await online();
        return;
    }
  };

  for (const b of blocks) {
    const expect = b.expect ?? {};
    for (const what of [expect.before ?? []].flat()) await before(what);
    const script = b.script.replaceAll(DOC_BROKER, broker.url);
    const r = await runBlock(script, env, dir, expect.press ?? [], dataDir);
    const what = `line ${b.line}: ${b.script.trim().split('\n')[0] ?? ''}`;
    t.equal(r.code, expect.exit ?? 0, `${what}: exit status\n${r.stdout}${r.stderr}`);
    for (const re of expect.stdout ?? []) t.match(r.stdout, new RegExp(re, 'm'), `${what}: stdout has /${re}/`);
    for (const re of expect.stderr ?? []) t.match(r.stderr, new RegExp(re, 'm'), `${what}: stderr has /${re}/`);
    if (expect.press) t.equal(r.prompts, expect.press.length, `${what}: one prompt per button`);
  }
  t.ok(printer.tickets().length >= 2, 'the test prints reached the printer');
});

/** Runs one block with `sh -e`; answers each prompt line by holding the next input down until the next prompt (or the end). */
function runBlock(script: string, env: NodeJS.ProcessEnv, cwd: string, press: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string; prompts: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('sh', ['-e', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let prompts = 0;
    let held: string | undefined;
    let sim: Promise<void> = Promise.resolve();
    // Presses run one after another; a failure surfaces when the block ends (sim.then(…, reject)).
    const queue = (step: () => Promise<void>): void => {
      sim = sim.then(step);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout += d;
      pending += d;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!PROMPT.test(line) || prompts >= press.length) continue;
        const input = press[prompts++] as string;
        const previous = held;
        held = input;
        queue(async () => {
          if (previous) await simControl(dataDir, { op: 'release', input: previous });
          await simControl(dataDir, { op: 'press', input });
        });
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const last = held;
      queue(async () => {
        if (last) await simControl(dataDir, { op: 'release', input: last });
      });
      sim.then(() => resolvePromise({ code, stdout, stderr, prompts }), reject);
    });
  });
}
