// The device side of docs/protocol.md: birth / will / clean stop on `status` (re-announced with
// every retained state on each reconnect, since a restarted broker may have lost them),
// commands through the dispatcher, events through the outbox, requests with responses,
// the retained desired config, and the hall's time beacon.
//
// What it believes (docs/protocol.md "What the device trusts"; the broker ACL is the first line,
// this is the second, and holds on an open broker): retained copies of cmd, res, evt-ack and
// time are stale by definition and ignored; a res only answers a request still waiting, once;
// an evt-ack above what was published is refused (OutboxPublisher); a config must be newer
// than the applied one; with the server's key, configs and beacons must be signed for the
// topic they arrive on. docs/trust.md says what the broker must do on top.
import type { KeyObject } from 'node:crypto';
import { topics, parseTopic, type DeviceAddress, type Role } from '../../protocol/topics.js';
import { ConfigMessage, EventAckMessage, ResponseMessage, TimeBeacon } from '../../protocol/messages.js';
import type { EventMessage, StatusOffline, StatusOnline } from '../../protocol/messages.js';
import { verifyForTopic, type SecureTimeLimits } from '../../protocol/signing.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../../protocol/validate.js';
import type { JournalLimits } from './command-journal.js';
import type { StoreHealth } from '../store/storage-fault.js';
import { newId } from '../../protocol/ids.js';
import type { Timers } from '../../drivers/clock/timers.js';
import type { Store, Statement, OutboxEvent } from '../store/store.js';
import { MqttConnection, type BrokerOptions, type ConnectionFailure, type ConnectionHandlers, type LinkConnection } from './mqtt-connection.js';
import { OutboxPublisher, type PublisherOptions } from './outbox-publisher.js';
import { CommandDispatcher } from './command-dispatcher.js';
import type { CommandSpec } from './command-types.js';
import type { TrustedClock } from './trusted-clock.js';
import { DeviceError } from './device-error.js';
import { readMessage } from './read-message.js';
import { ConfigGate } from './config-gate.js';
import { PendingRequests } from './pending-requests.js';
import type { Logger } from '../log.js';

export type ConfigVerdict = { ok: true } | { ok: false; reasons: string[] };

export interface DeviceLinkOptions {
  address: DeviceAddress;
  fw: string;
  board: string;
  roles: Role[];
  broker: BrokerOptions;
  store: Store;
  clock: TrustedClock;
  timers: Timers;
  publisher: PublisherOptions;
  serverPublicKey: KeyObject | undefined;
  extraSecure: ReadonlySet<string>;
  /** Bounds on signed commands (config `security`). */
  security: SecureTimeLimits;
  log: Logger;
  configRev: () => number;
  /** Applies a desired config atomically, or refuses it with reasons. */
  applyConfig: (rev: number, data: Record<string, unknown>) => Promise<ConfigVerdict>;
  /** Makes the connection; an MqttConnection to `broker` unless a test hands in its own. */
  connect?: (handlers: ConnectionHandlers) => LinkConnection;
  /** docs/protocol.md "Limits" for every payload the link reads; defaults 256 KiB and depth 64. */
  inputLimits?: InputLimits;
  journalLimits?: JournalLimits;
}

/** Server messages that are never retained on purpose: a retained copy is a stale or planted one. */
const NEVER_RETAINED = new Set(['command', 'hall-command', 'response', 'event-ack', 'time']);

export class DeviceLink {
  readonly dispatcher: CommandDispatcher;
  private readonly connection: LinkConnection;
  private readonly publisher: OutboxPublisher;
  private readonly states = new Map<Role, { ts: number; data: Record<string, unknown> }>();
  private readonly pending: PendingRequests;
  private readonly connectListeners = new Set<(connected: boolean) => void>();
  private conn = 0;
  private recoveredAcks: string[] = [];
  private readonly root: DeviceAddress;
  private configQueue: Promise<void> = Promise.resolve();
  private readonly configGate: ConfigGate;
  private readonly counters = { retainedIgnored: 0, unexpectedResponses: 0 };

  constructor(private readonly options: DeviceLinkOptions) {
    this.root = options.address;
    this.configGate = new ConfigGate(options.store, options.serverPublicKey);
    this.pending = new PendingRequests(options.timers);
    const log = (msg: string, extra?: Record<string, unknown>) => options.log.warn(extra ?? {}, msg);
    this.dispatcher = new CommandDispatcher({
      store: options.store,
      clock: options.clock,
      timers: options.timers,
      publishAck: (json) => this.publishQuiet(topics.ack(this.root), json),
      protocolError: (data) => void this.emit('sys', 'protocol.error', data, { durable: false }).catch(() => undefined),
      serverPublicKey: options.serverPublicKey,
      extraSecure: options.extraSecure,
      security: options.security,
      ...(options.inputLimits ? { limits: options.inputLimits } : {}),
      ...(options.journalLimits ? { journal: options.journalLimits } : {}),
      logger: options.log.child({ mod: 'cmd' }),
    });
    // A full or read-only disk (and its end) shows in the retained status at once.
    options.store.onHealthChange(() => this.republishBirth());
    this.publisher = new OutboxPublisher(options.store, (event, prev, replay) => this.publishEvent(event, prev, replay), options.publisher, log, options.timers);
    const handlers: ConnectionHandlers = {
      willFor: (attempt) => ({ topic: topics.status(this.root), payload: JSON.stringify(this.offlineStatus(attempt, 'connection lost')) }),
      onConnect: (attempt) => this.onConnect(attempt),
      onDisconnect: (reason) => this.onDisconnect(reason),
      onMessage: (topic, payload, retained) => this.onMessage(topic, payload, retained),
      subscriptions: () => this.subscriptions(),
    };
    this.connection = options.connect ? options.connect(handlers) : new MqttConnection(options.address.device, options.broker, handlers, log, options.timers, () => options.clock.bestGuess());
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** Why the last connection attempt failed and when (kept after a reconnect); undefined: none this run. */
  get lastConnectionError(): ConnectionFailure | undefined {
    return this.connection.lastError;
  }

  /** Connection number within this boot (what the last birth carried). */
  get connectionCount(): number {
    return this.conn;
  }

  async start(): Promise<void> {
    this.recoveredAcks = await this.dispatcher.recoverUnfinished();
    await this.configGate.load();
    this.connection.start();
  }

  registerCommand(role: Role, name: string, spec: CommandSpec): void {
    this.dispatcher.register(role, name, spec);
  }

  /** Durable before visible: the event is in SQLite (with `statements`) before anyone can see it. */
  emit(role: Role, name: string, data: Record<string, unknown>, options: { durable?: boolean; statements?: Statement[] } = {}): Promise<OutboxEvent> {
    return this.options.store
      .commit(options.statements ?? [], [{ role, name, data, durable: options.durable ?? true }])
      .then((events) => events[0] as OutboxEvent);
  }

  /** Publishes the role's retained state now (if connected) and on every reconnect. */
  setState(role: Role, data: Record<string, unknown>): void {
    const entry = { ts: this.options.clock.bestGuess(), data };
    this.states.set(role, entry);
    if (this.connected) this.publishQuiet(topics.state(this.root, role), JSON.stringify({ v: 1, ...entry }), true);
  }

  /** Asks the server; rejects with code OFFLINE at once when not connected, TIMEOUT after `timeoutMs`. */
  request(name: string, data: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    if (!this.connected) return Promise.reject(new DeviceError('OFFLINE', 'not connected to the broker'));
    const id = newId('r');
    const answered = this.pending.wait(id, name, timeoutMs);
    const payload = JSON.stringify({ v: 1, id, ts: this.options.clock.bestGuess(), data });
    void this.connection.publish(topics.request(this.root, name), payload).catch((err: unknown) => {
      this.pending.fail(id, new DeviceError('OFFLINE', `request not sent: ${(err as Error).message}`, undefined, { cause: err }));
    });
    return answered;
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Re-publishes the birth, e.g. after the config revision changed. */
  republishBirth(): void {
    if (this.connected) this.publishQuiet(topics.status(this.root), JSON.stringify(this.onlineStatus()), true);
  }

  /**
   * Publishes the birth again and resolves on the broker's PUBACK: `halld diag`'s broker
   * round trip. Retained and the same content as the last birth, so the server sees no change.
   */
  async confirmBirth(): Promise<void> {
    if (!this.connected) throw new DeviceError('OFFLINE', 'not connected to the broker');
    await this.connection.publish(topics.status(this.root), JSON.stringify(this.onlineStatus()), { retain: true });
  }

  /** The retained state each role last set (what `halld status` shows per role). */
  roleStates(): Map<Role, { ts: number; data: Record<string, unknown> }> {
    return new Map(this.states);
  }

  stats(): Record<string, unknown> {
    return {
      connected: this.connected,
      conn: this.conn,
      outbox: this.options.store.outboxStats(),
      publisher: this.publisher.stats(),
      commands: this.dispatcher.stats(),
      pendingRequests: this.pending.size,
      ...this.counters,
      clock: this.options.clock.describe(),
    };
  }

  async stop(reason = 'stopped'): Promise<void> {
    this.publisher.stop();
    await this.dispatcher.stop();
    this.pending.failAll(new DeviceError('OFFLINE', 'device stopping'));
    const offline: StatusOffline = { ...this.offlineStatus(this.conn || 1, reason), ts: this.options.clock.bestGuess() };
    await this.connection.stop({ topic: topics.status(this.root), payload: JSON.stringify(offline) });
  }

  /** Drops the connection without a clean stop: the broker publishes the will. */
  kill(): void {
    this.publisher.stop();
    this.connection.destroy();
  }

  private subscriptions(): string[] {
    const root = topics.status(this.root).replace(/\/status$/, '');
    const subs = [`${root}/cmd/+/+`, topics.response(this.root), topics.eventAck(this.root), topics.config(this.root), topics.time(this.root.hall)];
    for (const role of this.options.roles) subs.push(`halld/v1/${this.root.hall}/all/cmd/${role}/+`);
    return subs;
  }

  private onlineStatus(): StatusOnline {
    return {
      v: 1,
      online: true,
      boot: this.options.store.boot,
      conn: this.conn,
      fw: this.options.fw,
      roles: [...this.options.roles],
      board: this.options.board,
      configRev: this.options.configRev(),
      ts: this.options.clock.bestGuess(),
      store: storeStatus(this.options.store.health()),
    };
  }

  private offlineStatus(conn: number, reason: string): StatusOffline {
    return { v: 1, online: false, boot: this.options.store.boot, conn, reason };
  }

  private onConnect(attempt: number): void {
    this.conn = attempt;
    this.publishQuiet(topics.status(this.root), JSON.stringify(this.onlineStatus()), true);
    for (const [role, entry] of this.states) this.publishQuiet(topics.state(this.root, role), JSON.stringify({ v: 1, ...entry }), true);
    for (const ack of this.recoveredAcks) this.publishQuiet(topics.ack(this.root), ack);
    this.recoveredAcks = [];
    this.options.log.info({ conn: attempt, outbox: this.options.store.outboxStats().pending }, 'connected');
    this.publisher.onConnect();
    for (const l of this.connectListeners) l(true);
  }

  private onDisconnect(reason: string): void {
    this.publisher.onDisconnect();
    this.pending.failAll(new DeviceError('OFFLINE', `connection lost before the answer: ${reason}`));
    this.options.log.warn({ reason }, 'disconnected');
    for (const l of this.connectListeners) l(false);
  }

  private onMessage(topic: string, payload: Buffer, retained: boolean): void {
    const t = parseTopic(topic);
    if (!t) return;
    if (retained && NEVER_RETAINED.has(t.kind)) {
      // Someone published it retained: it would fire again on every reconnect. Not a command.
      this.counters.retainedIgnored += 1;
      if (payload.length > 0) this.options.log.warn({ topic }, 'retained copy ignored');
      return;
    }
    switch (t.kind) {
      case 'command':
        if (t.device === this.root.device) void this.dispatcher.handle({ role: t.role, name: t.name, hallWide: false, topic }, payload);
        return;
      case 'hall-command':
        void this.dispatcher.handle({ role: t.role, name: t.name, hallWide: true, topic }, payload);
        return;
      case 'response':
        this.onResponse(payload);
        return;
      case 'event-ack':
        this.onEventAck(payload);
        return;
      case 'config':
        // One failing config must not wedge the queue for every later one.
        this.configQueue = this.configQueue.then(() => this.onConfig(topic, payload)).catch((err: unknown) => this.options.log.error({ err: (err as Error).message }, 'config handling failed'));
        return;
      case 'time':
        this.onTime(topic, payload);
        return;
      default:
        return;
    }
  }

  private onResponse(payload: Buffer): void {
    const msg = readMessage(ResponseMessage, payload, this.options.inputLimits ?? DEFAULT_INPUT_LIMITS);
    if (!msg.ok) return this.protocolError('res', msg.reasons.join('; '));
    // Late (after the timeout), a duplicate, or forged: only a waiting request takes an answer.
    if (!this.pending.answer(msg.value)) this.counters.unexpectedResponses += 1;
  }

  private onEventAck(payload: Buffer): void {
    const msg = readMessage(EventAckMessage, payload, this.options.inputLimits ?? DEFAULT_INPUT_LIMITS);
    if (!msg.ok) return this.protocolError('evt-ack', msg.reasons.join('; '));
    void this.publisher
      .onAck(msg.value.upTo)
      .then((verdict) => {
        if (verdict.ok) return;
        this.options.log.warn({ upTo: msg.value.upTo }, verdict.reason);
        this.protocolError('evt-ack', verdict.reason);
      })
      .catch((err: unknown) => this.options.log.error({ err: (err as Error).message }, 'evt-ack handling failed'));
  }

  private async onConfig(topic: string, payload: Buffer): Promise<void> {
    if (payload.length === 0) return; // retained config cleared
    const msg = readMessage(ConfigMessage, payload, this.options.inputLimits ?? DEFAULT_INPUT_LIMITS);
    if (!msg.ok) {
      await this.emit('sys', 'config.rejected', { rev: null, reasons: msg.reasons }).catch(() => undefined);
      return;
    }
    const { rev, data } = msg.value;
    const appliedRev = this.options.configRev();
    const reject = async (reasons: string[]) => {
      this.options.log.warn({ rev, appliedRev, reasons }, 'config rejected');
      await this.emit('sys', 'config.rejected', { rev, appliedRev, reasons });
    };
    const judged = this.configGate.judge(topic, msg.raw, rev, data, appliedRev);
    switch (judged.kind) {
      case 'quiet':
        return;
      case 'reject':
        return reject(judged.reasons);
      case 'apply': {
        const verdict = await this.options.applyConfig(rev, data);
        if (!verdict.ok) return reject(verdict.reasons);
        judged.commit();
        await this.emit('sys', 'config.applied', { rev }, { statements: [judged.applied] });
        this.republishBirth();
        return;
      }
    }
  }

  private onTime(topic: string, payload: Buffer): void {
    const msg = readMessage(TimeBeacon, payload, this.options.inputLimits ?? DEFAULT_INPUT_LIMITS);
    if (!msg.ok) return this.protocolError('time', `bad time beacon: ${msg.reasons.join('; ')}`);
    if (this.options.serverPublicKey) {
      const signature = verifyForTopic(msg.raw, this.options.serverPublicKey, topic);
      if (!signature.ok) return this.protocolError('time', `time beacon refused: ${signature.reason}`);
    }
    this.options.clock.beacon(msg.value.ts);
  }

  private protocolError(topic: string, reason: string): void {
    void this.emit('sys', 'protocol.error', { topic, reason }, { durable: false }).catch(() => undefined);
  }

  private publishEvent(event: OutboxEvent, prev: number, replay: boolean): Promise<void> {
    // Built by hand around the stored JSON text: no parse/stringify round trip per event.
    const head: Omit<EventMessage, 'data'> = { v: 1, id: event.id, seq: event.seq, prev, boot: event.boot, up: event.up, ts: event.ts };
    const json = `${JSON.stringify(replay ? { ...head, replay: true } : head).slice(0, -1)},"data":${event.data}}`;
    return this.connection.publish(topics.event(this.root, event.role as Role, event.name), json);
  }

  private publishQuiet(topic: string, payload: string, retain = false): void {
    this.connection.publish(topic, payload, { retain }).catch((err: unknown) => this.options.log.debug({ topic, err: (err as Error).message }, 'publish failed'));
  }
}

function storeStatus(health: StoreHealth): NonNullable<StatusOnline['store']> {
  return health.ok ? { ok: true } : { ok: false, fault: health.reason, since: health.since };
}
