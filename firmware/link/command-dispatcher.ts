// Exactly-once effect over at-least-once delivery (PROTOCOL.md "Commands"): every command gets
// exactly one ack; a repeated id gets the stored ack with dup:true and runs nothing; a command
// past its expiry, with a bad signature or bad data never runs; a command that was moving
// hardware when the device died answers INDETERMINATE after restart.
import type { Store, Statement, NewEvent } from '../store/store.js';
import type { Ack, ErrorBody, ErrorCode } from '../../protocol/messages.js';
import { CommandMessage } from '../../protocol/messages.js';
import { validate, parseJsonObject, DEFAULT_INPUT_LIMITS, type InputLimits } from '../../protocol/validate.js';
import { verifyEnvelope } from '../../protocol/signing.js';
import type { KeyObject } from 'node:crypto';
import type { TrustedClock } from './trusted-clock.js';
import { CommandError, type CommandContext, type CommandSpec } from './command-types.js';
import { DEFAULT_JOURNAL_LIMITS, PRUNE_EVERY, RecentAcks, storedAck, type JournalLimits } from './command-journal.js';
import { storageFault } from '../store/storage-fault.js';

export interface DispatcherOptions {
  store: Store;
  clock: TrustedClock;
  publishAck: (ackJson: string) => void;
  protocolError: (data: Record<string, unknown>) => void;
  /** The hall server's Ed25519 public key; without it every secure command is refused. */
  serverPublicKey: KeyObject | undefined;
  /** `role/name` of commands that need a signature on top of those their role marks secure. */
  extraSecure: ReadonlySet<string>;
  log: (msg: string, extra?: Record<string, unknown>) => void;
  /** Payload size and JSON depth (PROTOCOL.md "Limits"); defaults 256 KiB and 64. */
  limits?: InputLimits;
  /** What the journal keeps and for how long (command-journal.ts). */
  journal?: JournalLimits;
}

const DEFAULT_TIMEOUT_MS = 15_000;

interface Incoming {
  role: string;
  name: string;
  hallWide: boolean;
}

export class CommandDispatcher {
  private readonly commands = new Map<string, CommandSpec>();
  private readonly recent = new RecentAcks();
  private readonly running = new Map<string, Promise<void>>();
  private executed = 0;
  private journaled = 0;

  constructor(private readonly o: DispatcherOptions) {}

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

  stats(): { executed: number; running: number; recentAcks: number; recentBytes: number } {
    return { executed: this.executed, running: this.running.size, recentAcks: this.recent.size, recentBytes: this.recent.heldBytes };
  }

  private get journalLimits(): JournalLimits {
    return this.o.journal ?? DEFAULT_JOURNAL_LIMITS;
  }

  /** Drops finished journal rows by age and count; failures are logged (the next prune retries). */
  private async prune(): Promise<void> {
    const { maxAgeMs, maxRows } = this.journalLimits;
    try {
      await this.o.store.journalPrune(maxAgeMs, maxRows);
    } catch (err) {
      this.o.log('journal prune failed', { err: (err as Error).message });
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
    const rows = await this.o.store.journalUnfinished();
    if (rows.length === 0) return [];
    const acks: string[] = [];
    const statements: Statement[] = [];
    for (const row of rows) {
      const error: ErrorBody =
        row.state === 'actuating'
          ? { code: 'INDETERMINATE', message: `the device restarted while ${row.role}/${row.name} was running; its effect is unknown and it will not run again` }
          : { code: 'INTERNAL', message: `the device restarted before ${row.role}/${row.name} ran; nothing was done` };
      const ack = JSON.stringify({ v: 1, id: row.id, ok: false, error } satisfies Ack);
      statements.push(this.o.store.journalFinishStatement(row.id, row.role, row.name, ack));
      acks.push(ack);
    }
    await this.o.store.commit(statements);
    return acks;
  }

  /** Handles one command payload; never throws. */
  async handle(incoming: Incoming, payload: Buffer): Promise<void> {
    try {
      await this.dispatch(incoming, payload);
    } catch (err) {
      this.o.log('command handling failed', { err: (err as Error).message, role: incoming.role, name: incoming.name });
    }
  }

  private async dispatch(incoming: Incoming, payload: Buffer): Promise<void> {
    const { role, name } = incoming;
    const parsed = parseJsonObject(payload, this.o.limits ?? DEFAULT_INPUT_LIMITS);
    if (!parsed.ok) {
      if (parsed.id !== undefined && /^[A-Za-z0-9_.:-]{1,64}$/.test(parsed.id)) {
        this.reply(parsed.id, fail('BAD_REQUEST', parsed.error));
        return;
      }
      this.o.protocolError({ topic: `cmd/${role}/${name}`, reason: parsed.error });
      return;
    }
    const raw = parsed.value;
    const id = typeof raw['id'] === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(raw['id']) ? raw['id'] : undefined;
    if (id === undefined) {
      this.o.protocolError({ topic: `cmd/${role}/${name}`, reason: 'command has no readable id (1-64 of A-Z a-z 0-9 _ . : -)' });
      return;
    }
    if (raw['v'] !== 1) {
      this.reply(id, fail('BAD_REQUEST', `unsupported protocol version ${JSON.stringify(raw['v'])}; this device speaks v 1`));
      return;
    }
    const envelope = validate(CommandMessage, raw);
    if (!envelope.ok) {
      this.reply(id, fail('BAD_REQUEST', `bad command envelope: ${envelope.errors.join('; ')}`));
      return;
    }

    // A repeated id: answer what was answered, run nothing.
    const inFlight = this.running.get(id);
    if (inFlight) await inFlight;
    const known = this.recent.get(id) ?? (await this.o.store.journalGet(id))?.ack ?? undefined;
    if (known) {
      this.reply(id, withDup(known));
      return;
    }

    const key = `${role}/${name}`;
    const spec = this.commands.get(key);
    if (!spec) {
      this.reply(id, fail('UNKNOWN_COMMAND', `this device has no command ${key}; it answers: ${this.list().join(', ')}`));
      return;
    }
    const now = this.o.clock.now();
    if (now === undefined) {
      this.reply(id, fail('EXPIRED', 'the device has no trusted time yet (no time beacon received) and cannot check the expiry; refused'));
      return;
    }
    if (now > envelope.value.exp) {
      this.reply(id, fail('EXPIRED', `command expired ${now - envelope.value.exp} ms ago (exp ${envelope.value.exp}, device time ${now})`));
      return;
    }
    if (spec.secure === true || this.o.extraSecure.has(key)) {
      if (!this.o.serverPublicKey) {
        this.reply(id, fail('UNAUTHORIZED', `${key} needs a signature, and this device has no server public key configured`));
        return;
      }
      if (!verifyEnvelope(raw, this.o.serverPublicKey)) {
        this.reply(id, fail('UNAUTHORIZED', typeof raw['sig'] === 'string' ? 'signature does not verify' : `${key} must be signed (sig missing)`));
        return;
      }
    }
    const data = validate(spec.schema, envelope.value.data);
    if (!data.ok) {
      this.reply(id, fail('BAD_REQUEST', `bad data for ${key}: ${data.errors.join('; ')}`));
      return;
    }

    const run = this.execute(id, incoming, spec, data.value);
    this.running.set(id, run);
    try {
      await run;
    } finally {
      this.running.delete(id);
    }
  }

  private async execute(id: string, incoming: Incoming, spec: CommandSpec, data: unknown): Promise<void> {
    const { role, name } = incoming;
    const store = this.o.store;
    if (spec.effect !== 'none') {
      try {
        await store.journalBegin(id, role, name, spec.effect === 'hardware' ? 'actuating' : 'received');
      } catch (err) {
        // Nothing ran. The answer lives in memory only (the disk refused it), so a repeat of
        // this id meanwhile gets the same answer with dup:true.
        this.o.log('could not journal command; not run', { id, err: (err as Error).message });
        const failed = JSON.stringify(fail('INTERNAL', storageMessage(err, `${role}/${name} was not run`), id));
        this.recent.set(id, failed);
        this.o.publishAck(failed);
        return;
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
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        spec.run(data as never, ctx),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CommandError(spec.effect === 'hardware' ? 'INDETERMINATE' : 'TIMEOUT', `${role}/${name} did not finish within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      ack = result ? { v: 1, id, ok: true, data: result } : { v: 1, id, ok: true };
    } catch (err) {
      statements.length = 0;
      events.length = 0;
      if (err instanceof CommandError) {
        ack = { v: 1, id, ok: false, error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
      } else {
        this.o.log('command handler threw', { role, name, err: (err as Error).stack ?? String(err) });
        ack = { v: 1, id, ok: false, error: { code: spec.effect === 'hardware' ? 'HARDWARE' : 'INTERNAL', message: (err as Error).message || String(err) } };
      }
    } finally {
      if (timer) clearTimeout(timer);
    }
    this.executed += 1;
    const ackJson = JSON.stringify(ack);
    const kept = storedAck(ackJson, this.journalLimits.ackMaxBytes);
    this.recent.set(id, kept);
    const finish = store.commit([store.journalFinishStatement(id, role, name, kept), ...statements], events);
    finish.then(
      () => this.noteJournaled(),
      () => undefined,
    );
    if (spec.effect === 'none') {
      // Nothing durable depends on a read-only command: answer at once, journal behind.
      this.o.publishAck(ackJson);
      finish.catch((err: unknown) => this.o.log('journal write failed', { id, err: (err as Error).message }));
      return;
    }
    try {
      await finish;
    } catch (err) {
      this.o.log('could not record command result', { id, err: (err as Error).message });
      const failed = JSON.stringify(fail('INTERNAL', storageMessage(err, 'the result could not be stored'), id));
      this.recent.set(id, failed);
      this.o.publishAck(failed);
      return;
    }
    this.o.publishAck(ackJson);
  }

  private reply(id: string, ack: Omit<Ack, 'id'> | string): void {
    const json = typeof ack === 'string' ? ack : JSON.stringify({ ...ack, id });
    this.o.publishAck(json);
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
