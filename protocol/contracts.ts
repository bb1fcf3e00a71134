// Every role's wire contract, by role: what HallClient's typed methods and the JSON Schema
// export read. Adding a role = its protocol/<role>.ts with a defineContract(...) and one line here.
import type { Static } from '@sinclair/typebox';
import type { CommandData, CommandName, EventData, EventName, RequestName, WireContract } from './contract.js';
import { callerContract } from './caller.js';
import { evaluatorContract } from './evaluator.js';
import { lockerContract } from './locker.js';
import { sysContract } from './sys.js';
import { ticketPrinterContract } from './ticket-printer.js';

export const CONTRACTS = {
  sys: sysContract,
  'ticket-printer': ticketPrinterContract,
  evaluator: evaluatorContract,
  caller: callerContract,
  locker: lockerContract,
} as const;

export type Contracts = typeof CONTRACTS;
/** Roles that have a contract (the others cannot be commanded through the typed client yet). */
export type ContractRole = keyof Contracts;

/** `role/name` of every command in every contract, e.g. `ticket-printer/print`. */
export type CommandKey = { [R in ContractRole]: `${R}/${CommandName<Contracts[R]>}` }[ContractRole];

/** The `data` type of a `role/name` command. */
export type CommandKeyData<K extends CommandKey> = K extends `${infer R extends ContractRole}/${infer N}`
  ? N extends CommandName<Contracts[R]>
    ? CommandData<Contracts[R], N>
    : never
  : never;

/** Every request name in every contract (requests are not under a role's topic: `req/{name}`). */
export type AnyRequestName = { [R in ContractRole]: RequestName<Contracts[R]> }[ContractRole];

type RequestEntryOf<N extends AnyRequestName> = { [R in ContractRole]: N extends RequestName<Contracts[R]> ? Contracts[R]['requests'][N] : never }[ContractRole];
export type AnyRequestData<N extends AnyRequestName> = Static<RequestEntryOf<N>['data']>;
export type AnyRequestResult<N extends AnyRequestName> = Static<RequestEntryOf<N>['result']>;

export type ContractEventName<R extends ContractRole> = EventName<Contracts[R]>;
export type ContractEventData<R extends ContractRole, N extends ContractEventName<R>> = EventData<Contracts[R], N>;

/** `role/name` of every command a role marks secure (signed, topic-bound, unexpired), e.g. `locker/deposit`. */
export const SECURE_COMMANDS: readonly string[] = Object.values(CONTRACTS as Record<string, WireContract>).flatMap((c) => c.secure.map((name) => `${c.role}/${name}`));

/** The contract of a role, or undefined when it has none yet. */
export function contractOf(role: string): WireContract | undefined {
  return (CONTRACTS as Record<string, WireContract>)[role];
}

/** The contract that declares request `name`. */
export function requestContract(name: string): WireContract | undefined {
  return Object.values(CONTRACTS as Record<string, WireContract>).find((c) => Object.hasOwn(c.requests, name));
}
