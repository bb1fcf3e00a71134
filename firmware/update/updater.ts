// The device side of sys/update: accept (or refuse at once), fetch (http with resume, or the
// server's pushed chunks), verify, unpack, let the new release test itself, wait for a good
// moment, switch `current` and restart into it. Every step is recorded so that a restart or a
// power cut at any point resumes or ends cleanly: the accepted command in the update state
// (`pending`), the bytes in the part file, the switch as an attempt the boot guard counts.
import { readFile, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { CURRENT_LINK, switchCurrent, switchLink } from '../../release/install.js';
import { COMMITTED_LINK, linkTarget } from '../../release/update/slots.js';
import { readUpdateState, updateState, type UpdateAttempt, type UpdateState } from '../../release/update/update-state.js';
import type { Timers } from '../../drivers/clock/timers.js';
import { DeviceError } from '../link/device-error.js';
import type { Logger } from '../log.js';
import type { Statement, Store } from '../store/store.js';
import { HealthGate } from './health-gate.js';
import { downloadRelease } from './http-download.js';
import { reportOutcomes, type UpdateEventName } from './outcome-reporter.js';
import { prepareRelease, selfTestRelease, type Migrates } from './prepare-release.js';
import { writeSnapshotRecord } from './snapshot-record.js';
import { inQuietWindow, nextQuietStart, type QuietWindow } from './quiet-window.js';
import { appendAt, bytesHeld, finishTransfer, isComplete, removeOtherTransfers, type TransferTarget } from './transfer-file.js';
import type { ChunkAnswer, UpdateAccepted, UpdateRequest, UpdateService } from './update-api.js';
import { UpdateFailure } from './update-failure.js';

export interface UpdateSettings {
  readonly root: string;
  readonly releaseKey: string;
  readonly maxBytes: number;
  readonly healthDeadlineMs: number;
  readonly maxBoots: number;
  readonly quietWindow?: QuietWindow;
}

export interface UpdaterDeps {
  readonly settings: UpdateSettings;
  readonly timeZone: string;
  /** The config file the running halld was started with (the new release tests itself against it). */
  readonly configFile: string | undefined;
  /** The release running now. */
  readonly running: string;
  /** The data dir (the store): copied before a tried release opens it (store-guard.ts). */
  readonly dataDir: string;
  readonly store: Store;
  readonly emit: (name: UpdateEventName | 'update.downloaded' | 'update.applied', data: Record<string, unknown>, statements?: Statement[]) => Promise<unknown>;
  readonly progress: (data: Record<string, unknown> | undefined) => void;
  /** Why the device must not restart now ("ticket-printer: printing a ticket"), empty when it may. */
  readonly busy: () => string[];
  readonly birth: () => Promise<boolean>;
  readonly failingSelfTests: () => Promise<string[]>;
  /** Stops the runtime and exits, so the supervisor starts `current` (the new or the old release). */
  readonly restart: (reason: string) => void;
  readonly timers: Timers;
  readonly now: () => number;
  readonly log: Logger;
}

interface Job {
  readonly id: string;
  readonly request: UpdateRequest;
  readonly target: TransferTarget;
  readonly notBefore?: number;
  readonly abort: AbortController;
  /** Resolves when the last pushed chunk is in (chunk transfers). */
  chunksDone?: () => void;
}

/** How often a busy device is asked again whether it may restart now. */
const BUSY_RECHECK_MS = 2_000;

export class Updater implements UpdateService {
  private job: Job | undefined;
  private gate: HealthGate | undefined;

  constructor(private readonly d: UpdaterDeps) {}

  private get root(): string {
    return this.d.settings.root;
  }

  /**
   * At the runtime's start: report how earlier updates ended, gate a release being tried,
   * and resume an accepted update the restart interrupted.
   */
  async resume(): Promise<void> {
    let state: UpdateState;
    try {
      state = await readUpdateState(this.root);
    } catch (err) {
      this.d.log.error({ err: (err as Error).message }, 'update: state unreadable; updates are off until it is fixed');
      return;
    }
    await this.report();
    const current = await linkTarget(this.root, CURRENT_LINK);
    const attempt = state.attempt;
    if (attempt && attempt.phase === 'trying' && attempt.to === this.d.running && current === attempt.to) {
      this.gate = new HealthGate(attempt, { ...this.d, root: this.root, deadlineMs: this.d.settings.healthDeadlineMs, progress: (p) => this.d.progress(p), committed: () => this.report() });
      this.gate.start();
      return;
    }
    const pending = state.pending;
    if (pending && !attempt) {
      const request = pending.request as unknown as UpdateRequest;
      this.d.log.info({ version: request.version, id: pending.id }, 'update: resuming an accepted update after a restart');
      this.launch(pending.id, request, pending.notBefore);
    }
  }

  private report(): Promise<void> {
    return reportOutcomes(this.root, this.d.store, (name, data, statements) => this.d.emit(name, data, statements)).then(
      () => undefined,
      (err: unknown) => this.d.log.warn({ err: (err as Error).message }, 'update: outcomes not reported yet'),
    );
  }

  notePing(): void {
    this.gate?.notePing();
  }

  stop(): void {
    this.gate?.stop();
    this.job?.abort.abort();
  }

  async start(id: string, request: UpdateRequest): Promise<UpdateAccepted> {
    const target: TransferTarget = { root: this.root, sha256: request.sha256, size: request.size };
    if (this.job) {
      if (this.job.request.sha256 === request.sha256) return this.accepted(this.job.request, this.job.notBefore, await bytesHeld(target));
      throw new DeviceError('BUSY', `an update to ${this.job.request.version} is in progress`);
    }
    const refuse = (reason: string, message: string): never => {
      throw new DeviceError('BAD_REQUEST', message, { reason });
    };
    if ((await readUpdateState(this.root)).attempt) throw new DeviceError('BUSY', 'a release is being tried; wait for its commit or rollback');
    if (request.version === this.d.running) refuse('VERSION', `release ${request.version} is already running`);
    if (request.arch !== process.arch) refuse('ARCH', `a release for ${request.arch} cannot run on this ${process.arch} board`);
    if (request.size > this.d.settings.maxBytes) refuse('TOO_LARGE', `${request.size} bytes is more than update.maxBytes (${this.d.settings.maxBytes})`);
    if (this.d.configFile === undefined) refuse('NO_CONFIG_FILE', 'this halld was not started from a config file, so a new release cannot test itself against it');
    await readFile(this.d.settings.releaseKey, 'utf8').catch((err: unknown) => refuse('NO_RELEASE_KEY', `cannot read the release key ${this.d.settings.releaseKey}: ${(err as Error).message}`));
    const free = await statfs(this.root).then((s) => s.bavail * s.bsize, () => undefined);
    const have = await bytesHeld(target);
    if (free === undefined) refuse('NO_ROOT', `the install root ${this.root} is not there`);
    if (free !== undefined && free < request.size - have) refuse('NO_SPACE', `${request.size - have} bytes to download, only ${free} free under ${this.root}`);
    const notBefore = request.when === 'quiet' && this.d.settings.quietWindow ? nextQuietStart(this.d.settings.quietWindow, this.d.now(), this.d.timeZone) : undefined;
    if (request.when === 'quiet' && !this.d.settings.quietWindow) refuse('NO_QUIET_WINDOW', "when:'quiet' needs update.quietWindow in the config");
    await updateState(this.root, (s) => ({ ...s, pending: { id, request: { ...request }, acceptedAt: this.d.now(), ...(notBefore !== undefined ? { notBefore } : {}) } }));
    this.launch(id, request, notBefore);
    return this.accepted(request, notBefore, have);
  }

  private accepted(request: UpdateRequest, notBefore: number | undefined, have: number): UpdateAccepted {
    const busy = this.d.busy();
    const window = this.d.settings.quietWindow;
    let when = 'now';
    if (notBefore !== undefined && notBefore > this.d.now() && window) when = `in the quiet window ${window.from}-${window.to} (${this.d.timeZone}), from ${new Date(notBefore).toISOString()}`;
    else if (busy.length > 0) when = `when this is done: ${busy.join('; ')}`;
    return { accepted: true, version: request.version, when, ...(notBefore !== undefined ? { notBefore } : {}), have };
  }

  async chunk(sha256: string, offset: number, data: Buffer): Promise<ChunkAnswer> {
    const job = this.job;
    if (!job || job.request.sha256 !== sha256 || !('chunks' in job.request.source)) throw new DeviceError('NOT_FOUND', `no update is waiting for chunks of ${sha256}`);
    const { target } = job;
    if (await isComplete(target)) return { have: target.size, size: target.size, complete: true };
    let have: number;
    try {
      have = offset === (await bytesHeld(target)) ? await appendAt(target, offset, data) : await bytesHeld(target);
    } catch (err) {
      if (err instanceof UpdateFailure) {
        job.abort.abort(err);
        throw new DeviceError('BAD_REQUEST', err.message, { reason: err.code });
      }
      throw err;
    }
    this.d.progress({ phase: 'download', version: job.request.version, bytes: have, size: target.size, via: 'chunks' });
    const complete = have === target.size;
    if (complete) job.chunksDone?.();
    return { have, size: target.size, complete };
  }

  private launch(id: string, request: UpdateRequest, notBefore: number | undefined): void {
    const job: Job = { id, request, target: { root: this.root, sha256: request.sha256, size: request.size }, abort: new AbortController(), ...(notBefore !== undefined ? { notBefore } : {}) };
    this.job = job;
    void this.run(job).finally(() => {
      if (this.job === job) this.job = undefined;
    });
  }

  private async run(job: Job): Promise<void> {
    const { request } = job;
    const via = 'url' in request.source ? 'http' : 'chunks';
    let dir: string | undefined;
    try {
      const progress = (bytes: number) => this.d.progress({ phase: 'download', version: request.version, bytes, size: request.size, via });
      progress(await bytesHeld(job.target));
      if ('url' in request.source) {
        await downloadRelease({ url: request.source.url, target: job.target, timers: this.d.timers, progress, signal: job.abort.signal });
      } else if (!(await isComplete(job.target)) && (await bytesHeld(job.target)) < request.size) {
        await new Promise<void>((resolve, reject) => {
          job.chunksDone = resolve;
          job.abort.signal.addEventListener('abort', () => reject(job.abort.signal.reason instanceof Error ? job.abort.signal.reason : new UpdateFailure('download', 'ABORTED', 'stopped')), { once: true });
        });
      }
      const tarball = await finishTransfer(job.target);
      await this.d.emit('update.downloaded', { version: request.version, bytes: request.size, sha256: request.sha256, via });
      this.d.progress({ phase: 'verify', version: request.version, bytes: request.size, size: request.size });
      const publicKey = await readFile(this.d.settings.releaseKey, 'utf8');
      dir = await prepareRelease({ root: this.root, tarball, request, publicKey, running: this.d.running, log: (line) => this.d.log.info(`update: ${line}`) });
      this.d.progress({ phase: 'self-test', version: request.version });
      const migrates = await selfTestRelease(dir, this.d.configFile as string, this.d.timers);
      await this.waitForMoment(job);
      await this.switchTo(job, migrates);
    } catch (err) {
      if (job.abort.signal.aborted && !(job.abort.signal.reason instanceof UpdateFailure)) return; // stopping: resumed at the next start
      const failure = err instanceof UpdateFailure ? err : new UpdateFailure('switch', 'INTERNAL', (err as Error).message, { cause: err });
      await this.failed(job, failure, dir);
    }
  }

  /** Waits for the quiet window (when asked for) and until no role is busy. */
  private async waitForMoment(job: Job): Promise<void> {
    const window = this.d.settings.quietWindow;
    for (;;) {
      if (job.abort.signal.aborted) throw new UpdateFailure('switch', 'ABORTED', 'stopped');
      const waitQuiet = job.notBefore !== undefined && window !== undefined && !inQuietWindow(window, this.d.now(), this.d.timeZone);
      const busy = this.d.busy();
      if (!waitQuiet && busy.length === 0) return;
      this.d.progress({ phase: 'waiting', version: job.request.version, why: waitQuiet ? `quiet window ${window?.from}-${window?.to}` : busy.join('; ') });
      const ms = waitQuiet && window ? Math.max(BUSY_RECHECK_MS, nextQuietStart(window, this.d.now(), this.d.timeZone) - this.d.now()) : BUSY_RECHECK_MS;
      await this.pause(Math.min(ms, 60_000), job.abort.signal);
    }
  }

  /** Sleeps, or less when the job is stopped (so a stopping runtime does not wait a minute). */
  private pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.d.timers.clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.d.timers.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async switchTo(job: Job, migrates: Migrates): Promise<void> {
    const { request } = job;
    const from = this.d.running;
    // A board installed before updates: what runs now has proven itself and is the way back.
    if ((await linkTarget(this.root, COMMITTED_LINK)) === undefined) await switchLink(this.root, COMMITTED_LINK, from);
    const attempt: UpdateAttempt = { id: job.id, from, to: request.version, switchedAt: this.d.now(), boots: 0, maxBoots: this.d.settings.maxBoots, phase: 'trying', faultsBefore: await this.d.failingSelfTests().catch(() => []) };
    await this.d.emit('update.applied', { from, to: request.version });
    // Before the attempt: whenever the guard sees the attempt, it knows where the store is.
    await writeSnapshotRecord(this.root, { format: 1, attemptId: job.id, from, to: request.version, dataDir: this.d.dataDir, migrates, phase: 'planned' });
    const { pending: _pending, ...rest } = await readUpdateState(this.root);
    await updateState(this.root, () => ({ ...rest, attempt }));
    await switchCurrent(this.root, request.version);
    await removeOtherTransfers(this.root);
    this.d.progress({ phase: 'restarting', from, to: request.version });
    this.d.log.warn({ from, to: request.version }, 'update: switched; restarting into the new release');
    this.d.restart(`update to ${request.version}`);
  }

  private async failed(job: Job, failure: UpdateFailure, dir: string | undefined): Promise<void> {
    const { request } = job;
    this.d.log.error({ version: request.version, phase: failure.phase, code: failure.code, reason: failure.message }, 'update failed; the running release is untouched');
    // A refused tarball is not kept; bytes of an interrupted download are (the server may retry).
    if (failure.phase !== 'download' || failure.code !== 'NETWORK') await removeOtherTransfers(this.root).catch(() => undefined);
    if (dir !== undefined && request.version !== this.d.running) await rm(join(this.root, request.version), { recursive: true, force: true }).catch(() => undefined);
    await updateState(this.root, (s) => {
      const { pending: _pending, ...rest } = s;
      return rest;
    }).catch(() => undefined);
    this.d.progress({ phase: 'failed', version: request.version, step: failure.phase, code: failure.code, reason: failure.message });
    await this.d.emit('update.failed', { version: request.version, phase: failure.phase, reason: `${failure.code}: ${failure.message}` }).catch(() => undefined);
  }
}
