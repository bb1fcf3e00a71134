// The device config file's shape: every section but the roles' own, which the caller gives
// (schema.ts: every role's; file-schema.ts: the loader's stand-ins). This TypeBox schema is the
// single source for the TypeScript type, the defaults, validation and the exported JSON Schema.
import { Type, type TSchema } from '@sinclair/typebox';
import { IoConfigSchema } from './io-section.js';
import { CONFIG_VERSION } from './migrations.js';

const NAME_PATTERN = '^[a-z0-9-]{1,32}$';

export const BrokerSchema = Type.Object(
  {
    url: Type.String({
      default: 'mqtt://127.0.0.1:1883',
      pattern: '^(mqtt|mqtts|ws|wss)://',
      description: 'a URL starting mqtt://, mqtts://, ws:// or wss:// (the hall broker, e.g. mqtts://broker.hall.local:8883)',
    }),
    username: Type.Optional(Type.String({ description: "this device's broker user name (provisioning creates one per device)" })),
    password: Type.Optional(Type.String({ description: "this device's broker password" })),
    ca: Type.Optional(Type.String({ description: 'path to the CA certificate (PEM) for TLS' })),
    cert: Type.Optional(Type.String({ description: 'path to this device\'s client certificate (PEM)' })),
    key: Type.Optional(Type.String({ description: 'path to this device\'s private key (PEM)' })),
    rejectUnauthorized: Type.Boolean({ default: true, description: "false accepts a broker certificate that does not chain to ca (testing only)" }),
    keepaliveS: Type.Integer({ minimum: 5, maximum: 600, default: 30, description: 'MQTT keepalive, seconds' }),
    reconnectMinMs: Type.Integer({ minimum: 50, default: 500, description: 'first reconnect delay; doubles (jittered) after each failure' }),
    reconnectMaxMs: Type.Integer({ minimum: 100, default: 30_000, description: 'longest reconnect delay; at least reconnectMinMs' }),
  },
  { default: {}, description: 'the hall MQTT broker; ca, cert and key paths are relative to the config file' },
);

/**
 * The config file's schema with `roles` holding `sections` (each role's section, Optional), in
 * the order given: schema.ts passes every role's schema, file-schema.ts stand-ins that the
 * loader replaces with the schemas of the roles a file names.
 */
export function configSchemaWith(sections: Record<string, TSchema>) {
  return Type.Object(
    {
      $schema: Type.Optional(Type.String({ description: "the JSON Schema this file follows (for editors); halld ignores it" })),
      version: Type.Literal(CONFIG_VERSION, { default: CONFIG_VERSION, description: `the config file format version; ${CONFIG_VERSION} today (older files are migrated when read)` }),
      hall: Type.String({ pattern: NAME_PATTERN, description: 'the hall id: 1-32 characters of a-z 0-9 -' }),
      device: Type.String({ pattern: NAME_PATTERN, description: 'this device id, unique in the hall (also its MQTT clientId): 1-32 characters of a-z 0-9 -' }),
      board: Type.String({ default: 'sim', description: 'board definition id from boards/: sim, rpi-4b, rpi-5, cm4, arduino-firmata' }),
      timeZone: Type.String({
        default: 'Asia/Shanghai',
        description: "the hall's IANA time zone: every clock a person sees (the pages, printed tickets, the panels and their day/night brightness) uses it, whatever the board's system time zone",
      }),
      dataDir: Type.String({ minLength: 1, description: 'where the device keeps its SQLite database; relative paths are relative to the config file' }),
      broker: BrokerSchema,
      clock: Type.Object(
        {
          source: Type.Union([Type.Literal('system'), Type.Literal('beacon')], {
            default: 'system',
            description: "'system': the OS clock is trusted (RTC or NTP); 'beacon': only the hall's time beacon is, until one arrives commands are refused",
          }),
        },
        { default: {}, description: 'which time the device trusts to check command expiry' },
      ),
      security: Type.Object(
        {
          serverPublicKey: Type.Optional(Type.String({ description: 'hall server Ed25519 public key: PEM, or raw 32 bytes in base64' })),
          secureCommands: Type.Array(Type.String({ pattern: '^[a-z-]+/[a-z0-9.-]+$', description: 'role/command, e.g. ticket-printer/print' }), {
            default: [],
            description: 'role/command names that must be signed, on top of those the roles mark secure (locker/open, deposit, revoke, disable, enable)',
          }),
          maxSecureLifetimeMs: Type.Integer({
            minimum: 1_000,
            default: 300_000,
            description: 'longest lifetime (exp - ts) a signed command may have; a longer one is refused UNAUTHORIZED, so a captured signature is soon worthless',
          }),
          maxClockSkewMs: Type.Integer({
            minimum: 0,
            default: 60_000,
            description: "how far a signed command's ts may be ahead of the device's time before it is refused UNAUTHORIZED",
          }),
        },
        { default: {}, description: 'signature checks: without serverPublicKey every secure command is refused' },
      ),
      outbox: Type.Object(
        {
          max: Type.Integer({ minimum: 100, default: 100_000, description: 'bound; beyond it the oldest telemetry events are dropped' }),
          resendMs: Type.Integer({ minimum: 100, default: 10_000, description: 'resend unacknowledged events when evt-ack has not moved for this long' }),
          window: Type.Integer({ minimum: 1, maximum: 10_000, default: 500, description: 'PUBLISHes in flight at once' }),
        },
        { default: {}, description: 'the durable event outbox (SQLite) and its resending' },
      ),
      log: Type.Object(
        {
          level: Type.Union(
            ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)),
            { default: 'info', description: 'log level; HALLD_LOG and --log-level override it' },
          ),
        },
        { default: {}, description: 'logging' },
      ),
      limits: Type.Object(
        {
          maxPayloadBytes: Type.Integer({
            minimum: 1024,
            default: 262_144,
            description: 'MQTT payloads longer than this are refused before parsing (commands get no ack: no id can be read; evt/sys/protocol.error says why)',
          }),
          journalAckMaxBytes: Type.Integer({
            minimum: 256,
            default: 4096,
            description: 'a command answer longer than this is journaled without its data: a repeated id answers dup:true, dataOmitted:true',
          }),
          journalMaxAgeMs: Type.Integer({ minimum: 60_000, default: 86_400_000, description: 'finished command journal rows older than this are pruned (keep it above the longest command lifetime)' }),
          journalMaxRows: Type.Integer({ minimum: 100, default: 50_000, description: 'at most this many finished command journal rows are kept' }),
        },
        { default: {}, description: 'docs/protocol.md "Limits"' },
      ),
      update: Type.Object(
        {
          root: Type.Optional(Type.String({ minLength: 1, description: 'where releases live (default: $HALLD_ROOT, else /opt/halld); relative paths are relative to the config file' })),
          releaseKey: Type.String({ default: '/etc/halld/release.pub', description: "the hall's release public key (PEM): an update signed by another key is refused; relative to the config file" }),
          maxBytes: Type.Integer({ minimum: 1_000_000, default: 300_000_000, description: 'largest release tarball accepted (bytes); a download that grows past it is stopped' }),
          healthDeadlineMs: Type.Integer({ minimum: 1_000, default: 120_000, description: 'a new release must publish its birth, answer the server ping and pass its self-tests within this long after it starts, else the board rolls back' }),
          maxBoots: Type.Integer({ minimum: 1, maximum: 20, default: 3, description: 'starts of a new release (counted across crashes and power cuts) before the boot guard rolls back' }),
          quietWindow: Type.Optional(
            Type.Object(
              {
                from: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM hall time' }),
                to: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM hall time (may be past midnight: 22:00-06:00)' }),
              },
              { additionalProperties: false, description: "when an update sent with when:'quiet' (or one a busy role defers) is applied" },
            ),
          ),
        },
        { default: {}, description: 'over-the-air updates of halld itself (docs/update.md)' },
      ),
      io: IoConfigSchema,
      roles: Type.Object(sections, { default: { sys: {} }, description: `one section per role this device has; roles: ${Object.keys(sections).join(', ')}` }),
    },
    { $id: 'https://halld.dev/schema/device-config.json', title: 'halld device config' },
  );
}
