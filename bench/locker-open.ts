// Server `open` → `door.opened` through a `halld run` locker (a Pi 4 board definition) whose
// 8a80 lock board is the byte-level simulator on a socat pty, paced at the configured baud
// rate (a pty moves bytes at once; a real RS485 line takes 10 bits per byte). The floor, from
// the same run: the four frames an open needs on the wire (unlock request and reply, status
// request and reply, 5 bytes each) plus the bare command→ack round trip of the same device
// (sys/ping). Medians.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HallClient, type DeviceEvent } from '../protocol/hall-client.js';
import { generateSigningKeys } from '../protocol/signing.js';
import type { VirtualLine, VirtualSerialDevice } from '../simulators/serial/virtual-device.js';
import { VirtualLockBus } from '../simulators/lock-board/virtual-lock-bus.js';
import { sim8a80 } from '../simulators/lock-board/sim-8a80.js';
import { startPtyLockBus } from '../simulators/lock-board/pty-lock-bus.js';
import { CLI } from '../testkit/device-process.js';
import { waitFor } from '../testkit/wait.js';
import { benchBroker } from './broker.js';
import { summary, report } from './stats.js';

const N = Number(process.env['BENCH_N'] ?? 40);
const WARMUP = 5;
const PINGS = 200;
const BAUD = 9600;
/** 8N1: a start bit, 8 data bits, a stop bit. */
const BITS_PER_BYTE = 10;
const FRAME_BYTES = 5;
const FRAMES_PER_OPEN = 4;
const wireMs = (bytes: number) => (bytes * BITS_PER_BYTE * 1000) / BAUD;
const DOORS = 8;

/** Holds each host write for its time on the wire before the boards hear it, and each reply for its own before it leaves. */
function pacedAtBaud(bus: VirtualLockBus): VirtualSerialDevice {
  const paced = (line: VirtualLine): VirtualLine => ({
    path: line.path,
    baudRate: line.baudRate,
    isOpen: () => line.isOpen(),
    send: async (bytes, options) => {
      await new Promise((r) => setTimeout(r, wireMs(bytes.length)));
      await line.send(bytes, options);
    },
  });
  return {
    opened: (line) => bus.opened(paced(line)),
    closed: () => bus.closed(),
    receive: (bytes, line) => void setTimeout(() => bus.receive(bytes, paced(line)), wireMs(bytes.length)),
  };
}

export async function benchLockerOpen(): Promise<void> {
  const broker = await benchBroker();
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-locker-'));
  const children: ChildProcess[] = [];
  const bus = new VirtualLockBus(sim8a80());
  const board = bus.addBoard({ address: 1, locks: DOORS });
  const pty = await startPtyLockBus(pacedAtBaud(bus), dir, BAUD);
  const keys = generateSigningKeys();
  try {
    const config = join(dir, 'cab.json');
    await writeFile(
      config,
      JSON.stringify({
        hall: 'bench',
        device: 'bench-cab',
        board: 'rpi-4b',
        dataDir: join(dir, 'data'),
        broker: { url: broker.url },
        log: { level: 'warn' },
        security: { serverPublicKey: keys.publicKeyPem },
        io: { serial: { rs485: { path: pty.hostPath, baudRate: BAUD } }, lockBoards: { 'cab-a': { serial: 'rs485', protocol: '8a80', address: 1, locks: DOORS } }, speaker: { kind: 'none' } },
        roles: {
          sys: {},
          locker: {
            doors: Array.from({ length: DOORS }, (_, i) => ({ door: i + 1, board: 'cab-a', lock: i + 1, size: 'M' })),
            openRateLimit: { maxOpens: 100, windowMs: 1000 },
            confirmPollMs: 10,
            page: { enabled: false },
          },
        },
      }),
    );
    const dev = spawn(process.execPath, [CLI, 'run', '--config', config], { stdio: 'ignore' });
    children.push(dev);
    const server = new HallClient({ url: broker.url, hall: 'bench', signingKey: keys.privateKeyPem });
    await server.connect();
    await waitFor('cabinet online', () => server.status('bench-cab')?.online === true || undefined, 20_000);
    const seen = new Map<string, DeviceEvent>();
    let waiting: { name: string; door: number; resolve: () => void } | undefined;
    server.onEvent((e) => {
      if (e.device !== 'bench-cab' || e.role !== 'locker') return;
      seen.set(e.message.id, e);
      if (waiting && e.name === waiting.name && e.message.data['door'] === waiting.door) waiting.resolve();
    });
    const next = (name: string, door: number) => new Promise<void>((resolve) => (waiting = { name, door, resolve }));

    const open: number[] = [];
    for (let i = 0; i < N + WARMUP; i++) {
      const door = (i % DOORS) + 1;
      const opened = next('door.opened', door);
      const t0 = performance.now();
      void server.command('bench-cab', 'locker/open', { door, reason: 'bench' }, { timeoutMs: 10_000 });
      await opened;
      if (i >= WARMUP) open.push(performance.now() - t0);
      const closed = next('door.closed', door);
      board.closeDoor(door);
      await closed;
    }
    const rtt: number[] = [];
    for (let i = 0; i < PINGS; i++) {
      const t0 = performance.now();
      const ack = await server.command('bench-cab', 'sys/ping', { i });
      if (!ack.ok) throw new Error(`ping failed: ${JSON.stringify(ack)}`);
      rtt.push(performance.now() - t0);
    }
    await server.close();
    const o = summary(open);
    const p = summary(rtt);
    const wire = wireMs(FRAME_BYTES) * FRAMES_PER_OPEN;
    report(
      'locker open → door.opened p50',
      o.p50,
      'ms',
      `${FRAMES_PER_OPEN} frames at ${BAUD} baud ${wire.toFixed(1)} ms + sys/ping ${p.p50.toFixed(2)} ms on ${broker.name}`,
      wire + p.p50,
      `p99 ${o.p99.toFixed(1)} ms, n=${o.n}; unlock frames ${bus.unlocksHeard().length}`,
    );
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await pty.close();
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('locker-open.js')) await benchLockerOpen();
