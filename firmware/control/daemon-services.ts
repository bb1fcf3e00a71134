// What `halld run` adds around the runtime for the people and the supervisor outside it: the
// control socket (technicians' `halld status`/`diag`), systemd's notify protocol, and on the
// sim board, when a test asks, the socket it presses the buttons through.
//
// READY=1 waits for the first birth on the broker (its PUBACK), but not forever: a hall whose broker is
// down at power-on still needs its kiosk to hand out offline tickets, so after
// READY_WITHOUT_BROKER_MS the device reports ready anyway, saying so in STATUS=.
import type { Timers } from '../../drivers/clock/timers.js';
import type { Logger } from '../log.js';
import type { Runtime } from '../runtime.js';
import { serviceNotifierFromEnv, type ServiceNotifier } from '../systemd/service-notifier.js';
import { systemdNotifyBinary } from '../systemd/sd-notify.js';
import { flushCompileCache } from '../systemd/compile-cache.js';
import { isSimHal, serveSimControls, type SimControlHandle } from '../../assembly/serve-sim-controls.js';
import { controlHandler } from './control-handlers.js';
import { startControlServer, type ControlServer } from './control-server.js';

export const READY_WITHOUT_BROKER_MS = 20_000;

export interface DaemonServices {
  /** Call with each runtime that starts (the first, and each in-process restart). */
  runtimeStarted(rt: Runtime): void;
  close(): Promise<void>;
}

export async function startDaemonServices(o: { dataDir: string; current: () => Runtime | undefined; log: Logger; timers: Timers; env: NodeJS.ProcessEnv }): Promise<DaemonServices> {
  // Without its socket the device still runs (a data dir path longer than a unix socket path
  // may be, 107 bytes); only the local commands are lost, and the log says why.
  let control: ControlServer | undefined;
  try {
    control = await startControlServer({
      dataDir: o.dataDir,
      handle: controlHandler(o.current, { timers: o.timers }),
      timers: o.timers,
      onError: (err) => o.log.warn({ err: err.message }, 'control socket error'),
    });
    o.log.debug({ path: control.path }, 'control socket listening');
  } catch (err) {
    o.log.error({ err: (err as Error).message, dataDir: o.dataDir }, 'control socket not started: halld status/diag will not reach this device');
  }
  const systemd: ServiceNotifier | undefined = serviceNotifierFromEnv(o.env, process.pid, (env) => systemdNotifyBinary(process.pid, env), o.timers, (err) =>
    o.log.warn({ err: err.message }, 'systemd notify failed'),
  );
  systemd?.startWatchdog();
  let readyTimer: ReturnType<Timers['setTimeout']> | undefined;
  // A sim board's buttons, for tests that run this device as a child process and ask for
  // them (HALLD_SIM_CONTROL=1, set by testkit/device-process.ts); nothing else listens.
  let sim: Promise<SimControlHandle | undefined> | undefined;
  let cacheFlushed = false;
  let cacheTimer: ReturnType<Timers['setTimeout']> | undefined;
  const flushCacheOnce = () => {
    if (cacheFlushed) return;
    cacheFlushed = true;
    try {
      const dir = flushCompileCache();
      if (dir !== undefined) o.log.debug({ dir }, 'compile cache written');
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, 'compile cache not written: the next start compiles again');
    }
  };
  return {
    runtimeStarted(rt) {
      // The first birth (or the offline deadline) is when a start has compiled what it needs.
      if (rt.link.connected) flushCacheOnce();
      else {
        const off = rt.link.onConnectionChange((up) => {
          if (up) {
            off();
            flushCacheOnce();
          }
        });
        cacheTimer ??= o.timers.setTimeout(flushCacheOnce, READY_WITHOUT_BROKER_MS);
      }
      if (!sim && o.env['HALLD_SIM_CONTROL'] === '1' && isSimHal(rt.hal)) {
        sim = serveSimControls(o.dataDir, () => o.current()?.hal).catch((err: unknown) => {
          o.log.warn({ err: (err as Error).message }, 'sim control socket not started: tests cannot press this sim board\'s buttons');
          return undefined;
        });
      }
      if (!systemd) return;
      const ready = (how: string) => {
        o.timers.clearTimeout(readyTimer);
        systemd.ready(`${rt.config.hall}/${rt.config.device} boot ${rt.boot}: ${how}`);
      };
      // The birth went out on connect; its PUBACK (one more, identical, retained birth) says
      // the broker has it.
      const online = () =>
        void rt.link.confirmBirth().then(
          () => ready('online'),
          (err: unknown) => ready(`online, birth not confirmed: ${(err as Error).message}`),
        );
      if (rt.link.connected) online();
      const off = rt.link.onConnectionChange((up) => {
        if (up) {
          off();
          online();
        }
      });
      readyTimer ??= o.timers.setTimeout(() => ready(`running offline: broker ${rt.config.broker.url} not reached yet`), READY_WITHOUT_BROKER_MS);
    },
    async close() {
      o.timers.clearTimeout(readyTimer);
      o.timers.clearTimeout(cacheTimer);
      systemd?.stopping();
      await control?.close();
      await (await sim)?.close();
    },
  };
}
