// The server's half of docs/protocol.md "Events": each device's events are handed on in `seq`
// order exactly once. A copy already delivered is dropped (and re-acknowledged, so a device that
// missed the ack stops resending); an event whose `prev` has not been delivered waits in a
// buffer for it; a gap the device made on purpose (telemetry dropped) is crossed because `prev`
// says where the chain really continues. The high-water mark is kept in a CursorStore (a
// server's database; memory by default) and acknowledged with `evt-ack`, a few ms after the
// last delivery so a burst is one ack.
import type { Role } from './topics.js';
import type { EventMessage } from './messages.js';

export interface CursorStore {
  get(device: string): number | undefined;
  set(device: string, seq: number): void;
}

export interface DeviceEvent {
  device: string;
  role: Role;
  name: string;
  message: EventMessage;
}

export interface OrderedDeliveryOptions {
  /** Where each device's last delivered seq is kept (default: memory). */
  cursors?: CursorStore;
  /** Wait this long after a delivery before acknowledging (default 20 ms). */
  ackDelayMs?: number;
  /** Hands one event on; its promise is awaited before the next event of that device. */
  deliver(e: DeviceEvent): Promise<void>;
  /** Publishes `evt-ack` with `upTo` for a device. */
  sendAck(device: string, upTo: number): void;
  /** Counted as they happen (the HallClient's stats()). */
  counters: { events: number; duplicates: number; buffered: number };
}

interface DeviceCursor {
  last: number | undefined;
  buffer: Map<number, DeviceEvent>;
  chain: Promise<void>;
  ackTimer: NodeJS.Timeout | undefined;
  acked: number;
}

/** A device far ahead of a gap keeps at most this many events waiting. */
const BUFFER_LIMIT = 50_000;

export class OrderedDelivery {
  private readonly cursors = new Map<string, DeviceCursor>();
  private readonly store: CursorStore;

  constructor(private readonly options: OrderedDeliveryOptions) {
    const memory = new Map<string, number>();
    this.store = options.cursors ?? { get: (d) => memory.get(d), set: (d, s) => void memory.set(d, s) };
  }

  /** Takes one event as it arrived; the device's events are placed one after another. */
  receive(e: DeviceEvent): void {
    const c = this.cursor(e.device);
    c.chain = c.chain.then(() => this.place(c, e)).catch(() => undefined);
  }

  lastSeq(device: string): number | undefined {
    return this.cursors.get(device)?.last ?? this.store.get(device);
  }

  /** Stops the pending acks (the events stay delivered; the device resends what was not acked). */
  close(): void {
    for (const c of this.cursors.values()) if (c.ackTimer) clearTimeout(c.ackTimer);
  }

  private cursor(device: string): DeviceCursor {
    let c = this.cursors.get(device);
    if (!c) {
      c = { last: this.store.get(device), buffer: new Map(), chain: Promise.resolve(), ackTimer: undefined, acked: 0 };
      this.cursors.set(device, c);
    }
    return c;
  }

  /** Delivers in seq order: waits for `prev` unless it is already delivered (or was dropped on purpose). */
  private async place(c: DeviceCursor, e: DeviceEvent): Promise<void> {
    const { counters } = this.options;
    const { seq, prev } = e.message;
    if (c.last !== undefined && seq <= c.last) {
      counters.duplicates += 1;
      this.scheduleAck(e.device, c, true);
      return;
    }
    if (c.last !== undefined && prev > c.last) {
      if (c.buffer.size < BUFFER_LIMIT) c.buffer.set(seq, e);
      counters.buffered += 1;
      return;
    }
    await this.deliver(c, e);
    for (;;) {
      const next = [...c.buffer.values()].filter((b) => b.message.prev <= (c.last ?? 0)).sort((a, b) => a.message.seq - b.message.seq)[0];
      if (!next) break;
      c.buffer.delete(next.message.seq);
      if (next.message.seq > (c.last ?? 0)) await this.deliver(c, next);
    }
    for (const s of c.buffer.keys()) if (s <= (c.last ?? 0)) c.buffer.delete(s);
  }

  private async deliver(c: DeviceCursor, e: DeviceEvent): Promise<void> {
    await this.options.deliver(e);
    c.last = e.message.seq;
    this.store.set(e.device, e.message.seq);
    this.options.counters.events += 1;
    this.scheduleAck(e.device, c, false);
  }

  private scheduleAck(device: string, c: DeviceCursor, force: boolean): void {
    if (c.ackTimer) return;
    const send = (): void => {
      c.ackTimer = undefined;
      const upTo = c.last ?? 0;
      if (!force && upTo <= c.acked) return;
      c.acked = upTo;
      this.options.sendAck(device, upTo);
    };
    c.ackTimer = setTimeout(send, this.options.ackDelayMs ?? 20);
  }
}
