// `halld provision --csv`: every row is judged before anything is written, and everything is
// written into a staging folder beside the outputs and moved into place only when every row
// succeeded. A bad row (even one refused only when its device.json is checked, or when its image
// is opened) leaves no device root, no image (no plain copy of the base image an installer could
// flash by mistake) and no change to the broker files.
//
//   1. every row's device.json is built and checked (placeholder password): cheap, so a bad line
//      is found before any image is copied;
//   2. every row is provisioned into <out>/.halld-staging-*/ (a root, or a copy of the base image
//      or of the image already there), with a copy of the broker folder;
//   3. only then: each output renamed into place (same file system, so each is whole or absent),
//      then the broker files written over the real ones.
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrokerFiles } from './broker-files.js';
import { buildConfig, type ConfigValidator, type DeviceSpec } from './device-spec.js';
import { ProvisionError } from './mosquitto-passwd.js';
import { validatedConfigText, type ProvisionResult } from './provision-device.js';
import { writeFileSafe } from './target-root.js';

export interface BatchRow {
  line: number;
  spec: DeviceSpec;
}

export interface BatchOptions {
  csv: string;
  out: string;
  rows: BatchRow[];
  validate: ConfigValidator;
  serverKey?: string;
  /** The real broker folder; the batch works on a copy of it. */
  brokerDir?: string;
  /** Each device gets `<out>/<hall>-<device>.img`, a copy of this (or the image already there). */
  baseImage?: string;
  /** Provisions one row into `target` (a root) or `image`, with the staging copy of the broker folder. */
  provision(spec: DeviceSpec, target: string, image: string | undefined, broker: BrokerFiles | undefined): Promise<ProvisionResult>;
}

export interface BatchOutcome {
  /** One result per row, in order, when every row succeeded (then everything is in place). */
  done: ProvisionResult[];
  /** `csv:line: message`, one per bad row; when there is any, nothing was written. */
  problems: string[];
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Step 1: each row's config as the device would read it, before anything is copied or written. */
async function checkConfigs(o: BatchOptions): Promise<string[]> {
  const problems: string[] = [];
  for (const row of o.rows) {
    const config = buildConfig(row.spec, { username: row.spec.device, password: 'placeholder-checked-only' }, o.serverKey);
    try {
      await validatedConfigText(config, o.validate, `${row.spec.hall}/${row.spec.device} (device.json)`);
    } catch (err) {
      if (!(err instanceof ProvisionError)) throw err;
      problems.push(`${o.csv}:${row.line}: ${err.message}`);
    }
  }
  return problems;
}

/** Copies the broker folder's files (not its subfolders) into `to`. */
async function copyBrokerDir(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  if (!(await exists(from))) return;
  for (const entry of await readdir(from, { withFileTypes: true })) if (entry.isFile()) await copyFile(join(from, entry.name), join(to, entry.name));
}

/** Writes every file of the staged broker folder over the real one, each atomically, with its mode. */
async function publishBrokerDir(staged: string, real: string): Promise<void> {
  for (const entry of await readdir(staged, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(staged, entry.name);
    await writeFileSafe(join(real, entry.name), await readFile(file, 'utf8'), (await stat(file)).mode & 0o777);
  }
}

interface Staged {
  /** Where it is staged and where it goes. */
  from: string;
  to: string;
}

export async function provisionBatch(o: BatchOptions): Promise<BatchOutcome> {
  const checked = await checkConfigs(o);
  if (checked.length > 0) return { done: [], problems: checked };

  const outExisted = await exists(o.out);
  await mkdir(o.out, { recursive: true });
  // Inside --out: the same file system, so moving into place is a rename.
  const staging = await mkdtemp(join(o.out, '.halld-staging-'));
  try {
    const broker = o.brokerDir !== undefined ? await (async () => {
      const copy = join(staging, 'broker');
      await copyBrokerDir(o.brokerDir as string, copy);
      return BrokerFiles.open(copy);
    })() : undefined;
    const done: ProvisionResult[] = [];
    const problems: string[] = [];
    const staged: Staged[] = [];
    for (const [i, row] of o.rows.entries()) {
      const { hall, device } = row.spec;
      const slot = join(staging, `row-${i}`);
      try {
        if (o.baseImage !== undefined) {
          const to = join(o.out, `${hall}-${device}.img`);
          const from = join(slot, 'device.img');
          await mkdir(slot, { recursive: true });
          // A re-run provisions the image already there (keeping its password), never a fresh copy.
          await copyFile((await exists(to)) ? to : o.baseImage, from, fsConstants.COPYFILE_FICLONE);
          done.push(await o.provision(row.spec, join(slot, 'root'), from, broker));
          staged.push({ from, to });
        } else {
          const to = join(o.out, hall, device);
          const from = join(slot, 'root');
          // A re-run works on a copy of the root already there (its password and TLS files).
          if (await exists(to)) await cp(to, from, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
          done.push(await o.provision(row.spec, from, undefined, broker));
          staged.push({ from, to });
        }
      } catch (err) {
        if (!(err instanceof ProvisionError)) throw err;
        problems.push(`${o.csv}:${row.line}: ${err.message}`);
      }
    }
    if (problems.length > 0) return { done: [], problems };

    for (const s of staged) {
      await mkdir(dirname(s.to), { recursive: true });
      if (s.to.endsWith('.img') || !(await exists(s.to))) {
        await rename(s.from, s.to);
        continue;
      }
      // A root already there: swapped for the staged one, the old one removed after.
      const old = `${s.from}.old`;
      await rename(s.to, old);
      await rename(s.from, s.to);
    }
    if (broker && o.brokerDir !== undefined) {
      await broker.save();
      await publishBrokerDir(broker.dir, o.brokerDir);
    }
    return { done, problems: [] };
  } finally {
    await rm(staging, { recursive: true, force: true });
    // Nothing was moved into an --out this run made: it goes too.
    if (!outExisted) await rmdir(o.out).catch(() => undefined);
  }
}
