// The built releases (npm run release), as a board starts them: start to birth of the arm64
// release's halld under qemu-user beside its own Node running a bare mqtt.js birth under the
// same emulation (a ratio: emulated milliseconds mean little, their ratio does), and the x64
// release natively; and the releases' sizes beside the Node.js binary they carry.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createReadStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installReleaseTarball } from '../release/install.js';
import { RELEASE_ARCHES, type ReleaseArch } from '../release/arch.js';
import { builtRelease, nodeCommand, qemuMissing, hostArch } from '../testkit/release-halld.js';
import { FIRMWARE_VERSION } from '../firmware/runtime.js';
import { benchBroker } from './broker.js';
import { bareBirthScript, measure } from './startup.js';
import { median, report } from './stats.js';

const ROUNDS = Number(process.env['BENCH_RELEASE_ROUNDS'] ?? 3);

async function oneArch(arch: ReleaseArch): Promise<void> {
  const release = builtRelease(arch, FIRMWARE_VERSION);
  if (!release) return void process.stdout.write(`release ${arch}: not built (npm run release -- --arch ${arch})\n`);
  if (arch !== hostArch && qemuMissing()) return void process.stdout.write(`release ${arch}: ${qemuMissing()}\n`);
  const dir = await mkdtemp(join(tmpdir(), 'halld-bench-release-'));
  const broker = await benchBroker();
  try {
    await installReleaseTarball(release.tarball, { prefix: join(dir, 'opt'), publicKey: await readFile(release.keyFile, 'utf8'), arch });
    const root = join(dir, 'opt', 'current');
    const node = nodeCommand(join(root, 'bin', 'node'), arch);
    const env = { ...process.env, ...node.env };
    // halld.service gives the release's Node a compile cache (NODE_COMPILE_CACHE): the first
    // start after an install fills it, every later one (each power cut) reads it.
    const cached = { ...env, NODE_COMPILE_CACHE: join(dir, 'compile-cache') };
    const ours: number[] = [];
    const oursCached: number[] = [];
    const bare: number[] = [];
    const runHalld = (r: number, how: string, withEnv: NodeJS.ProcessEnv) => async () => {
      const config = join(dir, `dev${how}${r}.json`);
      await writeFile(config, JSON.stringify({ hall: 'bench', device: `rel-${arch}-${how}${r}`, board: 'sim', dataDir: join(dir, `data${how}${r}`), broker: { url: broker.url }, log: { level: 'warn' } }));
      return (await measure(broker.url, () => spawn(node.file, [...node.args, join(root, 'dist', 'halld.mjs'), 'run', '--config', config], { stdio: 'ignore', env: withEnv }))).birthMs;
    };
    await runHalld(0, 'warm', cached)();
    for (let r = 0; r < ROUNDS; r++) {
      bare.push((await measure(broker.url, () => spawn(node.file, [...node.args, '-e', bareBirthScript(join(root, 'node_modules')), broker.url], { stdio: 'ignore', env }))).birthMs);
      ours.push(await runHalld(r, 'plain', env)());
      oursCached.push(await runHalld(r, 'cache', cached)());
    }
    const how = arch === hostArch ? 'native' : 'qemu-user';
    report(`release ${arch} start to birth (${how})`, median(ours), 'ms', `its node + mqtt.js, ${how}`, median(bare), `median of ${ROUNDS} (min ${Math.min(...ours).toFixed(0)}, max ${Math.max(...ours).toFixed(0)})`);
    report(`release ${arch} start to birth, compile cache (${how})`, median(oursCached), 'ms', `its node + mqtt.js, ${how}`, median(bare), `median of ${ROUNDS} (min ${Math.min(...oursCached).toFixed(0)}, max ${Math.max(...oursCached).toFixed(0)})`);
    const info = `${release.tarball}.json`;
    const nodeGz = await gzippedBytes(join(root, 'bin', 'node'));
    const size = (await stat(release.tarball)).size;
    report(`release ${arch} size (compressed)`, size / 1e6, 'MB', 'its bin/node alone, gzip -9', nodeGz / 1e6, existsSync(info) ? `build ${(JSON.parse(await readFile(info, 'utf8')) as { buildSeconds: number }).buildSeconds.toFixed(0)} s` : '');
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function gzippedBytes(file: string): Promise<number> {
  let bytes = 0;
  const gzip = createGzip({ level: 9 });
  gzip.on('data', (d: Buffer) => (bytes += d.length));
  await pipeline(createReadStream(file), gzip);
  return bytes;
}

export async function benchRelease(): Promise<void> {
  const only = process.env['BENCH_RELEASE_ARCH'];
  for (const arch of RELEASE_ARCHES) if (only === undefined || only === arch) await oneArch(arch);
}
