// `halld provision`: one device (--hall/--device/...) into a root file system (--target), or a
// CSV of devices (--csv) into one root per device under --out (provision-batch.ts: every row
// judged before anything is written); with --broker-dir also the Mosquitto password file and
// ACL. Returns the exit status (firmware/cli.ts exits): 0 done, 2 a mistake in the input (each
// one line, with the CSV line number).
import { Command, CommanderError, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { BrokerFiles } from './broker-files.js';
import { provisionBatch } from './provision-batch.js';
import { readExtraFile } from './extra-file.js';
import { parseDevicesCsv } from './csv-devices.js';
import type { ConfigValidator, DeviceSpec } from './device-spec.js';
import { ProvisionError } from './mosquitto-passwd.js';
import { provisionDevice, type ProvisionOptions, type ProvisionResult } from './provision-device.js';
import { provisionImage } from './pi-image.js';
import type { PiOs } from './first-boot-files.js';
import { DEFAULT_CERT_DAYS, type TlsRequest } from './device-certificate.js';
import { checkedRelease, type CheckedRelease } from './release-check.js';
import { installIntoTarget } from './target-release.js';

interface Options {
  hall?: string;
  device?: string;
  roles: string;
  board: string;
  broker: string;
  extra?: string;
  serverKeyPub?: string;
  target?: string;
  csv?: string;
  out?: string;
  brokerDir?: string;
  rotate?: boolean;
  force?: boolean;
  image?: string;
  baseImage?: string;
  tarball?: string;
  releaseKeyPub?: string;
  userData?: string;
  offset?: string;
  os?: PiOs;
  csr?: boolean;
  caCert?: string;
  caKey?: string;
  cert?: string;
  certDays: string;
}

/** Which TLS client identity the options ask for (none, a CSR, a signed certificate, or one to install). */
function tlsRequest(o: Options): TlsRequest | undefined {
  if (o.csr && (o.caKey !== undefined || o.cert !== undefined)) throw new ProvisionError('USAGE', '--csr makes a request for the hall CA; --ca-key or --cert come after it has signed');
  if (o.csr) return { kind: 'csr' };
  if (o.caKey !== undefined && o.cert !== undefined) throw new ProvisionError('USAGE', 'give --ca-key (sign here) or --cert (signed by the CA already), not both');
  if ((o.caKey !== undefined || o.cert !== undefined) && o.caCert === undefined) throw new ProvisionError('USAGE', `${o.caKey !== undefined ? '--ca-key' : '--cert'} needs --ca-cert <hall-ca.pem>`);
  if (o.caCert === undefined) return undefined;
  if (o.cert !== undefined) return { kind: 'install', certFile: o.cert, caCertFile: o.caCert };
  // The hall CA alone: the device checks the broker by it and logs in with its password.
  if (o.caKey === undefined) return { kind: 'ca', caCertFile: o.caCert };
  const days = Number(o.certDays);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new ProvisionError('USAGE', `--cert-days: expected whole days 1-3650, found "${o.certDays}"`);
  return { kind: 'sign', ca: { certFile: o.caCert, keyFile: o.caKey }, days };
}

const EXIT_OK = 0;
const EXIT_INPUT = 2;

function summary(r: ProvisionResult & { os?: PiOs }): string {
  return `${r.hall}/${r.device}: ok (password ${r.password}${r.tls !== undefined ? `; ${r.tls}` : ''}${r.os ? `; ${r.os} image` : ''}; ${r.files.join(', ')})`;
}

/** The signed release and the key it must be signed with, checked once for every device. */
interface ReleaseInput {
  readonly release: CheckedRelease;
  readonly releaseKey: string;
}

async function releaseInput(o: Options): Promise<ReleaseInput | undefined> {
  if (o.tarball === undefined) {
    if (o.image !== undefined || o.baseImage !== undefined) throw new ProvisionError('USAGE', `${o.image !== undefined ? '--image' : '--base-image'} needs --tarball <halld-X-linux-arm64.tar.gz> (npm run release -- --arch arm64) and --release-key-pub`);
    return undefined;
  }
  if (o.releaseKeyPub === undefined) throw new ProvisionError('USAGE', "--tarball needs --release-key-pub <release.pub>: the release's signature is checked against the hall's release key");
  const releaseKey = await readFile(o.releaseKeyPub, 'utf8');
  return { release: await checkedRelease(o.tarball, releaseKey), releaseKey };
}

/** Into a root file system (with the release installed, when given), or into an image when one is named. */
async function provisionOne(o: Options, common: Omit<ProvisionOptions, 'target' | 'spec'>, spec: DeviceSpec, target: string | undefined, image: string | undefined, release: ReleaseInput | undefined): Promise<ProvisionResult> {
  if (image === undefined) {
    if (target === undefined) throw new ProvisionError('USAGE', 'one device needs --target <dir> or --image <file>');
    const result = await provisionDevice({ ...common, spec, target });
    if (release === undefined) return result;
    return { ...result, files: [...result.files, ...(await installIntoTarget(target, release.release, release.releaseKey))] };
  }
  if (release === undefined) throw new ProvisionError('USAGE', '--image needs --tarball and --release-key-pub');
  const offset = o.offset === undefined ? undefined : Number(o.offset);
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) throw new ProvisionError('USAGE', `--offset: expected a byte count, found "${o.offset}"`);
  const userData = o.userData !== undefined ? await readFile(o.userData, 'utf8') : undefined;
  return provisionImage({ ...common, spec, image, release: release.release, releaseKey: release.releaseKey, ...(offset !== undefined ? { offset } : {}), ...(o.os ? { os: o.os } : {}), ...(userData !== undefined ? { userData } : {}) });
}

export async function provisionMain(argv: string[], validate: ConfigValidator, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), err: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  const program = new Command('halld provision')
    .description('give boards their identity: device config, broker account and ACL, systemd unit')
    .option('--hall <id>', 'hall id (one device)')
    .option('--device <id>', 'device id, also its broker account (one device)')
    .option('--roles <list>', 'roles besides sys, comma-separated', '')
    .option('--board <id>', 'board definition (boards/)', 'sim')
    .option('--broker <url>', 'the hall broker the device connects to', 'mqtts://broker.hall.local:8883')
    .option('--extra <file>', 'JSON merged into the config last (role sections, io, window/door map)')
    .option('--server-key-pub <file>', "the hall server's command-signing public key (PEM)")
    .option('--target <dir>', 'root file system to write the device into (one device)')
    .option('--csv <file>', 'devices, one per line: hall,device,roles,board[,broker][,extra]')
    .option('--out <dir>', 'with --csv: one root per device at <dir>/<hall>/<device>')
    .option('--broker-dir <dir>', 'Mosquitto password file, ACL and device list to create or update')
    .option('--image <file>', 'Raspberry Pi OS image file or SD card device to write the device into (one device)')
    .option('--base-image <file>', 'with --csv: copy this image to <out>/<hall>-<device>.img for each device')
    .option('--tarball <file>', 'the signed release the board installs (halld-X-linux-arm64.tar.gz, npm run release); with --target it is installed into <target>/opt/halld')
    .option('--release-key-pub <file>', "the hall's release public key (PEM): the tarball must be signed by it, and the board keeps it for updates")
    .option('--user-data <file>', "with --image on Trixie: a cloud-config merged into the card's user-data (user, time zone, SSH keys, Wi-Fi)")
    .option('--offset <bytes>', 'byte offset of the FAT boot partition (default: from the MBR; 0 for a bare FAT image)')
    .addOption(new Option('--os <generation>', 'Raspberry Pi OS generation (default: detected from the boot partition)').choices(['trixie', 'bookworm']))
    .option('--csr', "make the device's TLS key and a CSR (CN = its MQTT username) for the hall's CA to sign")
    .option('--ca-cert <file>', "the hall CA's certificate (PEM): installed as broker.ca, the CA the broker's certificate is checked against; with --ca-key it also signs the device's client certificate, with --cert it checks and installs one")
    .option('--ca-key <file>', "the hall CA's private key (PEM; an encrypted one reads its passphrase from HALLD_CA_PASSPHRASE)")
    .option('--cert <file>', 'the certificate the hall CA signed from the device\'s CSR')
    .option('--cert-days <n>', 'with --ca-key: how long the certificate is valid', String(DEFAULT_CERT_DAYS))
    .option('--rotate', "issue new passwords (and TLS keys) even where the target already has them")
    .option('--force', 'overwrite a target that holds another device')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => err(s.trimEnd()) });
  let opts: Options;
  try {
    opts = program.parse(argv, { from: 'user' }).opts<Options>();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_INPUT;
    throw e;
  }
  try {
    const serverKey = opts.serverKeyPub !== undefined ? await readFile(opts.serverKeyPub, 'utf8') : undefined;
    const broker = opts.brokerDir !== undefined ? await BrokerFiles.open(opts.brokerDir) : undefined;
    const tls = tlsRequest(opts);
    const release = await releaseInput(opts);
    const warn = (line: string) => err(`halld provision: warning: ${line}`);
    const common = { validate, warn, ...(serverKey !== undefined ? { serverKey } : {}), ...(broker ? { broker } : {}), ...(tls ? { tls } : {}), rotate: opts.rotate === true, force: opts.force === true };
    if (opts.csv !== undefined) {
      if (opts.out === undefined) throw new ProvisionError('USAGE', '--csv needs --out <dir>');
      const parsed = parseDevicesCsv(await readFile(opts.csv, 'utf8'), opts.csv, { brokerUrl: opts.broker });
      // A bad row stops the batch before anything is written: fix the file and run it again.
      if (parsed.problems.length > 0) {
        for (const p of parsed.problems) err(p);
        return EXIT_INPUT;
      }
      // The batch works on a staged copy of the broker folder and writes it only when every row succeeded.
      const { broker: _real, ...rowCommon } = common;
      const batch = await provisionBatch({
        csv: opts.csv,
        out: opts.out,
        rows: parsed.rows,
        validate,
        ...(serverKey !== undefined ? { serverKey } : {}),
        ...(opts.brokerDir !== undefined ? { brokerDir: opts.brokerDir } : {}),
        ...(opts.baseImage !== undefined ? { baseImage: opts.baseImage } : {}),
        provision: (spec, target, image, staged) => provisionOne(opts, { ...rowCommon, ...(staged ? { broker: staged } : {}) }, spec, target, image, release),
      });
      for (const p of batch.problems) err(p);
      if (batch.problems.length > 0) return EXIT_INPUT;
      for (const r of batch.done) out(summary(r));
      if (opts.brokerDir !== undefined) out(`broker files: ${opts.brokerDir}`);
      return EXIT_OK;
    } else {
      if (opts.hall === undefined || opts.device === undefined) throw new ProvisionError('USAGE', 'one device needs --hall, --device and --target or --image (or --csv and --out for a batch)');
      const spec: DeviceSpec = {
        hall: opts.hall,
        device: opts.device,
        roles: opts.roles.split(',').map((r) => r.trim()).filter((r) => r !== '' && r !== 'sys'),
        board: opts.board,
        brokerUrl: opts.broker,
        ...(opts.extra !== undefined ? { extra: await readExtraFile(opts.extra) } : {}),
      };
      out(summary(await provisionOne(opts, common, spec, opts.target, opts.image, release)));
    }
    if (broker) {
      await broker.save();
      out(`broker files: ${broker.dir}`);
    }
    return EXIT_OK;
  } catch (e) {
    if (e instanceof ProvisionError || (e as NodeJS.ErrnoException).code === 'ENOENT' || e instanceof SyntaxError) {
      err(`halld provision: ${(e as Error).message}`);
      return EXIT_INPUT;
    }
    throw e;
  }
}
