// One MQTT connection for the device: persistent session (clean=false, clientId = device id)
// so commands queued while away still arrive, a will that carries the connection counter,
// TCP_NODELAY (Nagle + delayed ACK turns a 0.3 ms round trip into ~44 ms), reconnect forever
// with capped exponential backoff and jitter, and explicit re-subscription on every connect
// (MQTT.js issues #875, #1001: don't rely on the session alone).
import type { IClientOptions, MqttClient } from 'mqtt';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Timers } from '../../drivers/clock/timers.js';
import { plainTcpAddress, plainTcpClient } from './plain-tcp-client.js';

// mqtt's ESM entry costs ~270 ms and ~18 MB at start on this machine, its CommonJS build
// ~90 ms and ~11 MB (bench/startup.ts); a board restarts often enough for that to matter.
const mqtt = createRequire(import.meta.url)('mqtt') as typeof import('mqtt');

/** How long a clean stop waits for the offline status to be PUBACKed before disconnecting anyway. */
const CLEAN_STOP_PUBLISH_MS = 1000;

export interface BrokerOptions {
  url: string;
  username?: string;
  password?: string;
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
  keepaliveS: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

export interface ConnectionHandlers {
  /** Called before every connection attempt; returns the will for that attempt. */
  willFor(attempt: number): { topic: string; payload: string };
  /** Called after every successful connect with the attempt number whose will is armed. */
  onConnect(attempt: number): void | Promise<void>;
  onDisconnect(reason: string): void;
  /**
   * `retained`: the broker delivered a stored retained message (MQTT 3.1.1 §3.3.1.3: the flag
   * is set only for messages sent because a subscription was made, never on live delivery).
   */
  onMessage(topic: string, payload: Buffer, retained: boolean): void;
  subscriptions(): string[];
}

/** Why the last connection attempt failed, and when (device time, epoch ms). */
export interface ConnectionFailure {
  message: string;
  at: number;
}

/** What the link needs of its connection (MqttConnection; tests hand the link a fake). */
export interface LinkConnection {
  readonly connected: boolean;
  /** The last connection error of this run (kept after a reconnect, for "what happened"); undefined: none yet. */
  readonly lastError?: ConnectionFailure | undefined;
  start(): void;
  publish(topic: string, payload: string, options?: { retain?: boolean }): Promise<void>;
  stop(last?: { topic: string; payload: string }): Promise<void>;
  destroy(): void;
}

export class MqttConnection implements LinkConnection {
  private client: MqttClient | undefined;
  private attempt = 0;
  private failures = 0;
  /** The last error logged since the last connect: a broker that stays away is one line, not one per retry. */
  private lastLogged: string | undefined;
  /** Every attempt's error, kept with its time for `halld status` and diag (the log has only the first). */
  private failure: ConnectionFailure | undefined;
  private up = false;
  private errorSinceConnect = false;
  private stopping = false;

  constructor(
    private readonly clientId: string,
    private readonly broker: BrokerOptions,
    private readonly handlers: ConnectionHandlers,
    private readonly log: (msg: string, extra?: Record<string, unknown>) => void,
    private readonly timers: Timers,
    /** The device's time for `lastError.at`. */
    private readonly now: () => number,
  ) {}

  get connected(): boolean {
    return this.client?.connected === true;
  }

  get lastError(): ConnectionFailure | undefined {
    return this.failure;
  }

  start(): void {
    this.attempt = 1;
    const will = this.handlers.willFor(this.attempt);
    const options: IClientOptions = {
      clientId: this.clientId,
      clean: false,
      keepalive: this.broker.keepaliveS,
      reconnectPeriod: this.broker.reconnectMinMs,
      connectTimeout: 10_000,
      protocolVersion: 4,
      resubscribe: false,
      // mqtt-packet's number cache is 65,536 small Buffers (~8 MB of heap on a 1 GB board) to
      // save one 2-byte allocation per packet; a device sends a few packets a second.
      writeCache: false,
      will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
      ...(this.broker.username !== undefined ? { username: this.broker.username } : {}),
      ...(this.broker.password !== undefined ? { password: this.broker.password } : {}),
      ...(this.broker.ca ? { ca: readFileSync(this.broker.ca) } : {}),
      ...(this.broker.cert ? { cert: readFileSync(this.broker.cert) } : {}),
      ...(this.broker.key ? { key: readFileSync(this.broker.key) } : {}),
      ...(this.broker.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    };
    const address = plainTcpAddress(this.broker.url, options);
    const client = address ? plainTcpClient(mqtt.MqttClient, address, options) : mqtt.connect(this.broker.url, options);
    this.client = client;
    client.on('connect', () => {
      this.failures = 0;
      this.lastLogged = undefined;
      this.up = true;
      this.errorSinceConnect = false;
      client.options.reconnectPeriod = this.broker.reconnectMinMs;
      const stream = client.stream as unknown as Partial<Socket> | undefined;
      stream?.setNoDelay?.(true);
      const subs = this.handlers.subscriptions();
      client.subscribe(subs, { qos: 1 }, (err) => {
        if (err) this.log('subscribe failed', { err: err.message });
      });
      void Promise.resolve(this.handlers.onConnect(this.attempt)).catch((err: unknown) =>
        this.log('on-connect handler failed', { err: (err as Error).message }),
      );
    });
    client.on('message', (topic, payload, packet) => this.handlers.onMessage(topic, payload, packet.retain));
    client.on('close', () => {
      if (this.stopping) return;
      // A connection that was up and dropped without an error (the broker closed it, a keepalive timed out).
      if (this.up && !this.errorSinceConnect) this.failure = { message: 'connection lost', at: this.now() };
      this.up = false;
      this.errorSinceConnect = false;
      this.handlers.onDisconnect('connection closed');
      // Arm the next attempt's will with the next counter, and back off.
      this.attempt += 1;
      const next = this.handlers.willFor(this.attempt);
      client.options.will = { topic: next.topic, payload: Buffer.from(next.payload), qos: 1, retain: true };
      this.failures += 1;
      const base = Math.min(this.broker.reconnectMaxMs, this.broker.reconnectMinMs * 2 ** Math.min(this.failures - 1, 16));
      client.options.reconnectPeriod = Math.round(base / 2 + Math.random() * (base / 2));
    });
    client.on('error', (err) => {
      this.failure = { message: err.message, at: this.now() };
      this.errorSinceConnect = true;
      if (err.message === this.lastLogged) return;
      this.lastLogged = err.message;
      this.log('mqtt error', { err: err.message });
    });
  }

  /** QoS 1 publish; resolves on PUBACK, rejects if the client is stopped. */
  publish(topic: string, payload: string, options: { retain?: boolean } = {}): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('not started'));
    return new Promise((resolve, reject) => {
      client.publish(topic, payload, { qos: 1, retain: options.retain === true }, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Publishes `last` (the clean-stop status), then disconnects so the broker does not send the will. */
  async stop(last?: { topic: string; payload: string }): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (last && client.connected) {
      let timer: ReturnType<Timers['setTimeout']> | undefined;
      const giveUp = new Promise<void>((resolve) => {
        timer = this.timers.setTimeout(resolve, CLEAN_STOP_PUBLISH_MS);
      });
      await Promise.race([this.publish(last.topic, last.payload, { retain: true }).catch(() => undefined), giveUp]);
      this.timers.clearTimeout(timer);
    }
    this.stopping = true;
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
    this.client = undefined;
  }

  /** Drops the connection hard (tests and `sys/restart` use it); the will fires. */
  destroy(): void {
    this.stopping = true;
    this.client?.end(true);
    this.client = undefined;
  }
}
