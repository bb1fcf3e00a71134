// What a config may do but a hall device rarely should, said by `config check`, by
// `provision` and in the log at start, without refusing the file: a TLS broker checked only
// against the system's CAs (a hall CA's certificate is then refused at every connect, as
// "self-signed certificate in certificate chain"), a broker certificate not checked at all,
// no server key (everything unsigned is accepted, every secure command refused), and a serial
// port or printer node outside /dev/ (right only for a symlink to a device).
import type { DeviceConfig } from './schema.js';

export interface ConfigWarning {
  field: string;
  message: string;
}

const TLS = /^(mqtts|wss):\/\//;

export function configWarnings(config: DeviceConfig): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const { broker } = config;
  if (TLS.test(broker.url) && broker.ca === undefined) {
    warnings.push({
      field: '/broker/ca',
      message: `not set: the broker's certificate (${broker.url}) is checked against the system's CAs only; a certificate from the hall's own CA is then refused ("self-signed certificate in certificate chain"): install the hall CA (halld provision --ca-cert hall-ca.pem)`,
    });
  }
  if (TLS.test(broker.url) && !broker.rejectUnauthorized) {
    warnings.push({ field: '/broker/rejectUnauthorized', message: "false: the broker's certificate is not checked, so anyone on the network can stand in for the broker (testing only)" });
  }
  for (const [name, port] of Object.entries(config.io.serial ?? {})) {
    if (!port.path.startsWith('/dev/')) warnings.push({ field: `/io/serial/${name}/path`, message: `"${port.path}" is not under /dev/: a serial port is a device node (/dev/ttyUSB0, /dev/serial/by-id/...); right only for a symlink to one` });
  }
  for (const [name, printer] of Object.entries(config.io.printers ?? {})) {
    const path = printer.usb?.path;
    if (path !== undefined && !path.startsWith('/dev/')) warnings.push({ field: `/io/printers/${name}/usb/path`, message: `"${path}" is not under /dev/: a USB printer is a device node (/dev/usb/lp0); right only for a symlink to one` });
  }
  if (config.security.serverPublicKey === undefined) {
    warnings.push({
      field: '/security/serverPublicKey',
      message: "not set: configs, time beacons and commands are accepted unsigned from anyone who can publish on this device's topics, and every secure command (locker/open) is refused: give the hall server's key (halld provision --server-key-pub server.pub)",
    });
  }
  return warnings;
}

export function warningLines(file: string, warnings: readonly ConfigWarning[]): string[] {
  return warnings.map((w) => `${file}: warning: field ${w.field}: ${w.message}`);
}
