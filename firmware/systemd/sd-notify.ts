// Talking to systemd's notify socket. Node has no unix datagram sockets, so the message goes
// through the `systemd-notify` binary that ships with systemd on every Raspberry Pi OS: no
// native addon to build on ARM (the npm sd-notify packages link libsystemd through node-gyp).
// Since systemd 246 the binary waits (BARRIER=1) until the manager has read the message, so
// the message cannot be lost because the short-lived sender exited before systemd looked up
// its unit; `--pid` names halld as the main PID, and the unit needs NotifyAccess=all because
// the sender is halld's child. One spawn per ping (every WatchdogSec/2) is cheap.
import { execFile } from 'node:child_process';

export interface Notifier {
  /** Sends one notify message ("READY=1", "WATCHDOG=1", "STATUS=…"); rejects when it could not be sent. */
  notify(...assignments: string[]): Promise<void>;
}

export class NotifyError extends Error {
  readonly code = 'NOTIFY_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotifyError';
  }
}

export function systemdNotifyBinary(pid: number, env: NodeJS.ProcessEnv, binary = 'systemd-notify'): Notifier {
  return {
    notify: (...assignments) =>
      new Promise((resolve, reject) => {
        execFile(binary, [`--pid=${pid}`, ...assignments], { env, timeout: 10_000 }, (err, _stdout, stderr) => {
          if (err) reject(new NotifyError(`${binary} ${assignments.join(' ')}: ${stderr.trim() || err.message}`, { cause: err }));
          else resolve();
        });
      }),
  };
}
