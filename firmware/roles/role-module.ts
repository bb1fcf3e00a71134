// The contract between the runtime and a role (ESPHome-style manifest): a role declares its
// config schema, its tables, its commands and its self-tests; the runtime wires the rest.
// A role sees HAL interfaces and its slice of the link, never a concrete driver.
import type { TSchema, Static } from '@sinclair/typebox';
import type { Hal, SelfTestResult } from '../../drivers/hal/types.js';
import type { Role } from '../../protocol/topics.js';
import type { Store, Statement, OutboxEvent } from '../store/store.js';
import type { CommandSpec } from '../link/command-types.js';
import type { TrustedClock } from '../link/trusted-clock.js';
import type { Logger } from '../log.js';

/** The link as one role sees it: its own events, state and requests. */
export interface RoleLink {
  readonly connected: boolean;
  emit(name: string, data: Record<string, unknown>, options?: { durable?: boolean; statements?: Statement[] }): Promise<OutboxEvent>;
  setState(data: Record<string, unknown>): void;
  request(name: string, data: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>>;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

/** What the runtime offers the `sys` role (and technicians' tools). */
export interface RuntimeServices {
  /** Runs every self-test, plus the manual ones named in `include` ("ticket-printer/test-print"). */
  diagnose(include?: readonly string[]): Promise<DiagnosticReport>;
  identify(durationMs: number): Promise<{ via: string[] }>;
  restart(reason: string): void;
  describe(): Record<string, unknown>;
}

export interface DiagnosticReport {
  ok: boolean;
  ts: number;
  results: SelfTestResult[];
  link: Record<string, unknown>;
}

export interface RoleContext {
  readonly hall: string;
  readonly device: string;
  readonly hal: Hal;
  readonly link: RoleLink;
  readonly store: Store;
  readonly clock: TrustedClock;
  readonly log: Logger;
  readonly runtime: RuntimeServices;
}

export interface RoleInstance<C = unknown> {
  commands: Record<string, CommandSpec>;
  selfTests?: Record<string, () => Promise<SelfTestResult>>;
  /** Self-tests that use something up (a test print costs paper): run only when `sys/diag` names them in `include`. */
  manualSelfTests?: Record<string, () => Promise<SelfTestResult>>;
  /** Reasons the new section cannot be applied (empty: it can). Called before anything changes. */
  checkConfig?(config: C): Promise<string[]>;
  /** Applies a section that passed checkConfig. */
  reconfigure?(config: C): Promise<void>;
  stop(): Promise<void>;
}

/** Names of the board's configured parts, by kind (what Hal.describe() returns). */
export interface PartNames {
  inputs: string[];
  outputs: string[];
  serial: string[];
  i2c: string[];
  printers: string[];
  scanners: string[];
}

export interface RoleModule<S extends TSchema = TSchema> {
  role: Role;
  configSchema: S;
  /**
   * Problems the schema cannot see (a button on an input that does not exist, prefixes used
   * twice), each "/json/pointer: what is wrong". Used by `halld config check`, at start and
   * before a pushed config is applied.
   */
  sectionProblems?(section: Static<S>, parts: PartNames): string[];
  /** This role's own tables, applied in order once each. */
  migrations?: string[];
  start(ctx: RoleContext, config: Static<S>): Promise<RoleInstance<Static<S>>>;
}

export function defineRole<S extends TSchema>(module: RoleModule<S>): RoleModule<S> {
  return module;
}
