#!/usr/bin/env node
// `npm run release -- --arch arm64|x64`: a self-contained, signed release of halld for one
// architecture, built on this machine with no network but the npm registry (docs/release.md):
//   halld-<version>-linux-<arch>.tar.gz  with  bin/node (the pinned Node.js), bin/halld,
//   dist/ (the bundle), node_modules/ (production, native modules built for <arch>), boards,
//   page assets, fonts, systemd units, manifest.json (every file's SHA-256) and manifest.sig.
// Prints one line per step, then the sizes and the build time.
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { generateKeyPairSync, createPrivateKey, createPublicKey } from 'node:crypto';
import { join, resolve } from 'node:path';
import { RELEASE_ARCHES, ARCH_NAMES, archOfElf, readElfHeader, type ReleaseArch } from '../arch.js';
import { keyFingerprint, manifestBytes, MANIFEST_FILE, MANIFEST_FORMAT, SIGNATURE_FILE, signManifest, type ReleaseManifest } from '../manifest.js';
import { describeFile, walkTree } from '../release-tree.js';
import { packDir } from '../tarball.js';
import { buildNativeModules } from './native-modules.js';
import { nodeRuntime, readNodePin } from './node-runtime.js';
import { dropUnreachablePackages, dropUnusedFiles } from './prune-modules.js';
import { isSourceMap, releaseSourcePaths } from './release-files.js';
import { runCommand, StepError } from './run-command.js';

interface Options {
  arch: ReleaseArch;
  out: string;
  key?: string;
  cache: string;
}

const HALLD_WRAPPER = `#!/bin/sh
# halld with the Node.js of this release, wherever the release folder is.
here=$(dirname "$(readlink -f "$0")")
exec "$here/node" "$here/../dist/halld.mjs" "$@"
`;

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The release key: --key or HALLD_RELEASE_KEY, else a development key kept beside the output. */
async function releaseKey(o: Options, log: (l: string) => void): Promise<string> {
  const file = o.key ?? process.env['HALLD_RELEASE_KEY'];
  if (file !== undefined) return readFile(file, 'utf8');
  const devKey = join(o.out, 'dev-release-key.pem');
  if (!existsSync(devKey)) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await mkdir(o.out, { recursive: true });
    await writeFile(devKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
    await writeFile(join(o.out, 'dev-release-key.pub'), publicKey.export({ type: 'spki', format: 'pem' }).toString());
  }
  log(`! signed with a development key (${join(o.out, 'dev-release-key.pub')}); a hall's boards trust only the hall's release key (--key)`);
  return readFile(devKey, 'utf8');
}

async function gitCommit(checkout: string): Promise<string | undefined> {
  try {
    return (await runCommand('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: checkout })).trim();
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<void> {
  const o = new Command('npm run release --')
    .addOption(new Option('--arch <arch>', 'board architecture').choices([...RELEASE_ARCHES]).makeOptionMandatory())
    .option('--out <dir>', 'where the tarball goes', 'build/release')
    .option('--key <file>', 'the release signing key (Ed25519, PEM); default HALLD_RELEASE_KEY, else a development key')
    .option('--cache <dir>', 'downloads and native builds kept between releases', join(process.env['HOME'] ?? '.', '.cache', 'halld-release'))
    .parse(argv, { from: 'user' })
    .opts<Options>();
  const checkout = process.cwd();
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const pkg = JSON.parse(await readFile(join(checkout, 'package.json'), 'utf8')) as { version: string };
  const name = `halld-${pkg.version}-linux-${o.arch}`;
  const work = resolve(o.out, `work-${o.arch}`);
  const stage = join(work, name);
  const key = await releaseKey(o, log);
  const publicKey = createPublicKey(createPrivateKey(key));

  log(`release ${name}`);
  const pin = await readNodePin(join(checkout, 'release', 'node-runtime.json'));
  const node = await nodeRuntime(pin, o.arch, resolve(o.cache));
  log(`node ${node.version} for ${o.arch} (integrity checked)`);

  await rm(work, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  log('production node_modules (npm ci --omit=dev)');
  await cp(join(checkout, 'package.json'), join(stage, 'package.json'));
  await cp(join(checkout, 'package-lock.json'), join(stage, 'package-lock.json'));
  await runCommand('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', `--os=linux`, `--cpu=${o.arch}`], { cwd: stage });
  log(`native modules for ${o.arch} (node-gyp --nodedir, ${ARCH_NAMES[o.arch].crossPrefix || 'host '}g++)`);
  const natives = await buildNativeModules(stage, o.arch, node, resolve(o.cache), log);
  const dropped = await dropUnreachablePackages(stage);
  const saved = await dropUnusedFiles(stage);
  await rm(join(stage, 'package-lock.json'));
  log(`pruned: ${dropped} build-only packages, ${mb(saved)} of files nothing runs`);

  for (const path of await releaseSourcePaths(checkout)) {
    await cp(join(checkout, path), join(stage, path), { recursive: true, filter: (src) => !isSourceMap(src) });
  }
  await mkdir(join(stage, 'bin'), { recursive: true });
  await cp(join(node.dir, 'bin', 'node'), join(stage, 'bin', 'node'));
  // The official binary carries its debug symbols (20 MB); a board has no use for them.
  await runCommand(`${ARCH_NAMES[o.arch].crossPrefix}strip`, [join(stage, 'bin', 'node')]);
  await cp(join(node.dir, 'LICENSE'), join(stage, 'bin', 'node.LICENSE'));
  await writeFile(join(stage, 'bin', 'halld'), HALLD_WRAPPER);
  await chmod(join(stage, 'bin', 'halld'), 0o755);

  // Every ELF file must be for the board: a host binary left in by mistake would fail only there.
  const files: ReleaseManifest['files'] = {};
  let unpacked = 0;
  for (const entry of await walkTree(stage)) {
    if (entry.kind === 'dir') continue;
    if (entry.kind === 'other') throw new StepError(`${entry.path}: a release holds only folders and regular files`);
    const header = await readElfHeader(join(stage, entry.path));
    if (header && archOfElf(header) !== o.arch) throw new StepError(`${entry.path}: an ELF file for machine ${header.machine}, not ${o.arch}`);
    files[entry.path] = await describeFile(stage, entry);
    unpacked += entry.size;
  }
  const abi = await nodeAbi(node.dir, o.arch);
  const commit = await gitCommit(checkout);
  const manifest: ReleaseManifest = {
    format: MANIFEST_FORMAT,
    name: 'halld',
    version: pkg.version,
    platform: 'linux',
    arch: o.arch,
    node: { version: node.version, modules: abi.modules, napi: abi.napi },
    signedBy: keyFingerprint(publicKey),
    builtAt: new Date(started).toISOString(),
    ...(commit !== undefined ? { commit } : {}),
    unpackedBytes: unpacked,
    files,
  };
  const bytes = manifestBytes(manifest);
  await writeFile(join(stage, MANIFEST_FILE), bytes);
  await writeFile(join(stage, SIGNATURE_FILE), signManifest(bytes, key));

  await mkdir(o.out, { recursive: true });
  const tarball = resolve(o.out, `${name}.tar.gz`);
  await rm(tarball, { force: true });
  await packDir(work, name, tarball, Math.floor(started / 1000));
  await rm(work, { recursive: true, force: true });
  const size = (await stat(tarball)).size;
  const seconds = (Date.now() - started) / 1000;
  log(`native modules: ${natives.map((n) => `${n.name} (${n.files.length})`).join(', ')}`);
  log(`${tarball}`);
  log(`size: ${mb(size)} compressed, ${mb(unpacked)} unpacked, ${Object.keys(files).length} files; built in ${seconds.toFixed(0)} s`);
  await writeFile(`${tarball}.json`, `${JSON.stringify({ tarball: `${name}.tar.gz`, version: pkg.version, arch: o.arch, compressedBytes: size, unpackedBytes: unpacked, files: Object.keys(files).length, buildSeconds: seconds, nativeFromCache: natives.every((n) => n.cached), signedBy: manifest.signedBy }, null, 2)}\n`);
}

/**
 * The ABI numbers of the release's Node, read from its headers (node_version.h), so they are
 * right without running a foreign binary.
 */
async function nodeAbi(nodeDir: string, arch: ReleaseArch): Promise<{ modules: string; napi: string }> {
  const header = await readFile(join(nodeDir, 'include', 'node', 'node_version.h'), 'utf8');
  const modules = /#define NODE_MODULE_VERSION (\d+)/.exec(header)?.[1];
  const napi = /#define NODE_API_SUPPORTED_VERSION_MAX (\d+)/.exec(header)?.[1];
  if (modules === undefined || napi === undefined) throw new StepError(`${arch}: cannot read NODE_MODULE_VERSION / NODE_API_SUPPORTED_VERSION_MAX from node_version.h`);
  return { modules, napi };
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`release: ${err instanceof StepError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
