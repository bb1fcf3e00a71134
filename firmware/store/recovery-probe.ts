// A store that hit a full or read-only disk is marked faulted until a write succeeds. On a
// kiosk paused by that fault nothing else writes, so nothing would ever find out that the
// technician freed space: while the store is faulted it is probed (one small write) every few
// seconds, and the fault ends, with everyone listening told, as soon as a write lands.
import type { Timers, IntervalHandle } from '../../drivers/clock/timers.js';
import type { StoreHealth } from './storage-fault.js';

export const STORE_RECOVERY_PROBE_MS = 5_000;

export interface ProbedStore {
  health(): StoreHealth;
  onHealthChange(listener: (health: StoreHealth) => void): () => void;
  probeWrite(): Promise<StoreHealth>;
}

/** Starts watching; returns the function that stops it. */
export function probeWhileFaulted(store: ProbedStore, timers: Timers, everyMs = STORE_RECOVERY_PROBE_MS): () => void {
  let timer: IntervalHandle | undefined;
  let probing = false;
  const follow = (health: StoreHealth) => {
    if (health.ok) {
      timers.clearInterval(timer);
      timer = undefined;
      return;
    }
    if (timer !== undefined) return;
    timer = timers.setInterval(() => {
      if (probing) return;
      probing = true;
      void store
        .probeWrite()
        .catch(() => undefined)
        .finally(() => (probing = false));
    }, everyMs);
    timer.unref();
  };
  const off = store.onHealthChange(follow);
  follow(store.health());
  return () => {
    off();
    timers.clearInterval(timer);
  };
}
