// Where releases live and the update's limits, from the config's `update` section. The root
// is a seam: the config's `update.root`, else $HALLD_ROOT (what the install script uses),
// else /opt/halld.
import type { DeviceConfig } from '../config/schema.js';
import type { UpdateSettings } from './updater.js';

export const DEFAULT_ROOT = '/opt/halld';

export function installRoot(configured: string | undefined, env: NodeJS.ProcessEnv): string {
  return configured ?? env['HALLD_ROOT'] ?? DEFAULT_ROOT;
}

export function updateSettings(config: DeviceConfig, env: NodeJS.ProcessEnv): UpdateSettings {
  const u = config.update;
  return {
    root: installRoot(u.root, env),
    releaseKey: u.releaseKey,
    maxBytes: u.maxBytes,
    healthDeadlineMs: u.healthDeadlineMs,
    maxBoots: u.maxBoots,
    ...(u.quietWindow ? { quietWindow: u.quietWindow } : {}),
  };
}
