// The contract between the runtime and a role (ESPHome-style manifest): a role declares its
// config schema, its tables, its commands and its self-tests; the runtime wires the rest.
// A role sees HAL interfaces and its slice of the link, never a concrete driver.
import type { TSchema, Static } from '@sinclair/typebox';
import type { Hal, HalParts, SelfTestResult } from '../../drivers/hal/types.js';
import type { Store, Statement, OutboxEvent } from '../store/store.js';
import type { Timers } from '../../drivers/clock/timers.js';
import type {
  CommandData,
  CommandName,
  EventData,
  EventName,
  RequestData,
  RequestName,
  RequestResult,
  WireContract,
} from '../../protocol/contract.js';
import type { CommandContext, CommandSpec } from '../link/command-types.js';
import type { TrustedClock } from '../link/trusted-clock.js';
import type { Logger } from '../log.js';
import type { UpdateService } from '../update/update-api.js';

/**
 * The link as one role sees it: its own events, state and requests, each name and `data`
 * checked at compile time against the role's contract in protocol/.
 */
export interface RoleLink<K extends WireContract = WireContract> {
  readonly connected: boolean;
  emit<N extends EventName<K>>(name: N, data: EventData<K, N>, options?: { durable?: boolean; statements?: Statement[] }): Promise<OutboxEvent>;
  setState(data: Record<string, unknown>): void;
  /**
   * Asks the server. The answer is checked against the contract's `result` schema: a
   * DeviceError with code TIMEOUT or OFFLINE when none came, BAD_RESPONSE when it does not
   * fit, else the server's own error code.
   */
  request<N extends RequestName<K>>(name: N, data: RequestData<K, N>, timeoutMs: number): Promise<RequestResult<K, N>>;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

/** A command handler's context whose `emit` is checked against the role's contract. */
export type RoleCommandContext<K extends WireContract> = Omit<CommandContext, 'emit'> & {
  emit<N extends EventName<K>>(name: N, data: EventData<K, N>, options?: { durable?: boolean }): void;
};

/** What a role writes for one of its contract's commands (the schema comes from the contract). */
export type RoleCommandSpec<K extends WireContract, N extends CommandName<K>> = Omit<CommandSpec<K['commands'][N]>, 'schema' | 'run'> & {
  run(data: CommandData<K, N>, cmd: RoleCommandContext<K>): Promise<Record<string, unknown> | void>;
};

/** One handler per command of the contract: a missing or an extra one is a compile error. */
export type RoleCommands<K extends WireContract> = { [N in CommandName<K>]: CommandSpec<K['commands'][N]> };

/** Builds a role's `commands` from its contract: each handler gets its schema and typed data. */
export function roleCommands<K extends WireContract>(contract: K, specs: { [N in CommandName<K>]: RoleCommandSpec<K, N> }): RoleCommands<K> {
  const commands: Record<string, CommandSpec> = {};
  for (const name of Object.keys(contract.commands) as CommandName<K>[]) {
    const spec: RoleCommandSpec<K, typeof name> = specs[name];
    commands[name] = {
      ...spec,
      // A command the contract marks secure is secure here too: a role cannot forget it.
      secure: spec.secure === true || contract.secure.includes(name),
      schema: contract.commands[name] as K['commands'][typeof name],
      // The dispatcher's context emits any name; the contract narrows what this role may pass.
      run: (data, cmd) => spec.run(data as CommandData<K, typeof name>, cmd as unknown as RoleCommandContext<K>),
    };
  }
  return commands as RoleCommands<K>;
}

/** What the runtime offers the `sys` role (and technicians' tools). */
export interface RuntimeServices {
  /** Runs every self-test, plus the manual ones named in `include` ("ticket-printer/test-print"). */
  diagnose(include?: readonly string[]): Promise<DiagnosticReport>;
  identify(durationMs: number): Promise<{ via: string[] }>;
  restart(reason: string): void;
  describe(): Record<string, unknown>;
  /** sys/update and its chunks (firmware/update). */
  readonly update: UpdateService;
}

export interface DiagnosticReport {
  ok: boolean;
  ts: number;
  results: SelfTestResult[];
  link: Record<string, unknown>;
}

export interface RoleContext<K extends WireContract = WireContract> {
  readonly hall: string;
  readonly device: string;
  /**
   * The hall's IANA time zone (device config `timeZone`): the one source of local time for
   * everything a person sees (page clocks, tickets, panels, the brightness schedule), whatever
   * the board's system time zone. Format with hall-time.ts.
   */
  readonly timeZone: string;
  readonly hal: Hal;
  readonly link: RoleLink<K>;
  /** The broker URL is TLS (mqtts:// or wss://): what a role may send that must not cross the hall's network in clear. */
  readonly linkEncrypted: boolean;
  readonly store: Store;
  readonly clock: TrustedClock;
  /** The runtime's timers: a role never calls the global setTimeout/setInterval (tests drive these). */
  readonly timers: Timers;
  readonly log: Logger;
  readonly runtime: RuntimeServices;
  /** This boot's token of the board's own screen: a page server given it keeps a stream pool for that browser. */
  readonly screenToken: string;
}

/** What a manual self-test gets: a way to ask the technician for something, and when to give up. */
export interface ManualTestContext {
  /** One line for the person at the device ("press 非常满意"); shown by `halld diag --interactive`, logged otherwise. */
  prompt(text: string): void;
  /** Aborted when the technician gives up or the caller's deadline passes. */
  readonly signal: AbortSignal;
}

export interface RoleInstance<C = unknown, K extends WireContract = WireContract> {
  /** Build with roleCommands(contract, {...}). */
  commands: RoleCommands<K>;
  selfTests?: Record<string, () => Promise<SelfTestResult>>;
  /**
   * Self-tests that use something up (a test print costs paper) or need a person (press each
   * button, watch a door open): run only when `sys/diag` or `halld diag --interactive` names
   * them. They tell the technician what to do through `ctx.prompt` and stop when `ctx.signal` aborts.
   */
  manualSelfTests?: Record<string, (ctx: ManualTestContext) => Promise<SelfTestResult>>;
  /**
   * What the role is doing that a restart would break ("printing a ticket", "a door is
   * opening"), or undefined when it may restart now: an update waits while any role is busy.
   */
  busy?(): string | undefined;
  /** Reasons the new section cannot be applied (empty: it can). Called before anything changes. */
  checkConfig?(config: C): Promise<string[]>;
  /** Applies a section that passed checkConfig. */
  reconfigure?(config: C): Promise<void>;
  stop(): Promise<void>;
}

/** Where one of a role's pages listens; `pointer` is the page's object in the role's section. */
export interface PageListen {
  pointer: string;
  /** "the kiosk page", for the message that names both pages on one port. */
  what: string;
  enabled: boolean;
  host: string;
  port: number;
}

/** Names of the board's configured parts, by kind: what Hal.describe() returns. */
export type PartNames = HalParts;

export interface RoleModule<S extends TSchema = TSchema, K extends WireContract = WireContract> {
  role: K['role'];
  /** The role's wire contract (protocol/<role>.ts): names and schemas of its events, commands and requests. */
  contract: K;
  configSchema: S;
  /**
   * Problems the schema cannot see (a button on an input that does not exist, prefixes used
   * twice), each "/json/pointer: what is wrong". Used by `halld config check`, at start and
   * before a pushed config is applied.
   */
  sectionProblems?(section: Static<S>, parts: PartNames): string[];
  /** The web pages the section serves (two on one port cannot both listen: `config check` refuses that). */
  pages?(section: Static<S>): PageListen[];
  /** This role's own tables, applied in order once each. */
  migrations?: string[];
  start(ctx: RoleContext<K>, config: Static<S>): Promise<RoleInstance<Static<S>, K>>;
}

export function defineRole<S extends TSchema, K extends WireContract>(module: RoleModule<S, K>): RoleModule<S, K> {
  return module;
}
