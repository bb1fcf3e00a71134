// `halld release`: check a release tarball against the hall's release key, and install one under
// a prefix (/opt/halld on a board) with the same steps the first boot and `provision --target`
// use. `activate` is the first boot's last step: the release the install script has just
// unpacked verifies itself and becomes `current`.
import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { activateRelease, inspectTarball, installReleaseTarball } from '../../release/install.js';
import { ReleaseError } from '../../release/manifest.js';
import { verifyReleaseTree } from '../../release/release-tree.js';
import { EXIT_CHECK_FAILED, EXIT_CONFIG, EXIT_OK } from '../exit-codes.js';
import type { Output } from './cli-output.js';

const DEFAULT_PREFIX = '/opt/halld';
const DEFAULT_KEY = '/etc/halld/release.pub';

export function addReleaseCommands(program: Command, io: Output, setExit: (code: number) => void): void {
  const release = program.command('release').description('check or install a signed halld release (halld-X-linux-<arch>.tar.gz)');
  const attempt = async (work: () => Promise<string>): Promise<void> => {
    try {
      io.out(`${await work()}\n`);
      setExit(EXIT_OK);
    } catch (err) {
      if (!(err instanceof ReleaseError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      io.err(`halld release: ${(err as Error).message}\n`);
      setExit(err instanceof ReleaseError ? EXIT_CHECK_FAILED : EXIT_CONFIG);
    }
  };
  const key = (file: string) => readFile(file, 'utf8');
  release
    .command('verify')
    .description('check the signature and every file of a release tarball or unpacked folder')
    .argument('<release>', 'a .tar.gz, or an unpacked release folder')
    .option('--key <file>', "the hall's release public key (PEM)", DEFAULT_KEY)
    .action(async (path: string, opts: { key: string }) =>
      attempt(async () => {
        const publicKey = await key(opts.key);
        const manifest = (await stat(path)).isDirectory() ? await verifyReleaseTree(path, publicKey) : (await inspectTarball(path, publicKey)).manifest;
        return `${path}: ok (halld ${manifest.version} for ${manifest.arch}, Node ${manifest.node.version}, ${Object.keys(manifest.files).length} files, signed by ${manifest.signedBy})`;
      }),
    );
  release
    .command('install')
    .description('unpack, verify and switch <prefix>/current to a release tarball (the board\'s own architecture)')
    .argument('<tarball>', 'halld-X-linux-<arch>.tar.gz')
    .option('--prefix <dir>', 'where releases live', DEFAULT_PREFIX)
    .option('--key <file>', "the hall's release public key (PEM)", DEFAULT_KEY)
    .action(async (tarball: string, opts: { prefix: string; key: string }) =>
      attempt(async () => {
        const lines: string[] = [];
        const r = await installReleaseTarball(tarball, { prefix: opts.prefix, publicKey: await key(opts.key), log: (l) => lines.push(l) });
        return [...lines, `installed halld ${r.version} in ${r.dir}${r.previous ? ` (previous: ${r.previous})` : ''}; restart halld to run it`].join('\n');
      }),
    );
  release
    .command('activate')
    .description('verify a release unpacked under <prefix> and switch <prefix>/current to it (the first boot\'s install step)')
    .argument('<dir>', 'the unpacked release folder, on the same file system as <prefix>')
    .option('--prefix <dir>', 'where releases live', DEFAULT_PREFIX)
    .option('--key <file>', "the hall's release public key (PEM)", DEFAULT_KEY)
    .action(async (dir: string, opts: { prefix: string; key: string }) =>
      attempt(async () => {
        const lines: string[] = [];
        const r = await activateRelease(dir, { prefix: opts.prefix, publicKey: await key(opts.key), log: (l) => lines.push(l) });
        return [...lines, `halld ${r.version} is current${r.reused ? ' (was unpacked already)' : ''}`].join('\n');
      }),
    );
}
