// A built release (npm run release -- --arch <arch>) run as a board runs it: its own Node.js and
// bundle, its native modules, against a real Mosquitto on this machine. For arm64 that is
// qemu-user on x86: every native file must be an aarch64 ELF, and the same binaries a Pi
// would run must publish a birth, answer a ping, write their SQLite store, pass `halld diag`
// and open a door on the 8A/80 lock-board simulator over a pseudo-terminal.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { connect } from 'mqtt';
import { archOfElf, readElfHeader, type ReleaseArch } from '../../release/arch.js';
import { installReleaseTarball } from '../../release/install.js';
import { walkTree } from '../../release/release-tree.js';
import { generateSigningKeys, signEnvelope } from '../../protocol/signing.js';
import { topics } from '../../protocol/topics.js';
import type { Ack } from '../../protocol/messages.js';
import { VirtualLockBus } from '../../simulators/lock-board/virtual-lock-bus.js';
import { sim8a80 } from '../../simulators/lock-board/sim-8a80.js';
import { startPtyLockBus } from '../../simulators/lock-board/pty-lock-bus.js';
import { deviceProcess, runCli } from '../../testkit/device-process.js';
import { testServer } from '../../testkit/hall-server.js';
import { startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { builtRelease, hostArch, qemuMissing, releaseHalld } from '../../testkit/release-halld.js';
import { requiredTools } from '../../testkit/required-tools.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { FIRMWARE_VERSION } from '../../firmware/runtime.js';

/** Emulated arm64 runs several times slower than the host: deadlines for starting, not for timing. */
const START_MS = 120_000;
const DEVICE = 'cab-1';
/** Packages only a developer's machine has: none may be in a release. */
const DEV_ONLY = ['typescript', 'tap', 'eslint', 'esbuild', 'sinon', 'playwright-core', 'mock-firmata', 'node-gyp', 'ajv'];

function why(arch: ReleaseArch): string | false {
  const release = builtRelease(arch, FIRMWARE_VERSION);
  const missing = release === undefined ? `no ${arch} release in build/release (npm run release -- --arch ${arch})` : arch !== hostArch ? qemuMissing() : undefined;
  if (missing === undefined) return false;
  if (requiredTools().has(`release-${arch}`)) t.fail(`${missing}, and HALLD_REQUIRE says the ${arch} release must be tested`);
  return missing;
}

export function releaseSuite(arch: ReleaseArch): void {
  t.setTimeout(600_000);
  const skip = why(arch) || mosquittoSkip();
  void t.test(`the ${arch} release as a board runs it`, { skip }, async (t) => {
    const release = builtRelease(arch, FIRMWARE_VERSION)!;
    const dir = await tempDir(t);
    const installed = await installReleaseTarball(release.tarball, { prefix: join(dir, 'opt'), publicKey: readFileSync(release.keyFile, 'utf8'), arch });
    const root = join(dir, 'opt', 'current');
    t.equal(installed.version, FIRMWARE_VERSION);

    await t.test(`every native file is an ${arch} ELF; nothing of a developer's machine is inside`, async (t) => {
      const natives = (await walkTree(root)).filter((e) => e.kind === 'file' && (e.path.endsWith('.node') || e.path === 'bin/node'));
      t.ok(natives.length >= 6, `bin/node and the native modules: ${natives.map((n) => n.path.split('/').slice(-4).join('/')).join(', ')}`);
      for (const f of natives) {
        const header = await readElfHeader(join(root, f.path));
        t.equal(header && archOfElf(header), arch, `${f.path}: ELF machine ${header?.machine ?? 'none'}`);
      }
      for (const m of ['sqlite3', '@serialport/bindings-cpp', 'epoll', 'i2c-bus', 'rpi-led-matrix']) {
        t.ok(natives.some((n) => n.path.startsWith(`node_modules/${m}/`)), `${m} is built for ${arch}`);
      }
      for (const f of ['dist/halld.mjs', 'dist/panel-host-child.mjs', 'boards/rpi-4b.json', 'firmware/roles/ticket-printer/kiosk/public/index.html', 'firmware/pages/public/hall.css', 'firmware/pages/public/fonts/halld-sans-sc-regular.woff2', 'firmware/pages/public/fonts/halld-sans-sc-bold.woff2', 'firmware/pages/public/fonts/OFL.txt', 'fonts/wqy-12.bdf', 'provisioning/systemd/halld.service', 'bin/node.LICENSE']) {
        t.ok(existsSync(join(root, f)), `holds ${f}`);
      }
      const modules = await readdir(join(root, 'node_modules'));
      t.same(DEV_ONLY.filter((d) => modules.includes(d)), [], 'no devDependencies or build tools');
      const all = await walkTree(root);
      t.same(all.filter((e) => e.path.endsWith('.ts') || /^(test|testkit|bench)\//.test(e.path) || /^dist\/(test|testkit|bench|firmware)\//.test(e.path)).map((e) => e.path), [], 'no TypeScript, tests, testkit or per-file build output');
    });

    const halld = releaseHalld(root, arch);
    const bus = new VirtualLockBus(sim8a80());
    bus.addBoard({ address: 1, locks: 8 });
    const pty = await startPtyLockBus(bus, dir, 9600);
    t.teardown(() => pty.close());
    const broker = await startMosquitto(dir);
    t.teardown(() => broker.stop());
    const keys = generateSigningKeys();
    const config = {
      hall: 'test-hall',
      device: DEVICE,
      board: 'rpi-4b',
      broker: { url: broker.url, reconnectMinMs: 100, reconnectMaxMs: 1000 },
      security: { serverPublicKey: keys.publicKeyPem },
      io: { serial: { rs485: { path: pty.hostPath, baudRate: 9600 } }, lockBoards: { 'cab-a': { serial: 'rs485', protocol: '8a80', address: 1, locks: 8 } }, speaker: { kind: 'none' } },
      roles: { sys: {}, locker: { doors: [1, 2, 3].map((door) => ({ door, board: 'cab-a', lock: door, size: 'M' })), pollIntervalMs: 200, openConfirmMs: 5000 } },
    };
    // As halld.service runs it: the release's Node with a compile cache.
    const compileCache = join(dir, 'compile-cache');
    const proc = await deviceProcess(t, join(dir, 'dev'), config, { ...halld, env: { ...halld.env, NODE_COMPILE_CACHE: compileCache } });

    await t.test('config check passes on a real config', async (t) => {
      const r = await runCli(['config', 'check', proc.configFile], START_MS, halld);
      t.equal(r.code, 0, r.stderr);
      t.match(r.stdout, /ok \(hall test-hall, device cab-1, board rpi-4b, roles sys, locker\)/);
    });

    const server = await testServer(t, { url: broker.url, signingKey: keys.privateKeyPem });
    const spawnedAt = Date.now();
    proc.start();
    await waitFor(`${DEVICE} online (${halld.label})`, () => server.client.status(DEVICE)?.online === true, START_MS, 50).catch((err: Error) => {
      throw new Error(`${err.message}\n${proc.output()}`);
    });
    t.comment(`${halld.label}: start to birth ${Date.now() - spawnedAt} ms (emulated time means little; bench/ has the ratio)`);

    await t.test('the compile cache is written once it is up (a board is never stopped cleanly: the next start after a power cut reads it)', async (t) => {
      await waitFor('compile cache files', () => existsSync(compileCache) && readdirSync(compileCache, { recursive: true }).length > 1, START_MS, 100);
      t.ok(readdirSync(compileCache, { recursive: true }).length > 1, `written to ${compileCache} while halld runs`);
    });

    await t.test('its birth is retained on the broker', async (t) => {
      const client = connect(broker.url, { clientId: `retained-check-${process.pid}` });
      t.teardown(() => client.end(true));
      const birth = await new Promise<Record<string, unknown>>((resolve) => {
        client.on('message', (_topic, payload, packet) => {
          if (packet.retain) resolve(JSON.parse(payload.toString()) as Record<string, unknown>);
        });
        client.subscribe(topics.status(server.client.address(DEVICE)));
      });
      t.match(birth, { online: true, fw: FIRMWARE_VERSION });
    });

    await t.test('it answers a ping', async (t) => {
      const ack = await server.client.command(DEVICE, 'sys/ping', {}, { timeoutMs: 60_000 });
      t.match(ack, { ok: true });
    });

    await t.test('it opens a door on the 8A/80 board over a pty: one unlock frame', async (t) => {
      const acks: Ack[] = [];
      server.client.onAck((d, a) => void (d === DEVICE && acks.push(a)));
      const topic = topics.command(server.client.address(DEVICE), 'locker', 'open');
      const ts = Date.now();
      const payload = JSON.stringify(signEnvelope({ v: 1, id: 'open-release', ts, exp: ts + 60_000, data: { door: 2, reason: 'release test' }, to: topic }, keys.privateKeyPem));
      await server.client.publishRawCommand(DEVICE, 'locker/open', payload);
      const ack = await waitFor('the open answered', () => acks.find((a) => a.id === 'open-release'), 60_000);
      t.match(ack, { ok: true });
      t.equal(bus.unlocksHeard(1, 2).length, 1, 'exactly one unlock frame on the wire');
    });

    await t.test('halld diag passes, and the SQLite store holds what it did', async (t) => {
      const diag = await runCli(['diag', '--config', proc.configFile], START_MS, halld);
      t.equal(diag.code, 0, `${diag.stdout}\n${diag.stderr}`);
      t.match(diag.stdout, /broker\s+pass/);
      const db = join(dir, 'dev', 'data', 'halld.db');
      t.ok(existsSync(db), 'halld.db in the data dir');
      const rows = await new Promise<number>((resolve, reject) => {
        const handle = new sqlite3.Database(db, sqlite3.OPEN_READONLY, (err) => {
          if (err) return reject(err);
          handle.get("SELECT count(*) AS n FROM journal WHERE role = 'locker' AND name = 'open' AND state = 'done'", (e: Error | null, row: { n: number }) => {
            handle.close();
            if (e) reject(e);
            else resolve(row.n);
          });
        });
      });
      t.equal(rows, 1, 'the open is journaled (exactly once)');
    });

    await t.test('a clean stop', async (t) => {
      t.equal(await proc.kill('SIGTERM'), 0);
    });
  });
}
