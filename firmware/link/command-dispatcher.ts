// Exactly-once effect over at-least-once delivery (PROTOCOL.md "Commands"): every command gets
// exactly one ack; a repeated id gets the stored ack with dup:true and runs nothing; a command
// past its expiry, with a bad signature or bad data never runs; a command that was moving
// hardware when the device died answers INDETERMINATE after restart.
import type { Store, Statement, NewEvent } from '../store/store.js';
import type { Ack, ErrorBody, ErrorCode } from '../../protocol/messages.js';
import { CommandMessage } from '../../protocol/messages.js';
import { validate, parseJsonObject } from '../../protocol/validate.js';
import { verifyEnvelope } from '../../protocol/signing.js';
import type { KeyObject } from 'node:crypto';
import type { TrustedClock } from './trusted-clock.js';
import { CommandError, type CommandContext, type CommandSpec } from './command-types.js';
import type { Logger } from '../log.js';

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
  /** Where every answer is logged once: id, command, code, time taken (info; refusals at warn). */
  logger?: Logger;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const RECENT_ACKS = 2_000;

interface Incoming {
  role: string;
  name: string;
  hallWide: boolean;
}

export class CommandDispatcher {
  private readonly commands = new Map<string, CommandSpec>();
  /** Recent acks by id, so duplicates of fast commands need no disk read. */
  private readonly recent = new Map<string, string>();
  private readonly running = new Map<string, Promise<void>>();
  private executed = 0;
  /** When each id arrived and what it asked for, until it is answered (for the answer's log line). */
  private readonly arrived = new Map<string, { command: string; at: number }>();

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

  stats(): { executed: number; running: number } {
    return { executed: this.executed, running: this.running.size };
  }

  /**
   * Turns rows a previous boot left unfinished into final answers: `actuating` rows become
   * INDETERMINATE (hardware may have moved; never move it again), `received` rows INTERNAL
   * (nothing ran; the server may retry with a new id). Returns the acks to publish.
   */
  async recoverUnfinished(): Promise<string[]> {
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
    const parsed = parseJsonObject(payload);
    if (!parsed.ok) {
      this.o.protocolError({ topic: `cmd/${role}/${name}`, reason: parsed.error });
      return;
    }
    const raw = parsed.value;
    const id = typeof raw['id'] === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(raw['id']) ? raw['id'] : undefined;
    if (id === undefined) {
      this.o.protocolError({ topic: `cmd/${role}/${name}`, reason: 'command has no readable id (1-64 of A-Z a-z 0-9 _ . : -)' });
      return;
    }
    this.arrived.set(id, { command: `${role}/${name}`, at: this.o.clock.monotonicMs() });
    if (this.arrived.size > RECENT_ACKS) this.arrived.delete(this.arrived.keys().next().value as string);
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
    if (spec.effect !== 'none') await store.journalBegin(id, role, name, spec.effect === 'hardware' ? 'actuating' : 'received');

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
    this.remember(id, ackJson);
    const finish = store.commit([store.journalFinishStatement(id, role, name, ackJson), ...statements], events);
    if (spec.effect === 'none') {
      // Nothing durable depends on a read-only command: answer at once, journal behind.
      this.answer(ackJson);
      finish.catch((err: unknown) => this.o.log('journal write failed', { id, err: (err as Error).message }));
      return;
    }
    try {
      await finish;
    } catch (err) {
      this.o.log('could not record command result', { id, err: (err as Error).message });
      const failed = JSON.stringify(fail('INTERNAL', `result could not be stored: ${(err as Error).message}`, id));
      this.remember(id, failed);
      this.answer(failed);
      return;
    }
    this.answer(ackJson);
  }

  private reply(id: string, ack: Omit<Ack, 'id'> | string): void {
    const json = typeof ack === 'string' ? ack : JSON.stringify({ ...ack, id });
    this.answer(json);
  }

  /** Publishes an ack and logs it: the one place every answer passes. */
  private answer(ackJson: string): void {
    this.o.publishAck(ackJson);
    const log = this.o.logger;
    if (!log?.isLevelEnabled('warn')) {
      this.arrived.clear();
      return;
    }
    const ack = JSON.parse(ackJson) as Ack & { dup?: boolean };
    const arrived = this.arrived.get(ack.id);
    this.arrived.delete(ack.id);
    const code = ack.ok ? 'ok' : ack.error.code;
    const ms = arrived ? Math.round(this.o.clock.monotonicMs() - arrived.at) : undefined;
    const command = arrived?.command ?? 'command';
    log[ack.ok ? 'info' : 'warn'](
      { id: ack.id, cmd: command, code, ...(ms !== undefined ? { ms } : {}), ...(ack.dup === true ? { dup: true } : {}), ...(ack.ok ? {} : { reason: ack.error.message }) },
      `${command} ${ack.id} -> ${code}${ack.dup === true ? ' (dup)' : ''}${ms !== undefined ? ` in ${ms} ms` : ''}`,
    );
  }

  private remember(id: string, ackJson: string): void {
    this.recent.set(id, ackJson);
    if (this.recent.size > RECENT_ACKS) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }
}

function fail(code: ErrorCode, message: string, id = ''): Ack {
  return { v: 1, id, ok: false, error: { code, message } };
}

function withDup(ackJson: string): string {
  const ack = JSON.parse(ackJson) as Record<string, unknown>;
  return JSON.stringify({ ...ack, dup: true });
}
