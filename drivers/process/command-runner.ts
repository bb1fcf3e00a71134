// Child processes behind an injectable runner, so drivers that shell out to Debian tools
// (gpiod's gpiomon/gpioset, espeak-ng, aplay) are tested with a fake child process that
// prints the tools' real output, and run the real binaries on the board.
import { spawn } from 'node:child_process';
import { finished, type Readable, type Writable } from 'node:stream';
import type { Timers } from '../clock/timers.js';

/** The part of node's ChildProcess the drivers use; a ChildProcess satisfies it as is. */
export interface RunningCommand {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly stdin: Writable | null;
  readonly pid?: number | undefined;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  once(event: 'spawn', listener: () => void): this;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

export type CommandRunner = (command: string, args: readonly string[]) => RunningCommand;

/** Spawns the real binary with stdio pipes and no shell (arguments are never re-parsed). */
export const spawnRunner: CommandRunner = (command, args) => spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and collects its output. Rejects only when the command could
 * not be started (for example ENOENT: the tool is not installed); a non-zero exit resolves
 * with its code so the caller can word the error.
 */
export function runToCompletion(runner: CommandRunner, command: string, args: readonly string[], input?: Uint8Array | string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    let child: RunningCommand;
    try {
      child = runner(command, args);
    } catch (err) {
      reject(err as Error);
      return;
    }
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      // 'exit' can precede the last 'data' on the pipes; wait for them to end.
      const ends = [child.stdout, child.stderr].filter((s): s is Readable => s !== null && !s.readableEnded);
      let pending = ends.length;
      if (pending === 0) resolve({ code, signal, stdout, stderr });
      for (const s of ends)
        finished(s, () => {
          if (--pending === 0) resolve({ code, signal, stdout, stderr });
        });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // a tool that exits early closes its stdin: not our error
      child.stdin.end(input);
    }
  });
}

/** Resolves once the child has exited; `exited` tracks it from the moment the child is started. */
export class ChildWatch {
  private done = false;
  private readonly waiters: Array<() => void> = [];
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  spawnError: Error | undefined;

  constructor(readonly child: RunningCommand) {
    child.once('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      this.finish();
    });
    child.once('error', (err) => {
      // 'error' without 'exit' means the process never started (ENOENT, EACCES).
      this.spawnError = err;
      this.finish();
    });
  }

  get exited(): boolean {
    return this.done;
  }

  wait(): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Resolves when the child has been spawned, rejects if it could not be started. */
export function spawned(child: RunningCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
}

/**
 * Asks the child to stop with SIGTERM and waits for it; SIGKILL after `graceMs` for a child
 * that ignores the signal, so close() cannot hang on a wedged helper.
 */
export async function stopChild(watch: ChildWatch, timers: Timers, graceMs = 2000): Promise<void> {
  if (watch.exited) return;
  watch.child.kill('SIGTERM');
  const timer = timers.setTimeout(() => {
    if (!watch.exited) watch.child.kill('SIGKILL');
  }, graceMs);
  await watch.wait();
  timers.clearTimeout(timer);
}
