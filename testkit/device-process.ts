// Runs `halld run --config FILE` as a child process, the way a board runs it, and lets a test
// stop it cleanly, SIGKILL it and start it again on the same data.
//
// No device outlives its test file. Each halld leads its own process group (anything it spawns
// goes with it); every start is registered for teardown at spawn, so a restarted device is
// killed too; and when the test process itself is ended — tap's timeout signals it, after
// which no teardown runs — an exit hook SIGKILLs every group still alive and removes the
// device folders. (Only a SIGKILL of the test process itself cannot be caught.)
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
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

/** Live device process groups (their leaders' pids) and the folders they run in. */
const liveGroups = new Set<number>();
const deviceDirs = new Set<string>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Synchronous: runs in 'exit' and in signal handlers, where nothing asynchronous completes. */
function killEverything(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
  for (const dir of deviceDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  deviceDirs.clear();
}

let exitHookInstalled = false;
const FATAL_SIGNALS = ['SIGALRM', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killEverything);
  for (const signal of FATAL_SIGNALS) {
    const onSignal = (): void => {
      killEverything();
      // A listener keeps Node from dying of the signal: step aside and raise it again, so the
      // process ends as it would have (tap's own signal handler sees it once more and exits).
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** What runs `halld`: this checkout's bundle on this Node (default), or a release's own (testkit/release-halld.ts). */
export interface HalldProgram {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export const CHECKOUT_HALLD: HalldProgram = { file: process.execPath, args: [CLI], env: {} };

export async function deviceProcess(t: Teardown, dir: string, config: Record<string, unknown>, halld: HalldProgram = CHECKOUT_HALLD): Promise<DeviceProcess> {
  installExitHook();
  await mkdir(dir, { recursive: true });
  deviceDirs.add(dir);
  t.teardown(() => deviceDirs.delete(dir)); // the test's own temp-dir teardown removes it
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
      // detached: the child leads a new process group, so killGroup() reaches whatever it spawns.
      const started = spawn(halld.file, [...halld.args, 'run', '--config', configFile], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...halld.env, HALLD_LOG: process.env['HALLD_TEST_LOG'] ?? 'warn', HALLD_SIM_CONTROL: '1' } });
      child = started;
      const pid = started.pid;
      if (pid !== undefined) {
        liveGroups.add(pid);
        started.once('exit', () => liveGroups.delete(pid));
        // Registered per start: a restarted device is torn down even if the test never stops it.
        t.teardown(() => stopGroup(started, pid));
      }
      started.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      started.stderr?.on('data', (d: Buffer) => (out += d.toString()));
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
  return proc;
}

/** SIGKILLs the child's whole group and waits for the child to be gone. */
function stopGroup(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(pid, 'SIGKILL'); // the leader is gone; anything it left in its group is not
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    killGroup(pid, 'SIGKILL');
  });
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(args: string[], timeoutMs = 15_000, halld: HalldProgram = CHECKOUT_HALLD): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(halld.file, [...halld.args, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...halld.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // 'close', not 'exit': the output may still be in the pipes when the process has exited.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
