// Exactly-once effect over at-least-once delivery (docs/protocol.md "Commands"): every command gets
// exactly one ack; a repeated id gets the stored ack with dup:true and runs nothing; a command
// past its expiry, with a bad signature or bad data never runs; a command that was moving
// hardware when the device died answers INDETERMINATE after restart.
//
// Concurrent copies of one id (a QoS 1 redelivery, a server retry) are one command: the first
// copy claims the id synchronously, before its first await (the journal lookup), and the others
// wait for that claim. A claim that ends in an ack hands it to them with dup:true; a claim that
// ran nothing (refused: expired, unsigned, bad data) lets each waiting copy be judged on its
// own, so a forged copy that arrives first cannot speak for the real one.
import type { Store, Statement, NewEvent } from '../store/store.js';
import type { Ack, ErrorCode } from '../../protocol/messages.js';
import { CommandMessage } from '../../protocol/messages.js';
import { validate, parseJsonObject, DEFAULT_INPUT_LIMITS, type InputLimits } from '../../protocol/validate.js';
import { checkSecureTimes, verifyForTopic, type SecureTimeLimits } from '../../protocol/signing.js';
import type { KeyObject } from 'node:crypto';
import type { Timers, TimerHandle } from '../../drivers/clock/timers.js';
import type { TrustedClock } from './trusted-clock.js';
import type { CommandContext, CommandSpec } from './command-types.js';
import { DeviceError } from './device-error.js';
import { CommandJournal, DEFAULT_JOURNAL_LIMITS, PRUNE_EVERY, RecentAcks, storedAck, type JournalLimits, unfinishedAck } from './command-journal.js';
import { JournalIds } from './journal-ids.js';
import { JournalBehind } from './journal-behind.js';
import { storageFault } from '../store/storage-fault.js';
import type { Logger } from '../log.js';

export interface DispatcherOptions {
  store: Store;
  clock: TrustedClock;
  timers: Timers;
  publishAck: (ackJson: string) => void;
  protocolError: (data: Record<string, unknown>) => void;
  /** The hall server's Ed25519 public key; without it every secure command is refused. */
  serverPublicKey: KeyObject | undefined;
  /** `role/name` of commands that need a signature on top of those their role marks secure. */
  extraSecure: ReadonlySet<string>;
  /** Bounds on signed commands' `ts` and `exp` (config `security`). */
  security: SecureTimeLimits;
  /** Payload size and JSON depth (docs/protocol.md "Limits"); defaults 256 KiB and 64. */
  limits?: InputLimits;
  /** What the journal keeps and for how long (command-journal.ts). */
  journal?: JournalLimits;
  /** Where every answer is logged once (id, command, code, time taken: info; refusals at warn), and the dispatcher's own failures (warn). */
  logger: Logger;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Arrival times kept for the answer's log line; a flood of unanswered ids cannot grow it further. */
const MAX_ARRIVALS_LOGGED = 2_000;

export interface IncomingCommand {
  role: string;
  name: string;
  hallWide: boolean;
  /** The exact topic it arrived on: a signed command must have been signed for it. */
  topic: string;
}

/** How a claim ended: the ack every copy gets, or nothing (refused before it ran: judge each copy). */
type ClaimResult = string | undefined;

/** A command's place in the start order: wait for `previous`, call `started` once under way. */
interface StartTurn {
  readonly previous: Promise<void>;
  readonly started: () => void;
}

export class CommandDispatcher {
  private readonly commands = new Map<string, CommandSpec>();
  /** Recent acks by id (bounded by count and bytes), so duplicates of fast commands need no disk read. */
  private readonly recent = new RecentAcks();
  /** Ids being handled now; set before the first await of the copy that claimed it. */
  private readonly claims = new Map<string, Promise<ClaimResult>>();
  private executed = 0;
  private duplicates = 0;
  private journaled = 0;
  /** When each id arrived and what it asked for, until it is answered (for the answer's log line). */
  private readonly arrived = new Map<string, { command: string; at: number }>();
  private readonly journal: CommandJournal;
  /** Which ids the journal may hold: only those are read from it before a command runs. */
  private readonly journalIds: JournalIds;
  /** Read-only commands' rows, written behind their answers in batches. */
  private readonly behind: JournalBehind;
  private idsLoading: Promise<void> = Promise.resolve();
  private lastStart: Promise<void> = Promise.resolve();

  constructor(private readonly options: DispatcherOptions) {
    this.journal = new CommandJournal(options.store);
    this.journalIds = new JournalIds((after, limit) => this.journal.ids(after, limit), this.journalLimits.maxRows);
    this.behind = new JournalBehind({
      store: options.store,
      timers: options.timers,
      written: (rows) => {
        for (let i = 0; i < rows; i++) this.noteJournaled();
      },
      failed: (err, rows) => options.logger.warn({ rows, err: (err as Error).message }, 'journal write failed'),
    });
  }

  /** Writes the journal rows still waiting (before the store closes); later rows are written at once. */
  stop(): Promise<void> {
    return this.behind.stop();
  }

  /** Settles once the earlier boots' ids are known (tests wait for it; commands never do). */
  journalIdsLoaded(): Promise<void> {
    return this.idsLoading;
  }

  register(role: string, name: string, spec: CommandSpec): void {
    const key = `${role}/${name}`;
    if (this.commands.has(key)) throw new Error(`command ${key} is registered twice`);
    this.commands.set(key, spec);
  }

  unregisterRole(role: string): void {
    for (const key of [...this.commands.keys()]) if (key.startsWith(`${role}/`)) this.commands.delete(key);
  }

  list(): string[] {
    return [...this.commands.keys()].sort();
  }

  stats(): { executed: number; running: number; duplicates: number; recentAcks: number; recentBytes: number } {
    return { executed: this.executed, running: this.claims.size, duplicates: this.duplicates, recentAcks: this.recent.size, recentBytes: this.recent.heldBytes };
  }

  private get journalLimits(): JournalLimits {
    return this.options.journal ?? DEFAULT_JOURNAL_LIMITS;
  }

  /** Drops finished journal rows by age and count; failures are logged (the next prune retries). */
  private async prune(): Promise<void> {
    const { maxAgeMs, maxRows } = this.journalLimits;
    try {
      await this.journal.prune(maxAgeMs, maxRows);
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'journal prune failed');
    }
  }

  private noteJournaled(): void {
    this.journaled += 1;
    if (this.journaled % PRUNE_EVERY === 0) void this.prune();
  }

  /**
   * Turns rows a previous boot left unfinished into final answers: `actuating` rows become
   * INDETERMINATE (hardware may have moved; never move it again), `received` rows INTERNAL
   * (nothing ran; the server may retry with a new id). Returns the acks to publish.
   */
  async recoverUnfinished(): Promise<string[]> {
    await this.prune();
    const acks = await this.journal.finishUnfinished();
    // In the background: until it is done, every command reads the journal as before.
    this.idsLoading = this.journalIds.rebuild().catch((err: unknown) => this.options.logger.warn({ err: (err as Error).message }, 'journal ids not read; every command reads the journal'));
    return acks;
  }

  /** Handles one command payload; never throws. */
  async handle(incoming: IncomingCommand, payload: Buffer): Promise<void> {
    try {
      await this.dispatch(incoming, payload);
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message, role: incoming.role, name: incoming.name }, 'command handling failed');
    }
  }

  private async dispatch(incoming: IncomingCommand, payload: Buffer): Promise<void> {
    const { role, name } = incoming;
    const parsed = parseJsonObject(payload, this.options.limits ?? DEFAULT_INPUT_LIMITS);
    if (!parsed.ok) {
      if (parsed.id !== undefined && ID_RE.test(parsed.id)) {
        this.reply(parsed.id, fail('BAD_REQUEST', parsed.error));
        return;
      }
      this.options.protocolError({ topic: `cmd/${role}/${name}`, reason: parsed.error });
      return;
    }
    const raw = parsed.value;
    const id = typeof raw['id'] === 'string' && ID_RE.test(raw['id']) ? raw['id'] : undefined;
    if (id === undefined) {
      this.options.protocolError({ topic: `cmd/${role}/${name}`, reason: 'command has no readable id (1-64 of A-Z a-z 0-9 _ . : -)' });
      return;
    }
    this.arrived.set(id, { command: `${role}/${name}`, at: this.options.clock.monotonicMs() });
    if (this.arrived.size > MAX_ARRIVALS_LOGGED) this.arrived.delete(this.arrived.keys().next().value as string);
    if (raw['v'] !== 1) {
      this.reply(id, fail('BAD_REQUEST', `unsupported protocol version ${JSON.stringify(raw['v'])}; this device speaks v 1`));
      return;
    }
    const envelope = validate(CommandMessage, raw);
    if (!envelope.ok) {
      this.reply(id, fail('BAD_REQUEST', `bad command envelope: ${envelope.errors.join('; ')}`));
      return;
    }

    // Another copy of this id is being handled: its answer is ours, unless it ran nothing.
    for (let claim = this.claims.get(id); claim; claim = this.claims.get(id)) {
      const answered = await claim;
      if (answered !== undefined) {
        this.answerDuplicate(id, answered);
        return;
      }
    }
    const known = this.recent.get(id);
    if (known !== undefined) {
      this.answerDuplicate(id, known);
      return;
    }

    // Claim the id now, synchronously: every later copy waits for this one.
    let settle!: (result: ClaimResult) => void;
    this.claims.set(id, new Promise<ClaimResult>((resolve) => (settle = resolve)));
    // And take a place in the start order, also synchronously (see StartTurn).
    const turn = this.takeTurn();
    let result: ClaimResult;
    try {
      result = await this.judgeAndRun(id, incoming, raw, envelope.value, turn);
    } finally {
      turn.started();
      this.claims.delete(id);
      settle(result);
    }
  }

  /**
   * Distinct commands start in the order they arrived: three calls sent at once are announced in
   * that order. Their journal lookups run on their own connection and may answer in any order,
   * so each command waits, after its lookup, until the one before it has started (its effect
   * queued or its refusal sent); only the start is ordered, the commands still overlap.
   */
  private takeTurn(): StartTurn {
    const previous = this.lastStart;
    let started!: () => void;
    this.lastStart = new Promise<void>((resolve) => (started = resolve));
    return { previous, started };
  }

  /** Runs the claimed command if nothing refuses it; returns its ack, or undefined when it was refused. */
  private async judgeAndRun(id: string, incoming: IncomingCommand, raw: Record<string, unknown>, envelope: CommandMessage, turn: StartTurn): Promise<ClaimResult> {
    const row = this.journalIds.mayHave(id) ? await this.journal.get(id) : undefined;
    await turn.previous;
    if (row?.ack) {
      this.answerDuplicate(id, row.ack);
      return row.ack;
    }
    if (row) {
      // Started before and never finished (its result could not be stored): never run it again.
      const ack = unfinishedAck(row);
      this.answerDuplicate(id, ack);
      return ack;
    }
    const key = `${incoming.role}/${incoming.name}`;
    const spec = this.commands.get(key);
    if (!spec) return this.refuse(id, 'UNKNOWN_COMMAND', `this device has no command ${key}; it answers: ${this.list().join(', ')}`);
    const now = this.options.clock.now();
    if (now === undefined) return this.refuse(id, 'EXPIRED', 'the device has no trusted time yet (no time beacon received) and cannot check the expiry; refused');
    if (now > envelope.exp) return this.refuse(id, 'EXPIRED', `command expired ${now - envelope.exp} ms ago (exp ${envelope.exp}, device time ${now})`);
    if (spec.secure === true || this.options.extraSecure.has(key)) {
      if (!this.options.serverPublicKey) return this.refuse(id, 'UNAUTHORIZED', `${key} needs a signature, and this device has no server public key configured`);
      const signature = verifyForTopic(raw, this.options.serverPublicKey, incoming.topic);
      if (!signature.ok) return this.refuse(id, 'UNAUTHORIZED', `${key}: ${signature.reason}`);
      const times = checkSecureTimes(envelope.ts, envelope.exp, now, this.options.security);
      if (!times.ok) return this.refuse(id, 'UNAUTHORIZED', `${key}: ${times.reason}`);
    }
    const data = validate(spec.schema, envelope.data);
    if (!data.ok) return this.refuse(id, 'BAD_REQUEST', `bad data for ${key}: ${data.errors.join('; ')}`);
    return this.execute(id, incoming, spec, data.value, turn);
  }

  private async execute(id: string, incoming: IncomingCommand, spec: CommandSpec, data: unknown, turn: StartTurn): Promise<string> {
    const { role, name } = incoming;
    const store = this.options.store;
    // `none` and `records` leave nothing outside the one commit below: no journal row first.
    if (spec.effect === 'state' || spec.effect === 'hardware') {
      try {
        // Queued before the next command may start: journal commits finish in queue order.
        const begun = this.journal.begin(id, role, name, spec.effect === 'hardware' ? 'actuating' : 'received');
        this.journalIds.queued(id, begun);
        turn.started();
        await begun;
      } catch (err) {
        // Nothing ran. The answer lives in memory only (the disk refused it), so a repeat of
        // this id meanwhile gets the same answer with dup:true.
        this.options.logger.warn({ id, err: (err as Error).message }, 'could not journal command; not run');
        const failed = JSON.stringify(fail('INTERNAL', storageMessage(err, `${role}/${name} was not run`), id));
        this.recent.set(id, failed);
        this.answer(failed);
        return failed;
      }
    }

    const statements: Statement[] = [];
    const events: NewEvent[] = [];
    const ctx: CommandContext = {
      id,
      role,
      name,
      hallWide: incoming.hallWide,
      record: (s) => statements.push(s),
      emit: (event, eventData, options) => events.push({ role, name: event, data: eventData, durable: options?.durable ?? true }),
    };
    let ack: Ack;
    const timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: TimerHandle | undefined;
    try {
      const running = spec.run(data as never, ctx);
      turn.started();
      const result = await Promise.race([
        running,
        new Promise<never>((_, reject) => {
          timer = this.options.timers.setTimeout(
            () => reject(new DeviceError(spec.effect === 'hardware' ? 'INDETERMINATE' : 'TIMEOUT', `${role}/${name} did not finish within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      ack = result ? { v: 1, id, ok: true, data: result } : { v: 1, id, ok: true };
    } catch (err) {
      statements.length = 0;
      events.length = 0;
      if (err instanceof DeviceError) {
        ack = { v: 1, id, ok: false, error: err.toErrorBody() };
      } else {
        this.options.logger.warn({ role, name, err: (err as Error).stack ?? String(err) }, 'command handler threw');
        ack = { v: 1, id, ok: false, error: { code: spec.effect === 'hardware' ? 'HARDWARE' : 'INTERNAL', message: (err as Error).message || String(err) } };
      }
    } finally {
      this.options.timers.clearTimeout(timer);
    }
    this.executed += 1;
    const ackJson = JSON.stringify(ack);
    const kept = storedAck(ackJson, this.journalLimits.ackMaxBytes);
    this.recent.set(id, kept);
    const finish = (): Promise<unknown> => {
      const committed = store.commit([this.journal.finishStatement(id, role, name, kept), ...statements], events);
      this.journalIds.queued(id, committed);
      committed.then(
        () => this.noteJournaled(),
        () => undefined,
      );
      return committed;
    };
    if (spec.effect === 'none') {
      // Nothing durable depends on a read-only command: answer at once, journal behind, in a
      // batch with others' rows unless it handed over records or events of its own.
      if (statements.length === 0 && events.length === 0) this.journalIds.queued(id, this.behind.add({ id, role, name, ack: kept }));
      else finish().catch((err: unknown) => this.options.logger.warn({ id, err: (err as Error).message }, 'journal write failed'));
      this.answer(ackJson);
      return ackJson;
    }
    try {
      await finish();
    } catch (err) {
      this.options.logger.warn({ id, err: (err as Error).message }, 'could not record command result');
      const failed = JSON.stringify(fail('INTERNAL', storageMessage(err, 'the result could not be stored'), id));
      this.recent.set(id, failed);
      this.answer(failed);
      return failed;
    }
    this.answer(ackJson);
    return ackJson;
  }

  /** Answers a refusal; nothing ran and nothing is recorded, so the claim hands back no ack. */
  private refuse(id: string, code: ErrorCode, message: string): undefined {
    this.reply(id, fail(code, message));
    return undefined;
  }

  private answerDuplicate(id: string, ackJson: string): void {
    this.duplicates += 1;
    this.reply(id, withDup(ackJson));
  }

  private reply(id: string, ack: Omit<Ack, 'id'> | string): void {
    const json = typeof ack === 'string' ? ack : JSON.stringify({ ...ack, id });
    this.answer(json);
  }

  /** Publishes an ack and logs it: the one place every answer passes. */
  private answer(ackJson: string): void {
    this.options.publishAck(ackJson);
    const log = this.options.logger;
    if (!log.isLevelEnabled('warn')) {
      this.arrived.clear();
      return;
    }
    const ack = JSON.parse(ackJson) as Ack & { dup?: boolean };
    const arrived = this.arrived.get(ack.id);
    this.arrived.delete(ack.id);
    const code = ack.ok ? 'ok' : ack.error.code;
    const ms = arrived ? Math.round(this.options.clock.monotonicMs() - arrived.at) : undefined;
    const command = arrived?.command ?? 'command';
    log[ack.ok ? 'info' : 'warn'](
      { id: ack.id, cmd: command, code, ...(ms !== undefined ? { ms } : {}), ...(ack.dup === true ? { dup: true } : {}), ...(ack.ok ? {} : { reason: ack.error.message }) },
      `${command} ${ack.id} -> ${code}${ack.dup === true ? ' (dup)' : ''}${ms !== undefined ? ` in ${ms} ms` : ''}`,
    );
  }

}

function fail(code: ErrorCode, message: string, id = ''): Ack {
  return { v: 1, id, ok: false, error: { code, message } };
}

/** "storage full: ..." for a fault of the disk, so a server can tell it from a bug. */
function storageMessage(err: unknown, what: string): string {
  const fault = storageFault(err);
  const detail = (err as Error).message || String(err);
  return fault ? `${fault.reason}: ${what} (${fault.code})` : `${what}: ${detail}`;
}

function withDup(ackJson: string): string {
  const ack = JSON.parse(ackJson) as Record<string, unknown>;
  return JSON.stringify({ ...ack, dup: true });
}
