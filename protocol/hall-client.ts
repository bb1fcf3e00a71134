// The central server's side of docs/protocol.md as a typed client (also used by the simulators,
// the demo and the tests): command a device and await its ack, receive events in seq order
// exactly once and acknowledge them with evt-ack (ordered-delivery.ts), follow
// device status while ignoring stale wills, answer device requests, push retained configs
// and the time beacon, and sign (docs/protocol.md "Signed messages": `to` = the exact topic) secure
// commands and, whenever it holds the key, every config and time beacon.
import type { MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import { createRequire } from 'node:module';
import type { KeyObject } from 'node:crypto';
import { topics, parseTopic, type Role, type DeviceAddress } from './topics.js';
import { Ack, EventMessage, RequestMessage, Status, StateMessage, type ErrorCode } from './messages.js';
import { parseJsonObject, validate } from './validate.js';
import { signEnvelope, toPrivateKey } from './signing.js';
import { newId } from './ids.js';
import { OrderedDelivery, type CursorStore, type DeviceEvent } from './ordered-delivery.js';
import { contractOf, requestContract, SECURE_COMMANDS, type AnyRequestData, type AnyRequestName, type AnyRequestResult, type CommandKey, type CommandKeyData, type ContractEventData, type ContractEventName, type ContractRole } from './contracts.js';

// mqtt's ESM entry is its browser-oriented bundle; the CommonJS build loads ~3x faster.
const mqtt = createRequire(import.meta.url)('mqtt') as typeof import('mqtt');

export type { CursorStore, DeviceEvent } from './ordered-delivery.js';

export interface HallClientOptions {
  url: string;
  hall: string;
  /** Stable id: with a persistent session the broker queues events while the server is away. */
  clientId?: string;
  username?: string;
  password?: string;
  /** Ed25519 private key (PEM): signs secure commands, and every config and time beacon. */
  signingKey?: string | KeyObject;
  /** `role/name` of commands to sign besides those the contracts mark secure (the locker's open, deposit, revoke, disable, enable), which always are. */
  secureCommands?: string[];
  /** Where the last delivered seq per device is kept; in memory by default. */
  cursors?: CursorStore;
  /** Delay before acknowledging events, to cover several with one evt-ack. */
  ackDelayMs?: number;
  /**
   * false: neither receive nor acknowledge events (a technician's tool or a second console
   * beside the real server must not tell devices that events were stored).
   */
  events?: boolean;
  /** The server's clock for command ts/exp and time beacons (default Date.now); a hall on simulated time passes its own. */
  now?: () => number;
}

export interface DeviceStatus {
  device: string;
  status: Status;
}

export interface CommandOptions {
  /** How long to wait for the ack (default 10 s). */
  timeoutMs?: number;
  /** Expiry from now (default: timeoutMs). */
  expiresInMs?: number;
  id?: string;
  sign?: boolean;
  /** Override the envelope's time (tests of expiry). */
  ts?: number;
}

export class CommandTimeoutError extends Error {
  constructor(readonly device: string, readonly command: string, readonly id: string, ms: number) {
    super(`no ack from ${device} for ${command} (${id}) within ${ms} ms`);
    this.name = 'CommandTimeoutError';
  }
}

export type RequestHandler = (device: string, data: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

export class RequestFailure extends Error {
  /** Sent as error.details, e.g. `{ reason: 'exhausted' }`. */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class HallClient {
  private client: MqttClient | undefined;
  private readonly pending = new Map<string, { resolve: (a: Ack) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly eventHandlers = new Set<(e: DeviceEvent) => void | Promise<void>>();
  private readonly statusHandlers = new Set<(s: DeviceStatus) => void>();
  private readonly stateHandlers = new Set<(device: string, role: Role, state: StateMessage) => void>();
  private readonly ackHandlers = new Set<(device: string, ack: Ack) => void>();
  private readonly requestHandlers = new Map<string, RequestHandler>();
  private readonly statuses = new Map<string, Status>();
  private readonly events: OrderedDelivery;
  private readonly signingKey: KeyObject | undefined;
  private readonly secure: Set<string>;
  private readonly now: () => number;
  private readonly counters = { events: 0, duplicates: 0, buffered: 0, staleStatus: 0, badMessages: 0, invalidEvents: 0 };

  constructor(private readonly options: HallClientOptions) {
    this.events = new OrderedDelivery({
      ...(options.cursors ? { cursors: options.cursors } : {}),
      ...(options.ackDelayMs !== undefined ? { ackDelayMs: options.ackDelayMs } : {}),
      counters: this.counters,
      deliver: async (e) => {
        for (const h of this.eventHandlers) {
          try {
            await h(e);
          } catch {
            // A failing handler must not stall the stream; the event counts as stored.
          }
        }
      },
      sendAck: (device, upTo) => void this.client?.publish(topics.eventAck(this.address(device)), JSON.stringify({ v: 1, upTo }), { qos: 1 }),
    });
    this.signingKey = options.signingKey ? toPrivateKey(options.signingKey) : undefined;
    this.secure = new Set([...SECURE_COMMANDS, ...(options.secureCommands ?? [])]);
    this.now = options.now ?? Date.now;
  }

  async connect(): Promise<void> {
    // Handlers go on before CONNECT: a persistent session delivers queued messages right
    // after CONNACK, before connectAsync() would have returned.
    const client = mqtt.connect(this.options.url, {
      clientId: this.options.clientId ?? `hall-server-${this.options.hall}-${newId()}`,
      clean: this.options.clientId === undefined,
      protocolVersion: 4,
      reconnectPeriod: 500,
      ...(this.options.username !== undefined ? { username: this.options.username } : {}),
      ...(this.options.password !== undefined ? { password: this.options.password } : {}),
    });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('connect', () => {
      (client.stream as unknown as Partial<Socket>).setNoDelay?.(true);
      const base = `halld/v1/${this.options.hall}/+`;
      const subs = [`${base}/status`, `${base}/ack`, `${base}/req/+`, `${base}/state/+`];
      if (this.options.events !== false) subs.push(`${base}/evt/+/+`);
      client.subscribe(subs, { qos: 1 });
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
  }

  get hall(): string {
    return this.options.hall;
  }

  address(device: string): DeviceAddress {
    return { hall: this.options.hall, device };
  }

  /**
   * Sends a command and resolves with its ack (ok or not); rejects only when no ack came in
   * time. The name and `data` are checked at compile time against the role's contract.
   */
  command<K extends CommandKey>(device: string, command: K, data: CommandKeyData<K>, options: CommandOptions = {}): Promise<Ack> {
    return this.commandUnchecked(device, command, data, options);
  }

  /** command() without the contract's compile-time check: tests of bad data and unknown commands. */
  commandUnchecked(device: string, command: `${Role}/${string}`, data: Record<string, unknown>, options: CommandOptions = {}): Promise<Ack> {
    const [role, name] = splitCommand(command);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const id = options.id ?? newId('c');
    const topic = topics.command(this.address(device), role, name);
    const payload = this.buildCommand(command, topic, data, id, options, timeoutMs);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(`${device}:${id}`);
        reject(new CommandTimeoutError(device, command, id, timeoutMs));
      }, timeoutMs);
      this.pending.set(`${device}:${id}`, { resolve, reject, timer });
      this.mqtt().publish(topic, payload, { qos: 1 }, (err) => {
        if (err) {
          clearTimeout(timer);
          this.pending.delete(`${device}:${id}`);
          reject(err);
        }
      });
    });
  }

  /** Sends raw bytes to a device's command topic (tests of malformed input). */
  async publishRawCommand(device: string, command: `${Role}/${string}`, payload: string | Buffer): Promise<void> {
    const [role, name] = splitCommand(command);
    await this.mqtt().publishAsync(topics.command(this.address(device), role, name), payload, { qos: 1 });
  }

  /** Sends a command to every device of the hall with that role; acks arrive through onAck. */
  async hallCommand<K extends CommandKey>(command: K, data: CommandKeyData<K>, options: CommandOptions = {}): Promise<string> {
    const [role, name] = splitCommand(command);
    const id = options.id ?? newId('c');
    const topic = topics.hallCommand(this.options.hall, role, name);
    await this.mqtt().publishAsync(topic, this.buildCommand(command, topic, data, id, options, options.timeoutMs ?? 10_000), { qos: 1 });
    return id;
  }

  private buildCommand(command: string, topic: string, data: Record<string, unknown>, id: string, options: CommandOptions, timeoutMs: number): string {
    const ts = options.ts ?? this.now();
    const envelope: Record<string, unknown> = { v: 1, id, ts, exp: ts + (options.expiresInMs ?? timeoutMs), data };
    const sign = options.sign ?? this.secure.has(command);
    if (sign) {
      if (!this.signingKey) throw new Error(`${command} must be signed but the HallClient has no signingKey`);
      return this.signedFor(topic, envelope);
    }
    return JSON.stringify(envelope);
  }

  /** Binds the message to `topic` and signs it: a device refuses it on any other topic. */
  private signedFor(topic: string, message: Record<string, unknown>): string {
    if (!this.signingKey) return JSON.stringify(message);
    return JSON.stringify(signEnvelope({ ...message, to: topic }, this.signingKey));
  }

  onEvent(handler: (e: DeviceEvent) => void | Promise<void>): () => void {
    this.eventHandlers.add(handler);
    return () => this.eventHandlers.delete(handler);
  }

  /**
   * One event of one role, its `data` typed by the role's contract and checked against its
   * schema; an event that does not fit is counted in stats().invalidEvents and not handed on.
   */
  onEventOf<R extends ContractRole, N extends ContractEventName<R>>(role: R, name: N, handler: (data: ContractEventData<R, N>, e: DeviceEvent) => void | Promise<void>): () => void {
    const schema = contractOf(role)?.events[name];
    if (!schema) throw new TypeError(`role ${role} has no event ${name} in its contract`);
    return this.onEvent((e) => {
      if (e.role !== role || e.name !== name) return;
      const check = validate(schema, e.message.data);
      if (!check.ok) {
        this.counters.invalidEvents += 1;
        return;
      }
      return handler(check.value as ContractEventData<R, N>, e);
    });
  }

  onStatus(handler: (s: DeviceStatus) => void): () => void {
    this.statusHandlers.add(handler);
    return () => this.statusHandlers.delete(handler);
  }

  onState(handler: (device: string, role: Role, state: StateMessage) => void): () => void {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  onAck(handler: (device: string, ack: Ack) => void): () => void {
    this.ackHandlers.add(handler);
    return () => this.ackHandlers.delete(handler);
  }

  /**
   * Answers `req/{name}` from devices; a throw becomes an error response (RequestFailure keeps
   * its code). The request's `data` is checked against its contract schema first: what does
   * not fit is answered BAD_REQUEST without calling the handler.
   */
  onRequest<N extends AnyRequestName>(name: N, handler: (device: string, data: AnyRequestData<N>) => Promise<AnyRequestResult<N>> | AnyRequestResult<N>): void {
    const schema = requestContract(name)?.requests[name]?.data;
    if (!schema) throw new TypeError(`no contract declares request ${name}`);
    this.requestHandlers.set(name, async (device, data) => {
      const check = validate(schema, data);
      if (!check.ok) throw new RequestFailure('BAD_REQUEST', `${name}: ${check.errors.join('; ')}`);
      // A result schema is an object (the `res` envelope's data); the contract typed it.
      return (await handler(device, check.value as AnyRequestData<N>)) as Record<string, unknown>;
    });
  }

  /** The newest status seen for a device (stale wills never replace a newer birth). */
  status(device: string): Status | undefined {
    return this.statuses.get(device);
  }

  lastSeq(device: string): number | undefined {
    return this.events.lastSeq(device);
  }

  stats(): Record<string, number> {
    return { ...this.counters };
  }

  /** Retained desired config; signed (with `to`) when this client has the key. */
  async publishConfig(device: string, rev: number, data: Record<string, unknown>): Promise<void> {
    const topic = topics.config(this.address(device));
    await this.mqtt().publishAsync(topic, this.signedFor(topic, { v: 1, rev, data }), { qos: 1, retain: true });
  }

  /** The hall's time beacon (never retained: a stored beacon is a stale time); signed when this client has the key. */
  async publishTime(ts = this.now()): Promise<void> {
    const topic = topics.time(this.options.hall);
    await this.mqtt().publishAsync(topic, this.signedFor(topic, { v: 1, ts }), { qos: 1 });
  }

  async close(): Promise<void> {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('HallClient closed'));
    }
    this.pending.clear();
    this.events.close();
    await this.client?.endAsync();
    this.client = undefined;
  }

  private mqtt(): MqttClient {
    if (!this.client) throw new Error('HallClient is not connected');
    return this.client;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const t = parseTopic(topic);
    if (!t || t.hall !== this.options.hall) return;
    if (payload.length === 0) return; // a cleared retained message
    const parsed = parseJsonObject(payload);
    if (!parsed.ok) {
      this.counters.badMessages += 1;
      return;
    }
    switch (t.kind) {
      case 'status': {
        const s = validate(Status, parsed.value);
        if (s.ok) this.onStatusMessage(t.device, s.value);
        else this.counters.badMessages += 1;
        return;
      }
      case 'event': {
        const e = validate(EventMessage, parsed.value);
        if (e.ok) this.events.receive({ device: t.device, role: t.role, name: t.name, message: e.value });
        else this.counters.badMessages += 1;
        return;
      }
      case 'ack': {
        const a = validate(Ack, parsed.value);
        if (!a.ok) {
          this.counters.badMessages += 1;
          return;
        }
        for (const h of this.ackHandlers) h(t.device, a.value);
        const key = `${t.device}:${a.value.id}`;
        const p = this.pending.get(key);
        if (p) {
          this.pending.delete(key);
          clearTimeout(p.timer);
          p.resolve(a.value);
        }
        return;
      }
      case 'request': {
        const r = validate(RequestMessage, parsed.value);
        if (r.ok) void this.answer(t.device, t.name, r.value.id, r.value.data);
        else this.counters.badMessages += 1;
        return;
      }
      case 'state': {
        const s = validate(StateMessage, parsed.value);
        if (s.ok) for (const h of this.stateHandlers) h(t.device, t.role, s.value);
        return;
      }
      default:
        return;
    }
  }

  private onStatusMessage(device: string, status: Status): void {
    const known = this.statuses.get(device);
    if (known) {
      const older = status.boot < known.boot || (status.boot === known.boot && status.conn < known.conn);
      // Same connection: a refreshed birth (new configRev) replaces a birth, but nothing
      // brings a connection back once its own will has been seen.
      const revived = status.boot === known.boot && status.conn === known.conn && status.online && !known.online;
      if (older || revived) {
        this.counters.staleStatus += 1;
        return;
      }
    }
    this.statuses.set(device, status);
    for (const h of this.statusHandlers) h({ device, status });
  }

  private async answer(device: string, name: string, id: string, data: Record<string, unknown>): Promise<void> {
    const handler = this.requestHandlers.get(name);
    let body: Record<string, unknown>;
    if (!handler) body = { v: 1, id, ok: false, error: { code: 'UNKNOWN_COMMAND', message: `the server does not answer ${name}` } };
    else {
      try {
        body = { v: 1, id, ok: true, data: await handler(device, data) };
      } catch (err) {
        const code = err instanceof RequestFailure ? err.code : 'INTERNAL';
        const details = err instanceof RequestFailure && err.details ? { details: err.details } : {};
        body = { v: 1, id, ok: false, error: { code, message: (err as Error).message, ...details } };
      }
    }
    this.client?.publish(topics.response(this.address(device)), JSON.stringify(body), { qos: 1 });
  }
}

function splitCommand(command: string): [Role, string] {
  const i = command.indexOf('/');
  return [command.slice(0, i) as Role, command.slice(i + 1)];
}
