// Fuzz payload generators for a device's inputs (docs/protocol.md "Server -> device"): random
// bytes, truncated JSON, deep nesting, huge strings, wrong types in every envelope field,
// valid envelopes with garbage data. Seeded, so a failing run can be replayed with
// HALLD_FUZZ_SEED.

/** mulberry32: small, fast, good enough to pick cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  constructor(readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }

  string(max = 24): string {
    const alphabet = 'abcXYZ019 _-.:/"\\{}[]é号\u0000\u2028';
    let s = '';
    const n = this.int(max);
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }

  /** A value of any JSON type (bounded depth and width). */
  value(depth = 3): unknown {
    const kinds = depth <= 0 ? 6 : 8;
    switch (this.int(kinds)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 60, Number.MAX_SAFE_INTEGER]);
      case 3:
        return this.int(1_000_000);
      case 4:
        return this.string();
      case 5:
        return this.pick(['', '1', 'true', 'null', '{}', '[]']);
      case 6:
        return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = this.int(4); i > 0; i--) o[this.pick(['v', 'id', 'data', 'ts', 'exp', 'sig', 'to', '__proto__', 'constructor', this.string(8)])] = this.value(depth - 1);
        return o;
      }
    }
  }

  /** A value that is not of the given JSON type. */
  wrongFor(type: 'number' | 'string' | 'object'): unknown {
    for (;;) {
      const v = this.value(1);
      const actual = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
      if (actual !== type) return v;
    }
  }
}

export const ENVELOPE_FIELDS = { v: 'number', id: 'string', ts: 'number', exp: 'number', data: 'object', sig: 'string', to: 'string' } as const;

export interface CommandTarget {
  role: string;
  name: string;
  /** Data that passes the command's schema (so some fuzz commands really run). */
  valid: (g: Gen) => Record<string, unknown>;
}

/** The commands of a sys + ticket-printer device, plus names nobody answers. */
export const TARGETS: CommandTarget[] = [
  { role: 'sys', name: 'ping', valid: (g) => ({ n: g.int(100), s: g.string() }) },
  { role: 'sys', name: 'diag', valid: () => ({}) },
  { role: 'sys', name: 'identify', valid: () => ({ durationMs: 100 }) },
  { role: 'sys', name: 'test-events', valid: (g) => ({ count: 1 + g.int(5), durable: g.chance(0.5), tag: 'fuzz' }) },
  { role: 'sys', name: 'restart', valid: () => ({ reason: 'fuzz' }) },
  { role: 'sys', name: 'self-destruct', valid: () => ({}) },
  { role: 'ticket-printer', name: 'print', valid: (g) => ({ mode: 'reissue', number: `F${g.int(999)}`, category: 'social' }) },
  { role: 'ticket-printer', name: 'pause', valid: () => ({ category: 'tax', reason: 'fuzz' }) },
  { role: 'ticket-printer', name: 'resume', valid: () => ({ category: 'tax' }) },
  { role: 'ticket-printer', name: 'no-such', valid: () => ({}) },
];

export type Surface = 'cmd' | 'hall-cmd' | 'res' | 'evt-ack' | 'config' | 'time';

export interface FuzzCase {
  surface: Surface;
  target?: CommandTarget;
  kind: string;
  payload: Buffer;
}

const deep = (g: Gen, depth: number) => {
  const [open, close] = g.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
  return `${open.repeat(depth)}${open === '[' ? '' : '{}'}${close.repeat(depth)}`;
};

/** One payload for one surface; `nextId` gives fresh ids, so every parseable id is unique. */
export function fuzzCase(g: Gen, nextId: () => string, now: number): FuzzCase {
  const surface = g.pick<Surface>(['cmd', 'cmd', 'cmd', 'cmd', 'hall-cmd', 'res', 'evt-ack', 'config', 'time']);
  const target = surface === 'cmd' || surface === 'hall-cmd' ? g.pick(TARGETS) : undefined;
  const envelope = (): Record<string, unknown> => {
    switch (surface) {
      case 'cmd':
      case 'hall-cmd':
        return { v: 1, id: nextId(), ts: now, exp: now + 60_000, data: target ? target.valid(g) : {} };
      case 'res':
        return { v: 1, id: nextId(), ok: g.chance(0.5), data: { number: 'Z999', waiting: 0 } };
      case 'evt-ack':
        return { v: 1, upTo: g.int(50) };
      case 'config':
        return { v: 1, rev: 1 + g.int(1000), data: { roles: { sys: { identifyMs: 500 + g.int(5000) } } } };
      case 'time':
        return { v: 1, ts: now + g.int(1000) };
    }
  };
  const kinds = ['random-bytes', 'truncated', 'deep', 'huge-string', 'wrong-type', 'garbage-data', 'valid', 'empty'] as const;
  const kind = g.pick(kinds);
  let text: string | Buffer;
  switch (kind) {
    case 'random-bytes':
      text = g.bytes(g.int(300));
      break;
    case 'truncated': {
      const full = JSON.stringify(envelope());
      text = full.slice(0, Math.max(1, g.int(full.length)));
      break;
    }
    case 'deep': {
      const e = envelope();
      const depth = g.pick([65, 100, 1_000, 20_000, 100_000]);
      const json = JSON.stringify({ ...e, data: '__DEEP__' });
      text = json.replace('"__DEEP__"', g.chance(0.5) ? deep(g, depth) : `{"x":${deep(g, depth)}}`);
      break;
    }
    case 'huge-string': {
      const e = envelope();
      // Half under the 256 KiB limit, half over it.
      const size = g.chance(0.5) ? 1_000 + g.int(200_000) : 262_145 + g.int(800_000);
      text = JSON.stringify({ ...e, data: { s: 'x'.repeat(size) } });
      break;
    }
    case 'wrong-type': {
      const e = envelope();
      const field = g.pick(Object.keys(ENVELOPE_FIELDS) as (keyof typeof ENVELOPE_FIELDS)[]);
      // Keep the id readable in half the cases, so the answer must be an ack, not an event.
      if (field !== 'id' || g.chance(0.5)) e[field] = g.wrongFor(ENVELOPE_FIELDS[field]);
      text = JSON.stringify(e);
      break;
    }
    case 'garbage-data': {
      const e = envelope();
      e['data'] = g.value(4);
      text = JSON.stringify(e);
      break;
    }
    case 'valid':
      text = JSON.stringify(envelope());
      break;
    case 'empty':
      text = g.pick(['', ' ', 'null', '[]', '{}', '"x"', '1']);
      break;
  }
  return { surface, ...(target ? { target } : {}), kind, payload: Buffer.isBuffer(text) ? text : Buffer.from(text) };
}

/** The id the device must answer for, by the same rules as the device: parseable, a string, the id pattern. */
export function answerableId(payload: Buffer, maxPayloadBytes: number): string | undefined {
  if (payload.length > maxPayloadBytes) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = (value as Record<string, unknown>)['id'];
  return typeof id === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(id) ? id : undefined;
}
