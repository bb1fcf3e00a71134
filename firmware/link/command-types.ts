// What a role declares for each command it answers (its manifest entry), and the error a
// handler throws to answer with a specific code (DeviceError, under its command-side name).
import type { TSchema, Static } from '@sinclair/typebox';
import type { Statement } from '../store/store.js';

/**
 * How a command touches the world, which decides how it is journaled:
 * - `none`: reads only (ping, diag); re-running it changes nothing, so it is not journaled
 *   before it runs (its ack still is, so a repeated id answers `dup:true`).
 * - `records`: its only lasting effect is the rows and events it hands to `record()` and
 *   `emit()` (and memory a restart rebuilds from them). Nothing leaves the transaction before it
 *   commits, so it is not journaled before it runs: its journal row, records, events and ack are
 *   ONE durable commit. A power cut before that commit leaves no trace; a retry of the id runs it
 *   (once), a retry after it answers the stored ack with `dup:true`.
 * - `state`: changes something outside that transaction too (starts an update, schedules a
 *   restart); journaled as `received` in a commit of its own before it runs, so a restart in
 *   between answers INTERNAL instead of running it again. Its records are committed in the same
 *   transaction as its ack.
 * - `hardware`: moves something (a lock, a printer); journaled as `actuating` before it runs,
 *   so a restart in between answers INDETERMINATE instead of moving it again.
 */
export type CommandEffect = 'none' | 'records' | 'state' | 'hardware';

export interface CommandContext {
  readonly id: string;
  readonly role: string;
  readonly name: string;
  /** True when it came on the hall-wide topic. */
  readonly hallWide: boolean;
  /** Adds a statement to the transaction that records this command's result. */
  record(statement: Statement): void;
  /** Adds an event to that same transaction (durable by default). */
  emit(name: string, data: Record<string, unknown>, options?: { durable?: boolean }): void;
}

export interface CommandSpec<S extends TSchema = TSchema> {
  /** Schema of the command's `data`. */
  schema: S;
  effect: CommandEffect;
  /** Requires an Ed25519 signature from the hall server. */
  secure?: boolean;
  /** The handler must finish within this time or the command is answered TIMEOUT/INDETERMINATE. */
  timeoutMs?: number;
  run(data: Static<S>, ctx: CommandContext): Promise<Record<string, unknown> | void>;
}

/** Lets a role declare a command with its data type inferred from the schema. */
export function command<S extends TSchema>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}
