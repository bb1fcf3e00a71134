// `halld rollout`: the server team's staged rollout from a shell (protocol/rollout.ts): the
// release tarball's facts read from the file itself, the URL devices fetch it from, the
// devices, canary and waves, the failure threshold; one line per device as outcomes arrive
// and the report at the end. Exit status 5 when it stopped early or a device did not commit.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { HallClient } from '../../protocol/hall-client.js';
import { rollOut, type DeviceOutcome, type UpdateOffer } from '../../protocol/rollout.js';
import { listMembers, readMember } from '../../release/tarball.js';
import { parseManifest } from '../../release/manifest.js';
import { EXIT_CHECK_FAILED, EXIT_CONFIG, EXIT_OK, EXIT_UNREACHABLE } from '../exit-codes.js';
import type { Output } from './cli-output.js';

interface RolloutOptions {
  broker: string;
  key: string;
  tarball: string;
  url?: string;
  chunks?: boolean;
  devices: string;
  percent?: string;
  firstWave: string;
  maxFailures: string;
  deviceTimeout: string;
  username?: string;
  password?: string;
  json?: boolean;
}

async function offerOf(tarball: string, source: UpdateOffer['source']): Promise<UpdateOffer> {
  const top = (await listMembers(tarball))[0]?.path.split('/')[0] ?? '';
  const manifest = parseManifest(await readMember(tarball, `${top}/manifest.json`), tarball);
  const signature = (await readMember(tarball, `${top}/manifest.sig`)).toString('utf8').trim();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(tarball)) hash.update(chunk as Buffer);
  return { version: manifest.version, arch: manifest.arch, size: (await stat(tarball)).size, sha256: hash.digest('hex'), signature, source };
}

const line = (o: DeviceOutcome) => `${o.device.padEnd(20)} ${o.outcome.padEnd(12)} ${o.wave === undefined ? '-' : o.wave === 0 ? 'canary' : `wave ${o.wave}`}${o.reason ? `  ${o.reason}` : ''}`;

export function addRolloutCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('rollout')
    .description("roll a signed release out to a hall's devices: one canary, then waves, stopping when failures pass the threshold (docs/update.md)")
    .argument('<hall>', 'the hall id')
    .requiredOption('--broker <url>', 'broker URL (mqtt://host:1883)')
    .requiredOption('--key <server.pem>', "the hall's Ed25519 signing key (sys/update is a secure command)")
    .requiredOption('--tarball <file>', 'the release tarball (its version, architecture, size, SHA-256 and signature are read from it)')
    .option('--url <url>', 'where the devices fetch it (the hall server); without it, --chunks')
    .option('--chunks', 'the devices wait for the tarball pushed over MQTT (sys/update-chunk) instead of a URL')
    .requiredOption('--devices <list>', 'device ids, comma-separated')
    .option('--percent <n>', 'only this share of the devices (the same ones for one release)')
    .option('--first-wave <n>', 'devices in the first wave after the canary (each next wave doubles)', '2')
    .option('--max-failures <n>', 'stop after more than this many devices did not commit', '0')
    .option('--device-timeout <ms>', 'how long one device may take to commit', String(15 * 60_000))
    .option('--username <name>', 'MQTT username (the server account)')
    .option('--password <secret>', 'MQTT password (or HALLD_MQTT_PASSWORD)')
    .option('--json', 'print the report as JSON')
    .action(async (hall: string, o: RolloutOptions) => {
      const number = (v: string | undefined, name: string, min: number): number | undefined => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer >= ${min}, got "${v}"`);
        return n;
      };
      let offer: UpdateOffer;
      let signingKey: string;
      let options: { percent?: number; firstWave: number; maxFailures: number; deviceTimeoutMs: number };
      try {
        if ((o.url === undefined) === (o.chunks !== true)) throw new Error('give exactly one of --url and --chunks');
        const percent = number(o.percent, 'percent', 1);
        options = { firstWave: number(o.firstWave, 'first-wave', 1) ?? 2, maxFailures: number(o.maxFailures, 'max-failures', 0) ?? 0, deviceTimeoutMs: number(o.deviceTimeout, 'device-timeout', 1000) ?? 900_000, ...(percent !== undefined ? { percent } : {}) };
        signingKey = await readFile(o.key, 'utf8');
        offer = await offerOf(o.tarball, o.url !== undefined ? { url: o.url } : { chunks: true });
      } catch (err) {
        io.err(`halld rollout: ${(err as Error).message}\n`);
        return setExit(EXIT_CONFIG);
      }
      const devices = o.devices.split(',').map((d) => d.trim()).filter((d) => d !== '');
      const password = o.password ?? process.env['HALLD_MQTT_PASSWORD'];
      const client = new HallClient({ url: o.broker, hall, signingKey, ...(o.username !== undefined ? { username: o.username } : {}), ...(password !== undefined ? { password } : {}) });
      try {
        await client.connect();
      } catch (err) {
        io.err(`halld rollout: cannot connect to ${o.broker}: ${(err as Error).message}\n`);
        return setExit(EXIT_UNREACHABLE);
      }
      try {
        if (!o.json) io.out(`rolling out halld ${offer.version} (${offer.arch}) to ${devices.length} device(s)\n`);
        const report = await rollOut(client, { devices, update: offer, ...options, ...(o.json ? {} : { onOutcome: (x: DeviceOutcome) => io.out(`${line(x)}\n`) }) });
        if (o.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
        else io.out(`${report.committed} committed, ${report.failed} not${report.stopped ? `; stopped: ${report.stopped}` : ''}\n`);
        setExit(report.stopped === undefined && report.failed === 0 ? EXIT_OK : EXIT_CHECK_FAILED);
      } finally {
        await client.close().catch(() => undefined);
      }
    });
}
