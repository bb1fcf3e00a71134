// The device side of PROTOCOL.md: birth / will / clean stop on `status` (re-announced with
// every retained state on each reconnect, since a restarted broker may have lost them),
// commands through the dispatcher, events through the outbox, requests with responses,
// the retained desired config, and the hall's time beacon.
import type { KeyObject } from 'node:crypto';
import { topics, parseTopic, type DeviceAddress, type Role } from '../../protocol/topics.js';
import { ConfigMessage, EventAckMessage, ResponseMessage, TimeBeacon } from '../../protocol/messages.js';
import type { EventMessage, StatusOffline, StatusOnline } from '../../protocol/messages.js';
import { parseJsonObject, validate } from '../../protocol/validate.js';
import { newId } from '../../protocol/ids.js';
import type { Store, Statement, OutboxEvent } from '../store/store.js';
import { MqttConnection, type BrokerOptions } from './mqtt-connection.js';
import { OutboxPublisher, type PublisherOptions } from './outbox-publisher.js';
import { CommandDispatcher } from './command-dispatcher.js';
import type { CommandSpec } from './command-types.js';
import type { TrustedClock } from './trusted-clock.js';
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
  publisher: PublisherOptions;
  serverPublicKey: KeyObject | undefined;
  extraSecure: ReadonlySet<string>;
  log: Logger;
  configRev: () => number;
  /** Applies a desired config atomically, or refuses it with reasons. */
  applyConfig: (rev: number, data: Record<string, unknown>) => Promise<ConfigVerdict>;
}

export class RequestError extends Error {
  readonly code: string;
  /** The server's error.details, e.g. `{ reason: 'exhausted' }` for a refused ticket. */
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
    this.details = details;
  }
}

interface PendingRequest {
  resolve: (data: Record<string, unknown>) => void;
  reject: (err: RequestError) => void;
  timer: NodeJS.Timeout;
}

export class DeviceLink {
  readonly dispatcher: CommandDispatcher;
  private readonly connection: MqttConnection;
  private readonly publisher: OutboxPublisher;
  private readonly states = new Map<Role, { ts: number; data: Record<string, unknown> }>();
  private readonly pending = new Map<string, PendingRequest>();
  private readonly connectListeners = new Set<(connected: boolean) => void>();
  private conn = 0;
  private recoveredAcks: string[] = [];
  private readonly root: DeviceAddress;
  private configQueue: Promise<void> = Promise.resolve();
  private lastConfigSeen = 0;

  constructor(private readonly o: DeviceLinkOptions) {
    this.root = o.address;
    const log = (msg: string, extra?: Record<string, unknown>) => o.log.warn(extra ?? {}, msg);
    this.dispatcher = new CommandDispatcher({
      store: o.store,
      clock: o.clock,
      publishAck: (json) => this.publishQuiet(topics.ack(this.root), json),
      protocolError: (data) => void this.emit('sys', 'protocol.error', data, { durable: false }).catch(() => undefined),
      serverPublicKey: o.serverPublicKey,
      extraSecure: o.extraSecure,
      log,
      logger: o.log.child({ mod: 'cmd' }),
    });
    this.publisher = new OutboxPublisher(o.store, (event, prev, replay) => this.publishEvent(event, prev, replay), o.publisher, log);
    this.connection = new MqttConnection(
      o.address.device,
      o.broker,
      {
        willFor: (attempt) => ({ topic: topics.status(this.root), payload: JSON.stringify(this.offlineStatus(attempt, 'connection lost')) }),
        onConnect: (attempt) => this.onConnect(attempt),
        onDisconnect: (reason) => this.onDisconnect(reason),
        onMessage: (topic, payload) => this.onMessage(topic, payload),
        subscriptions: () => this.subscriptions(),
      },
      log,
    );
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** Connection number within this boot (what the last birth carried). */
  get connectionCount(): number {
    return this.conn;
  }

  async start(): Promise<void> {
    this.recoveredAcks = await this.dispatcher.recoverUnfinished();
    this.connection.start();
  }

  registerCommand(role: Role, name: string, spec: CommandSpec): void {
    this.dispatcher.register(role, name, spec);
  }

  /** Durable before visible: the event is in SQLite (with `statements`) before anyone can see it. */
  emit(role: Role, name: string, data: Record<string, unknown>, options: { durable?: boolean; statements?: Statement[] } = {}): Promise<OutboxEvent> {
    return this.o.store
      .commit(options.statements ?? [], [{ role, name, data, durable: options.durable ?? true }])
      .then((events) => events[0] as OutboxEvent);
  }

  /** Publishes the role's retained state now (if connected) and on every reconnect. */
  setState(role: Role, data: Record<string, unknown>): void {
    const entry = { ts: this.o.clock.bestGuess(), data };
    this.states.set(role, entry);
    if (this.connected) this.publishQuiet(topics.state(this.root, role), JSON.stringify({ v: 1, ...entry }), true);
  }

  /** Asks the server; rejects with code OFFLINE at once when not connected, TIMEOUT after `timeoutMs`. */
  request(name: string, data: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    if (!this.connected) return Promise.reject(new RequestError('OFFLINE', 'not connected to the broker'));
    const id = newId('r');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError('TIMEOUT', `no answer to ${name} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      const payload = JSON.stringify({ v: 1, id, ts: this.o.clock.bestGuess(), data });
      this.connection.publish(topics.request(this.root, name), payload).catch((err: unknown) => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new RequestError('OFFLINE', `request not sent: ${(err as Error).message}`));
      });
    });
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Re-publishes the birth, e.g. after the config revision changed. */
  republishBirth(): void {
    if (this.connected) this.publishQuiet(topics.status(this.root), JSON.stringify(this.onlineStatus()), true);
  }

  stats(): Record<string, unknown> {
    return {
      connected: this.connected,
      conn: this.conn,
      outbox: this.o.store.outboxStats(),
      publisher: this.publisher.stats(),
      commands: this.dispatcher.stats(),
      pendingRequests: this.pending.size,
      clock: this.o.clock.describe(),
    };
  }

  async stop(reason = 'stopped'): Promise<void> {
    this.publisher.stop();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RequestError('OFFLINE', 'device stopping'));
      this.pending.delete(id);
    }
    const offline: StatusOffline = { ...this.offlineStatus(this.conn || 1, reason), ts: this.o.clock.bestGuess() };
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
    for (const role of this.o.roles) subs.push(`halld/v1/${this.root.hall}/all/cmd/${role}/+`);
    return subs;
  }

  private onlineStatus(): StatusOnline {
    return {
      v: 1,
      online: true,
      boot: this.o.store.boot,
      conn: this.conn,
      fw: this.o.fw,
      roles: [...this.o.roles],
      board: this.o.board,
      configRev: this.o.configRev(),
      ts: this.o.clock.bestGuess(),
    };
  }

  private offlineStatus(conn: number, reason: string): StatusOffline {
    return { v: 1, online: false, boot: this.o.store.boot, conn, reason };
  }

  private onConnect(attempt: number): void {
    this.conn = attempt;
    this.publishQuiet(topics.status(this.root), JSON.stringify(this.onlineStatus()), true);
    for (const [role, entry] of this.states) this.publishQuiet(topics.state(this.root, role), JSON.stringify({ v: 1, ...entry }), true);
    for (const ack of this.recoveredAcks) this.publishQuiet(topics.ack(this.root), ack);
    this.recoveredAcks = [];
    this.o.log.info({ conn: attempt, outbox: this.o.store.outboxStats().pending }, 'connected');
    this.publisher.onConnect();
    for (const l of this.connectListeners) l(true);
  }

  private onDisconnect(reason: string): void {
    this.publisher.onDisconnect();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RequestError('OFFLINE', `connection lost before the answer: ${reason}`));
      this.pending.delete(id);
    }
    this.o.log.warn({ reason }, 'disconnected');
    for (const l of this.connectListeners) l(false);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const t = parseTopic(topic);
    if (!t) return;
    switch (t.kind) {
      case 'command':
        if (t.device === this.root.device) void this.dispatcher.handle({ role: t.role, name: t.name, hallWide: false }, payload);
        return;
      case 'hall-command':
        void this.dispatcher.handle({ role: t.role, name: t.name, hallWide: true }, payload);
        return;
      case 'response':
        this.onResponse(payload);
        return;
      case 'event-ack':
        this.onEventAck(payload);
        return;
      case 'config':
        this.configQueue = this.configQueue.then(() => this.onConfig(payload));
        return;
      case 'time':
        this.onTime(payload);
        return;
      default:
        return;
    }
  }

  private onResponse(payload: Buffer): void {
    const parsed = parseJsonObject(payload);
    const msg = parsed.ok ? validate(ResponseMessage, parsed.value) : undefined;
    if (!msg?.ok) {
      this.protocolError('res', parsed.ok ? (msg && !msg.ok ? msg.errors.join('; ') : 'invalid') : parsed.error);
      return;
    }
    const p = this.pending.get(msg.value.id);
    if (!p) return; // answered after the timeout: the caller already moved on
    this.pending.delete(msg.value.id);
    clearTimeout(p.timer);
    if (msg.value.ok) p.resolve(msg.value.data ?? {});
    else p.reject(new RequestError(msg.value.error?.code ?? 'INTERNAL', msg.value.error?.message ?? 'server refused the request', msg.value.error?.details));
  }

  private onEventAck(payload: Buffer): void {
    const parsed = parseJsonObject(payload);
    const msg = parsed.ok ? validate(EventAckMessage, parsed.value) : undefined;
    if (!msg?.ok) {
      this.protocolError('evt-ack', parsed.ok ? (msg && !msg.ok ? msg.errors.join('; ') : 'invalid') : parsed.error);
      return;
    }
    void this.publisher.onAck(msg.value.upTo).catch((err: unknown) => this.o.log.error({ err: (err as Error).message }, 'evt-ack handling failed'));
  }

  private async onConfig(payload: Buffer): Promise<void> {
    if (payload.length === 0) return; // retained config cleared
    const parsed = parseJsonObject(payload);
    const msg = parsed.ok ? validate(ConfigMessage, parsed.value) : undefined;
    if (!msg?.ok) {
      const reasons = parsed.ok ? (msg && !msg.ok ? msg.errors : ['invalid']) : [parsed.error];
      await this.emit('sys', 'config.rejected', { rev: null, reasons }).catch(() => undefined);
      return;
    }
    const { rev, data } = msg.value;
    if (rev === this.o.configRev() || rev === this.lastConfigSeen) return; // re-delivered retained message
    this.lastConfigSeen = rev;
    const verdict = await this.o.applyConfig(rev, data);
    if (verdict.ok) {
      await this.emit('sys', 'config.applied', { rev });
      this.republishBirth();
    } else {
      this.o.log.warn({ rev, reasons: verdict.reasons }, 'config rejected');
      await this.emit('sys', 'config.rejected', { rev, reasons: verdict.reasons });
    }
  }

  private onTime(payload: Buffer): void {
    const parsed = parseJsonObject(payload);
    const msg = parsed.ok ? validate(TimeBeacon, parsed.value) : undefined;
    if (msg?.ok) this.o.clock.beacon(msg.value.ts);
    else this.protocolError('time', parsed.ok ? 'bad time beacon' : parsed.error);
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
    this.connection.publish(topic, payload, { retain }).catch((err: unknown) => this.o.log.debug({ topic, err: (err as Error).message }, 'publish failed'));
  }
}
