// Runs `halld run --config FILE` as a child process, the way a board runs it, and lets a test
// stop it cleanly, SIGKILL it and start it again on the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `halld` bin as installed on a board: the bundled CLI (dist/halld.mjs, beside dist/testkit/). */
export const CLI = fileURLToPath(new URL('../halld.mjs', import.meta.url));

export interface DeviceProcess {
  readonly configFile: string;
  readonly output: () => string;
  start(): void;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  readonly running: boolean;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

export async function deviceProcess(t: Teardown, dir: string, config: Record<string, unknown>): Promise<DeviceProcess> {
  await mkdir(dir, { recursive: true });
  const configFile = join(dir, `${String(config['device'])}.json`);
  await writeFile(configFile, JSON.stringify({ dataDir: join(dir, 'data'), ...config }, null, 2));
  let child: ChildProcess | undefined;
  let out = '';
  const proc: DeviceProcess = {
    configFile,
    output: () => out,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    start() {
      child = spawn(process.execPath, [CLI, 'run', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HALLD_LOG: process.env['HALLD_TEST_LOG'] ?? 'warn' } });
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    },
    kill(signal = 'SIGTERM') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c?.exitCode ?? null);
      return new Promise((resolve) => {
        c.once('exit', (code) => resolve(code));
        c.kill(signal);
      });
    },
  };
  t.teardown(() => proc.kill('SIGKILL'));
  return proc;
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(args: string[], timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
