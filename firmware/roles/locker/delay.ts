// A wait on the role's injected timers (never the global ones), cut short by an AbortSignal:
// drivers/clock/timers.ts abortableDelay, for callers that do not ask which way it ended.
import { abortableDelay, type Timers } from '../../../drivers/clock/timers.js';

export async function delay(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  await abortableDelay(timers, ms, signal);
}
