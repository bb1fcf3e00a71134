// How long a hall is without its device during an update, beside a bare restart of the
// service: with the real x64 release under a supervisor like halld.service, the time from the
// old process's last message (its clean-stop offline status; for the update also its
// update.applied event) to the new process's birth. The update's extra cost over a restart is
// what the new release does before its birth that a restarted one does not (the boot guard's
// count, the health gate's start); the download, verify, unpack and self-test happen while
// the old release still serves.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HallClient } from '../protocol/hall-client.js';
import { generateSigningKeys } from '../protocol/signing.js';
import { installReleaseTarball } from '../release/install.js';
import { FIRMWARE_VERSION } from '../firmware/runtime.js';
import { builtRelease, hostArch } from '../testkit/release-halld.js';
import { startUpdateBoard } from '../testkit/update-board.js';
import { releaseOffer, startReleaseServer } from '../testkit/release-server.js';
import { repackRelease } from '../testkit/repack-release.js';
import { waitFor } from '../testkit/wait.js';
import { benchBroker } from './broker.js';
import { median, report } from './stats.js';

const ROUNDS = Number(process.env['BENCH_UPDATE_ROUNDS'] ?? 2);
const DEVICE = 'bench-upd';
const SLOW_MS = 180_000;

export async function benchUpdate(): Promise<void> {
  const release = builtRelease('x64', FIRMWARE_VERSION);
  if (hostArch !== 'x64' || !release) return void process.stdout.write('update downtime: needs the x64 release on x64 (npm run release -- --arch x64)\n');
  const cleanups: (() => unknown)[] = [];
  const t = { teardown: (fn: () => unknown) => void cleanups.push(fn) };
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-update-'));
  const broker = await benchBroker();
  try {
    const root = join(dir, 'opt-halld');
    await installReleaseTarball(release.tarball, { prefix: root, publicKey: await readFile(release.keyFile, 'utf8') });
    const keys = generateSigningKeys();
    const configFile = join(dir, 'device.json');
    await writeFile(configFile, JSON.stringify({ hall: 'bench', device: DEVICE, board: 'sim', dataDir: join(dir, 'data'), broker: { url: broker.url }, security: { serverPublicKey: keys.publicKeyPem }, update: { releaseKey: release.keyFile }, log: { level: 'warn' } }));
    const client = new HallClient({ url: broker.url, hall: 'bench', signingKey: keys.privateKeyPem });
    const offline: number[] = [];
    const online: { at: number; fw: string }[] = [];
    const applied: number[] = [];
    client.onStatus((s) => {
      if (s.device !== DEVICE) return;
      if (s.status.online) online.push({ at: performance.now(), fw: s.status.fw });
      else offline.push(performance.now());
    });
    client.onEvent((e) => {
      if (e.device === DEVICE && e.name === 'update.applied') applied.push(performance.now());
    });
    await client.connect();
    cleanups.push(() => client.close());
    const http = await startReleaseServer(t);
    const board = startUpdateBoard(t, { root, configFile, restartMs: 0, env: { HALLD_LOG: 'warn' } });
    const onlineWith = async (fw: string, after: number) => {
      await waitFor(`online with ${fw}`, () => online.length > after && online[online.length - 1]?.fw === fw, SLOW_MS, 5);
      await waitFor('ping', async () => (await client.command(DEVICE, 'sys/ping', {}, { timeoutMs: 5_000 }).catch(() => undefined))?.ok === true, 30_000, 200);
    };
    await onlineWith('0.1.0', 0);
    const restart: number[] = [];
    const update: number[] = [];
    const appliedToBirth: number[] = [];
    let fw = '0.1.0';
    for (let r = 0; r < ROUNDS; r++) {
      // A bare restart, as `systemctl restart halld`: SIGTERM, the supervisor starts it again.
      let before = online.length;
      const offBefore = offline.length;
      board.kill('SIGTERM');
      await onlineWith(fw, before);
      restart.push((online[online.length - 1]?.at ?? 0) - (offline[offBefore] ?? 0));
      // An update to the next version.
      const version = `0.1.${r + 11}`;
      const tarball = await repackRelease(release.tarball, join(process.cwd(), 'build', 'update-test'), { version, variant: 'bench', privateKeyPem: await readFile(release.keyFile.replace(/\.pub$/, '.pem'), 'utf8') });
      const offer = await releaseOffer(tarball);
      before = online.length;
      const offBeforeUpdate = offline.length;
      const appliedBefore = applied.length;
      const ack = await client.command(DEVICE, 'sys/update', { ...offer, source: { url: http.serve(`${version}.tar.gz`, tarball) } }, { timeoutMs: 60_000, expiresInMs: 120_000 });
      if (!ack.ok) throw new Error(`update refused: ${ack.error.message}`);
      await onlineWith(version, before);
      const birth = online[online.length - 1]?.at ?? 0;
      update.push(birth - (offline[offBeforeUpdate] ?? 0));
      appliedToBirth.push(birth - (applied[appliedBefore] ?? 0));
      fw = version;
    }
    report('update downtime (offline → birth)', median(update), 'ms', 'bare restart, offline → birth', median(restart), `median of ${ROUNDS}; update.applied → birth ${median(appliedToBirth).toFixed(0)} ms`);
  } finally {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
