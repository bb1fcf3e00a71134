// An MQTT client over plain TCP without mqtt.js's transport table. mqtt.connect() requires every
// transport it knows on its first call (TCP with its SOCKS proxy support, WebSockets, TLS):
// 30–35 ms of loading at each start here, before the first byte goes out, for transports a
// device on `mqtt://host:port` never uses. For exactly that URL the client gets a stream
// builder of its own; anything else goes through mqtt.connect() as before: mqtts, ws,
// credentials or a path in the URL, a client certificate (mqtt.connect() turns mqtt:// into TLS
// when given one) or a SOCKS proxy in MQTTJS_SOCKS_PROXY.
import type { IClientOptions, MqttClient } from 'mqtt';
import { createConnection } from 'node:net';

/** Host and port of a bare `mqtt://host[:port][/]` URL, or undefined when mqtt.connect() would do anything more with it. */
export function plainTcpAddress(url: string, options: IClientOptions, env: NodeJS.ProcessEnv = process.env): { host: string; port: number } | undefined {
  if ((options.cert !== undefined && options.key !== undefined) || env['MQTTJS_SOCKS_PROXY'] !== undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'mqtt:' || parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') return undefined;
  if (parsed.pathname !== '' && parsed.pathname !== '/') return undefined;
  if (parsed.hostname === '') return undefined;
  // WHATWG keeps an IPv6 address in its brackets; net wants it bare.
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return { host, port: parsed.port === '' ? 1883 : Number(parsed.port) };
}

/** A client like mqtt.connect(url, options) gives for a bare mqtt:// URL. */
export function plainTcpClient(Client: typeof MqttClient, address: { host: string; port: number }, options: IClientOptions): MqttClient {
  const opts: IClientOptions = { ...options, protocol: 'mqtt', host: address.host, hostname: address.host, port: address.port };
  const client = new Client(() => createConnection({ host: address.host, port: address.port }), opts);
  // As mqtt.connect() does: an 'error' without a listener would throw; the caller adds its own.
  client.on('error', () => undefined);
  return client;
}
