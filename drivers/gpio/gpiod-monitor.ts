// Inputs over the chardev ABI without native code: one `gpiomon` child per group of inputs
// that share a bias, its stdout parsed line by line into raw edges. Protocol source: libgpiod
// tools/gpiomon.c and gpioget.c (see gpiod-cli.ts for the formats). gpiomon only reports
// edges, so the levels at start come from one `gpioget` run just before it. If the child
// dies (line taken by another process, OOM) the inputs show the fault and the monitor is
// restarted with a growing delay; levels read on restart go through the debounce, so a
// change missed while it was down is still reported once.
import { ChildWatch, runToCompletion, stopChild, spawned, type CommandRunner, type RunningCommand } from '../process/command-runner.js';
import type { TimerHandle } from '../clock/timers.js';
import { HalError } from '../hal/types.js';
import type { Pull } from '../hal/part-specs.js';
import type { DebouncedInput } from './debounced-input.js';
import type { GpioContext } from './gpio-backend.js';
import { gpiogetArgs, gpiomonArgs, parseGpioget, parseGpiomonLine, type GpiodMajor } from './gpiod-cli.js';

export interface MonitorOptions {
  runner: CommandRunner;
  ctx: GpioContext;
  major: GpiodMajor;
  chip: string;
  pull: Pull | undefined;
  /** First restart delay; doubles up to maxRestartDelayMs. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
}

const STDERR_KEEP_CHARS = 400;

export class GpiodInputMonitor {
  private readonly byOffset = new Map<number, DebouncedInput>();
  private watch: ChildWatch | undefined;
  private restartTimer: TimerHandle | undefined;
  private restartDelayMs: number;
  private stderr = '';
  private closing = false;
  private starts = 0;

  constructor(
    private readonly inputs: readonly DebouncedInput[],
    private readonly options: MonitorOptions,
  ) {
    for (const input of inputs) this.byOffset.set(input.spec.line, input);
    this.restartDelayMs = options.restartDelayMs ?? 1000;
  }

  get pid(): number | undefined {
    return this.watch && !this.watch.exited ? this.watch.child.pid : undefined;
  }

  /** First start: reads the levels silently, then starts watching. Never rejects. */
  async start(): Promise<void> {
    await this.attempt();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer !== undefined) this.options.ctx.timers.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.watch) await stopChild(this.watch, this.options.ctx.timers);
  }

  private offsets(): number[] {
    return this.inputs.map((i) => i.spec.line);
  }

  private fault(detail: string | undefined): void {
    for (const input of this.inputs) input.markFault(detail);
  }

  private async attempt(): Promise<void> {
    if (this.closing) return;
    const first = this.starts++ === 0;
    const { runner, major, chip, pull } = this.options;
    try {
      const got = await runToCompletion(runner, 'gpioget', gpiogetArgs(major, chip, this.offsets(), pull));
      const levels = got.code === 0 ? parseGpioget(got.stdout, this.offsets()) : undefined;
      if (!levels) throw new HalError('IO', `gpioget ${chip} ${this.offsets().join(' ')} failed: ${(got.stderr || got.stdout).trim() || `exit code ${got.code}`}`);
      if (this.closing) return;
      levels.forEach((level, i) => {
        const input = this.inputs[i];
        if (!input) return;
        if (first) input.establish(level);
        else input.edge(level);
      });
      const child = runner('gpiomon', gpiomonArgs(major, chip, this.offsets(), pull));
      this.attach(child);
      await spawned(child);
      this.restartDelayMs = this.options.restartDelayMs ?? 1000;
      this.fault(undefined);
    } catch (err) {
      this.fault(`gpio monitor on ${chip} not running: ${(err as Error).message}`);
      this.scheduleRestart();
    }
  }

  private attach(child: RunningCommand): void {
    const watch = new ChildWatch(child);
    this.watch = watch;
    this.stderr = '';
    let pending = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const event = parseGpiomonLine(line);
        if (event) this.byOffset.get(event.offset)?.edge(event.level);
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEEP_CHARS);
    });
    void watch.wait().then(() => {
      if (this.closing || this.watch !== watch || watch.spawnError) return; // spawn errors are handled by attempt()
      const how = watch.exitSignal ? `signal ${watch.exitSignal}` : `code ${watch.exitCode}`;
      this.fault(`gpiomon exited (${how})${this.stderr.trim() ? `: ${this.stderr.trim()}` : ''}`);
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    if (this.closing || this.restartTimer !== undefined) return;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(delay * 2, this.options.maxRestartDelayMs ?? 30_000);
    this.restartTimer = this.options.ctx.timers.setTimeout(() => {
      this.restartTimer = undefined;
      void this.attempt();
    }, delay);
  }
}
