// One board in a temp install root with the real x64 release (npm run release -- --arch x64)
// installed as 0.1.0, a Mosquitto, a hall server that signs commands, an http server for
// tarballs, and releases made from the real one with other versions (testkit/repack-release).
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Test } from 'tap';
import { installReleaseTarball } from '../../release/install.js';
import { generateSigningKeys } from '../../protocol/signing.js';
import type { Ack } from '../../protocol/messages.js';
import type { DeviceEvent } from '../../protocol/hall-client.js';
import { FIRMWARE_VERSION } from '../../firmware/runtime.js';
import { builtRelease, hostArch, nodeCommand } from '../../testkit/release-halld.js';
import type { ReleaseArch } from '../../release/arch.js';
import { startMosquitto, type MosquittoBroker } from '../../testkit/mosquitto.js';
import { testServer, type TestServer } from '../../testkit/hall-server.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { startUpdateBoard, type UpdateBoard } from '../../testkit/update-board.js';
import { releaseOffer, startReleaseServer, type ReleaseOffer, type ReleaseServer } from '../../testkit/release-server.js';
import { repackRelease } from '../../testkit/repack-release.js';
import { checkoutCodeKey, putCheckoutCode } from '../../testkit/release-checkout.js';

export const DEVICE = 'upd-1';
/** Starting a real release on a busy 2-core machine: generous, these are not timings. */
export const SLOW_MS = 120_000;

/** Why these tests cannot run here, or false. */
export function missing(): string | false {
  if (hostArch !== 'x64') return 'the update tests use the x64 release and run on x64';
  return builtRelease('x64', FIRMWARE_VERSION) === undefined ? `no x64 release in build/release (npm run release -- --arch x64)` : false;
}

const REPO = join(import.meta.dirname, '..', '..', '..');
export const CACHE = join(REPO, 'build', 'update-test');

export interface Fixture {
  readonly dir: string;
  readonly root: string;
  readonly broker: MosquittoBroker;
  readonly server: TestServer;
  readonly http: ReleaseServer;
  readonly board: UpdateBoard;
  readonly configFile: string;
  readonly releaseKeyPem: string;
  /** The last retained state/sys data the server saw. */
  sysState(): Record<string, unknown> | undefined;
  /** A release made from the real one: version, variant name, change. */
  release(version: string, variant?: string, change?: (dir: string) => Promise<void>, options?: { privateKeyPem?: string; tamper?: (dir: string) => Promise<void> }): Promise<{ tarball: string; offer: ReleaseOffer }>;
  /** Sends a signed sys/update. */
  update(data: Record<string, unknown>): Promise<Ack>;
  /** Waits for the device's event of that name (after `since` events). */
  event(name: string, since?: number, timeoutMs?: number): Promise<DeviceEvent>;
  /** Waits until the device is online running `version`, then sends the server's ping. */
  onlineAndPinged(version: string, timeoutMs?: number): Promise<void>;
  /** Offers a good `version` over http and waits until it is applied; the events' index before it. */
  applied(t: Test, version: string): Promise<{ since: number }>;
}

export interface FixtureOptions {
  readonly healthDeadlineMs?: number;
  readonly extraConfig?: Record<string, unknown>;
  readonly root?: string;
  /**
   * Every release (the installed 0.1.0 too) carries this checkout's code (testkit/release-checkout):
   * for what the release being rolled back to must do itself.
   */
  readonly checkout?: boolean;
  /** The releases' architecture (default x64); arm64 runs under qemu-user through binfmt_misc. */
  readonly arch?: ReleaseArch;
}

export async function updateFixture(t: Test, o: FixtureOptions = {}): Promise<Fixture> {
  const arch = o.arch ?? 'x64';
  const built = builtRelease(arch, FIRMWARE_VERSION);
  if (!built) throw new Error('no release');
  const dir = await tempDir(t, 'halld-update-');
  const root = o.root ?? join(dir, 'opt-halld');
  const releaseKeyPem = await readFile(built.keyFile.replace(/\.pub$/, '.pem'), 'utf8');
  const code = o.checkout ? `-checkout-${await checkoutCodeKey()}` : '';
  // Releases repacked with an earlier build of this checkout are not used again: each is ~50 MB.
  if (o.checkout) for (const name of await readdir(CACHE).catch(() => [] as string[])) if (/-checkout-[0-9a-f]{12}-/.test(name) && !name.includes(`${code}-`)) await rm(join(CACHE, name), { force: true });
  const withCode = (change?: (dir: string) => Promise<void>) => (o.checkout ? async (d: string) => { await putCheckoutCode(d); await change?.(d); } : change);
  const installed = o.checkout ? await repackRelease(built.tarball, CACHE, { version: FIRMWARE_VERSION, variant: `base${code}`, privateKeyPem: releaseKeyPem, change: putCheckoutCode }) : built.tarball;
  await installReleaseTarball(installed, { prefix: root, publicKey: await readFile(built.keyFile, 'utf8'), arch });
  const broker = await startMosquitto(dir);
  t.teardown(() => broker.stop());
  const keys = generateSigningKeys();
  const server = await testServer(t, { url: broker.url, signingKey: keys.privateKeyPem });
  const http = await startReleaseServer(t);
  const configFile = join(dir, 'device.json');
  await writeFile(
    configFile,
    JSON.stringify({
      hall: 'test-hall',
      device: DEVICE,
      board: 'sim',
      dataDir: join(dir, 'data'),
      broker: { url: broker.url, reconnectMinMs: 100, reconnectMaxMs: 1000 },
      security: { serverPublicKey: keys.publicKeyPem },
      update: { releaseKey: built.keyFile, healthDeadlineMs: o.healthDeadlineMs ?? 60_000, maxBoots: 3 },
      roles: { sys: {} },
      ...o.extraConfig,
    }),
  );
  let sys: Record<string, unknown> | undefined;
  server.client.onState((device, role, state) => {
    if (device === DEVICE && role === 'sys') sys = state.data as Record<string, unknown>;
  });
  const board = startUpdateBoard(t, { root, configFile, restartMs: 300, env: nodeCommand(join(root, 'current', 'bin', 'node'), arch).env });
  const fixture: Fixture = {
    dir,
    root,
    broker,
    server,
    http,
    board,
    configFile,
    releaseKeyPem,
    sysState: () => sys,
    async release(version, variant = 'good', change, options = {}) {
      const privateKeyPem = options.privateKeyPem ?? releaseKeyPem;
      const changed = withCode(change);
      const tarball = await repackRelease(built.tarball, CACHE, { version, variant: `${variant}${code}`, privateKeyPem, ...(changed ? { change: changed } : {}), ...(options.tamper ? { tamper: options.tamper } : {}) });
      return { tarball, offer: await releaseOffer(tarball) };
    },
    update: (data) => server.client.commandUnchecked(DEVICE, 'sys/update', data, { timeoutMs: 60_000, expiresInMs: 120_000 }),
    event: (name, since = 0, timeoutMs = SLOW_MS) => waitFor(`event ${name}`, () => server.events.slice(since).find((e) => e.name === name), timeoutMs, 100),
    async applied(t, version) {
      const { tarball, offer } = await fixture.release(version);
      const since = server.events.length;
      t.equal((await fixture.update({ ...offer, source: { url: http.serve(`${version}.tar.gz`, tarball) } })).ok, true, `${version} offered`);
      await fixture.event('update.applied', since);
      return { since };
    },
    async onlineAndPinged(version, timeoutMs = SLOW_MS) {
      await waitFor(`${DEVICE} online with ${version}`, () => {
        const s = server.client.status(DEVICE);
        return s?.online === true && s.fw === version;
      }, timeoutMs, 100);
      await waitFor(`${DEVICE} answers sys/ping`, async () => (await server.client.command(DEVICE, 'sys/ping', {}, { timeoutMs: 5_000 }).catch(() => undefined))?.ok === true, Math.max(30_000, timeoutMs / 4), 500);
    },
  };
  return fixture;
}
