// A child process in memory, for drivers that run tools through a CommandRunner: the test
// (or a tool simulator) prints to its stdout/stderr, reads what the driver wrote to stdin,
// and decides when and how it exits. Events follow node's order: 'spawn' (or 'error' for a
// missing binary) on the next tick, 'exit' after the pipes are ended.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { CommandRunner, RunningCommand } from '../../drivers/process/command-runner.js';

let nextPid = 40_000;

export class FakeChild extends EventEmitter implements RunningCommand {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly stdin = new PassThrough();
  readonly pid: number | undefined;
  readonly signals: NodeJS.Signals[] = [];
  private exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly input: Buffer[] = [];
  /** What happens on kill(); default: exit at once with the signal, like a tool with default handlers. */
  onKill: (signal: NodeJS.Signals) => void = (signal) => this.exit(null, signal);

  constructor(
    readonly command: string,
    readonly args: readonly string[],
    spawnError?: NodeJS.ErrnoException,
  ) {
    super();
    this.pid = spawnError ? undefined : nextPid++;
    this.stdin.on('data', (chunk: Buffer) => this.input.push(chunk));
    process.nextTick(() => {
      if (spawnError) {
        this.exitedWith = { code: null, signal: null };
        this.emit('error', spawnError);
      } else this.emit('spawn');
    });
  }

  /** A child for a binary that is not installed: 'error' ENOENT, never 'spawn'. */
  static missing(command: string, args: readonly string[]): FakeChild {
    return new FakeChild(command, args, Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT', errno: -2, syscall: `spawn ${command}`, path: command }));
  }

  get exited(): boolean {
    return this.exitedWith !== undefined;
  }

  /** Everything the driver wrote to stdin so far. */
  stdinBytes(): Buffer {
    return Buffer.concat(this.input);
  }

  print(text: string | Uint8Array): void {
    if (!this.exited) this.stdout.write(text);
  }

  printError(text: string): void {
    if (!this.exited) this.stderr.write(text);
  }

  /** Ends the pipes and emits 'exit' on the next tick. */
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exitedWith) return;
    this.exitedWith = { code, signal };
    this.stdout.end();
    this.stderr.end();
    process.nextTick(() => this.emit('exit', code, signal));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exited) return false;
    this.signals.push(signal);
    this.onKill(signal);
    return true;
  }
}

/** A CommandRunner whose children are FakeChild objects, scripted by `behave`. */
export class FakeRunner {
  readonly children: FakeChild[] = [];
  readonly run: CommandRunner;

  constructor(behave: (child: FakeChild) => void = () => undefined) {
    this.run = (command, args) => {
      const child = new FakeChild(command, args);
      this.children.push(child);
      behave(child);
      return child;
    };
  }

  /** argv of every run of `command`, in order. */
  argvOf(command: string): string[][] {
    return this.children.filter((c) => c.command === command).map((c) => [...c.args]);
  }
}
