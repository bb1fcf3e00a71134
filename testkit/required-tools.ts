// Tests that need a system tool (a real Mosquitto broker, headless Chromium, zbarimg) skip on a
// developer's machine without it, and say how to install it. In CI a skip would turn the run
// green without the test ever running, so .ci/run sets HALLD_REQUIRE=mosquitto,chromium,zbar:
// for a tool it lists, a missing tool is a failed assertion, not a skip.
import { execFileSync } from 'node:child_process';
import t from 'tap';

export type RequiredTool = 'mosquitto' | 'chromium' | 'zbar' | 'mtools' | 'espeak-ng' | 'ffmpeg';

/** The tools HALLD_REQUIRE lists (comma-separated). */
export function requiredTools(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set((env['HALLD_REQUIRE'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
}

/**
 * The skip reason for tests that need `tool`, or false when it is there. When HALLD_REQUIRE
 * lists the tool and it is missing, this also fails the test file, so CI cannot pass by skipping.
 */
export function skipWithout(tool: RequiredTool, available: boolean, install: string): string | false {
  if (available) return false;
  const reason = `${tool} is not installed here (${install})`;
  if (requiredTools().has(tool)) t.fail(`${reason}, and HALLD_REQUIRE says the tests that need it must run`);
  return reason;
}

/** True when `bin` runs (exit status 0 for `args`). */
export function runs(bin: string, args: readonly string[]): boolean {
  try {
    execFileSync(bin, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
