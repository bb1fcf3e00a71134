// The config a test device runs with.
import type { KeyObject } from 'node:crypto';

export function deviceConfig(url: string, device: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hall: 'test-hall',
    device,
    board: 'sim',
    broker: { url, reconnectMinMs: 100, reconnectMaxMs: 1000, keepaliveS: 5 },
    outbox: { resendMs: 1000 },
    roles: { sys: {} },
    ...extra,
  };
}

export type PublicKeyLike = string | KeyObject;
