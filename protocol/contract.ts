// A role's wire contract: every event, command and request name it uses, mapped to the
// TypeBox schema of its `data` (and, for a request, of the server's answer). It is the one
// place a name lives: the device's emit/request/command handlers, the server's HallClient
// and the JSON Schema files are all typed or generated from it, so a misspelled name or a
// missing field is a compile error, not a message the other side drops.
//
// A new role (see protocol/ticket-printer.ts and firmware/roles/ticket-printer/):
//   protocol/evaluator.ts   export const evaluatorContract = defineContract({ role: 'evaluator',
//                             events: { 'rating.submitted': RatingSubmitted }, commands: { request: RatingRequest },
//                             requests: { 'staff.photo': { data: PhotoRequest, result: PhotoAnswer } } });
//   protocol/contracts.ts   one line in CONTRACTS (types HallClient, exports protocol/schema/evaluator/*.json)
//   the role module         defineRole({ role: 'evaluator', contract: evaluatorContract, ... }), start(ctx) gets
//                           ctx.link.emit/request typed; commands: roleCommands(evaluatorContract, { request: { effect, run } })
import type { Static, TSchema } from '@sinclair/typebox';
import type { Role } from './topics.js';

/** A device request (`req/{name}`): what the device sends and what the server answers. */
export interface RequestEntry<D extends TSchema = TSchema, R extends TSchema = TSchema> {
  readonly data: D;
  readonly result: R;
}

export type SchemaMap = Readonly<Record<string, TSchema>>;
export type RequestMap = Readonly<Record<string, RequestEntry>>;

export interface WireContract<
  R extends Role = Role,
  E extends SchemaMap = SchemaMap,
  C extends SchemaMap = SchemaMap,
  Q extends RequestMap = RequestMap,
> {
  readonly role: R;
  /** `evt/{role}/{name}` data, by event name. */
  readonly events: E;
  /** `cmd/{role}/{name}` data, by command name. */
  readonly commands: C;
  /** `req/{name}` data and the `res` data that answers it, by request name. */
  readonly requests: Q;
  /**
   * Commands that are secure by role: the device refuses them unless they are signed for their
   * exact topic and unexpired (and refuses them outright without the server's key), whatever
   * its config says; HallClient signs them by default.
   */
  readonly secure: readonly string[];
}

/** Declares a role's contract; the literal names are kept so the helpers below can check them. */
export function defineContract<const R extends Role, E extends SchemaMap, C extends SchemaMap, Q extends RequestMap = Record<never, RequestEntry>>(contract: {
  role: R;
  events: E;
  commands: C;
  requests?: Q;
  secure?: ReadonlyArray<keyof C & string>;
}): WireContract<R, E, C, Q> {
  return { role: contract.role, events: contract.events, commands: contract.commands, requests: contract.requests ?? ({} as Q), secure: contract.secure ?? [] };
}

export type EventName<K extends WireContract> = keyof K['events'] & string;
export type EventData<K extends WireContract, N extends EventName<K>> = Static<K['events'][N]>;
export type CommandName<K extends WireContract> = keyof K['commands'] & string;
export type CommandData<K extends WireContract, N extends CommandName<K>> = Static<K['commands'][N]>;
export type RequestName<K extends WireContract> = keyof K['requests'] & string;
export type RequestData<K extends WireContract, N extends RequestName<K>> = Static<K['requests'][N]['data']>;
export type RequestResult<K extends WireContract, N extends RequestName<K>> = Static<K['requests'][N]['result']>;

/** One entry of a contract, as a JSON Schema file would name it. */
export interface ContractEntry {
  kind: 'event' | 'command' | 'request' | 'response';
  name: string;
  /** File name under protocol/schema/{role}/ (without .json). */
  file: string;
  schema: TSchema;
}

/**
 * Every schema of a contract with the file it is exported as: an event `ticket.issued` →
 * `ticket-issued`, a command `print` → `cmd-print`, a request `ticket.take` →
 * `ticket-take-request` and `ticket-take-response`.
 */
export function contractEntries(contract: WireContract): ContractEntry[] {
  const dashed = (name: string) => name.replaceAll('.', '-');
  const entries: ContractEntry[] = [];
  for (const [name, schema] of Object.entries(contract.events)) entries.push({ kind: 'event', name, file: dashed(name), schema });
  for (const [name, schema] of Object.entries(contract.commands)) entries.push({ kind: 'command', name, file: `cmd-${name}`, schema });
  for (const [name, entry] of Object.entries(contract.requests)) {
    entries.push({ kind: 'request', name, file: `${dashed(name)}-request`, schema: entry.data });
    entries.push({ kind: 'response', name, file: `${dashed(name)}-response`, schema: entry.result });
  }
  return entries;
}
