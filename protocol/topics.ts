// Topic builders for the halld MQTT contract (docs/protocol.md, "Names" and the two topic tables).
// Everything that names a topic goes through here so the device, the server client and the
// docs cannot drift apart.

export const PROTOCOL_VERSION = 1 as const;
export const TOPIC_PREFIX = 'halld/v1';

export const ROLES = ['ticket-printer', 'evaluator', 'caller', 'locker', 'sys'] as const;
export type Role = (typeof ROLES)[number];

const NAME_RE = /^[a-z0-9-]{1,32}$/;
/** Command, event and request names: `open`, `config.rejected`, `ticket.take`. */
const VERB_RE = /^[a-z0-9][a-z0-9.-]{0,63}$/;

export function isName(value: unknown): value is string {
  return typeof value === 'string' && NAME_RE.test(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isVerb(value: unknown): value is string {
  return typeof value === 'string' && VERB_RE.test(value);
}

function assertName(kind: string, value: string): void {
  if (!isName(value)) throw new TypeError(`${kind} "${value}" must be 1-32 characters of a-z 0-9 -`);
}

function assertVerb(kind: string, value: string): void {
  if (!isVerb(value)) throw new TypeError(`${kind} "${value}" must match ${VERB_RE.source}`);
}

export interface DeviceAddress {
  hall: string;
  device: string;
}

export function deviceRoot({ hall, device }: DeviceAddress): string {
  assertName('hall', hall);
  assertName('device', device);
  return `${TOPIC_PREFIX}/${hall}/${device}`;
}

export const topics = {
  status: (d: DeviceAddress) => `${deviceRoot(d)}/status`,
  state: (d: DeviceAddress, role: Role) => `${deviceRoot(d)}/state/${role}`,
  event: (d: DeviceAddress, role: Role, name: string) => {
    assertVerb('event', name);
    return `${deviceRoot(d)}/evt/${role}/${name}`;
  },
  ack: (d: DeviceAddress) => `${deviceRoot(d)}/ack`,
  request: (d: DeviceAddress, name: string) => {
    assertVerb('request', name);
    return `${deviceRoot(d)}/req/${name}`;
  },
  command: (d: DeviceAddress, role: Role, name: string) => {
    assertVerb('command', name);
    return `${deviceRoot(d)}/cmd/${role}/${name}`;
  },
  hallCommand: (hall: string, role: Role, name: string) => {
    assertName('hall', hall);
    assertVerb('command', name);
    return `${TOPIC_PREFIX}/${hall}/all/cmd/${role}/${name}`;
  },
  response: (d: DeviceAddress) => `${deviceRoot(d)}/res`,
  eventAck: (d: DeviceAddress) => `${deviceRoot(d)}/evt-ack`,
  config: (d: DeviceAddress) => `${deviceRoot(d)}/config`,
  time: (hall: string) => {
    assertName('hall', hall);
    return `${TOPIC_PREFIX}/${hall}/time`;
  },
} as const;

/** What a received topic means. `undefined` for anything outside the contract. */
export type ParsedTopic =
  | { kind: 'status'; hall: string; device: string }
  | { kind: 'state'; hall: string; device: string; role: Role }
  | { kind: 'event'; hall: string; device: string; role: Role; name: string }
  | { kind: 'ack'; hall: string; device: string }
  | { kind: 'request'; hall: string; device: string; name: string }
  | { kind: 'command'; hall: string; device: string; role: Role; name: string }
  | { kind: 'hall-command'; hall: string; role: Role; name: string }
  | { kind: 'response'; hall: string; device: string }
  | { kind: 'event-ack'; hall: string; device: string }
  | { kind: 'config'; hall: string; device: string }
  | { kind: 'time'; hall: string };

export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== 'halld' || parts[1] !== 'v1') return undefined;
  const [, , hall, device, kind, a, b] = parts;
  if (!isName(hall)) return undefined;
  if (device === 'time' && parts.length === 4) return { kind: 'time', hall };
  if (device === 'all') {
    if (kind === 'cmd' && isRole(a) && isVerb(b) && parts.length === 7) return { kind: 'hall-command', hall, role: a, name: b };
    return undefined;
  }
  if (!isName(device)) return undefined;
  const n = parts.length;
  switch (kind) {
    case 'status':
      return n === 5 ? { kind: 'status', hall, device } : undefined;
    case 'ack':
      return n === 5 ? { kind: 'ack', hall, device } : undefined;
    case 'res':
      return n === 5 ? { kind: 'response', hall, device } : undefined;
    case 'evt-ack':
      return n === 5 ? { kind: 'event-ack', hall, device } : undefined;
    case 'config':
      return n === 5 ? { kind: 'config', hall, device } : undefined;
    case 'state':
      return n === 6 && isRole(a) ? { kind: 'state', hall, device, role: a } : undefined;
    case 'req':
      return n === 6 && isVerb(a) ? { kind: 'request', hall, device, name: a } : undefined;
    case 'evt':
      return n === 7 && isRole(a) && isVerb(b) ? { kind: 'event', hall, device, role: a, name: b } : undefined;
    case 'cmd':
      return n === 7 && isRole(a) && isVerb(b) ? { kind: 'command', hall, device, role: a, name: b } : undefined;
    default:
      return undefined;
  }
}
