// GPIO over the Linux character device (/dev/gpiochipN) through Debian's `gpiod` tools, run
// as child processes: no native addon, works on Pi 4, CM4 and Pi 5 (where sysfs does not),
// on bookworm (libgpiod 1.6) and trixie (2.x). Sources: libgpiod tools (gpiod-cli.ts);
// raspberrypi/linux #6084 for finding the header chip by label or by a line named "GPIO17"
// rather than by number (it moved from gpiochip4 to gpiochip0 on Pi 5 images).
import { runToCompletion, type CommandResult, type CommandRunner } from '../process/command-runner.js';
import { HalError } from '../hal/types.js';
import type { BoardFacts, Pull } from '../hal/part-specs.js';
import type { InputSpec, OutputSpec } from '../hal/part-specs.js';
import { DebouncedInput } from './debounced-input.js';
import { LineOutput } from './line-output.js';
import { failedParts } from './failed-parts.js';
import { levelFor, type GpioBackend, type GpioContext, type GpioParts } from './gpio-backend.js';
import { findLineByName, parseGpiodetect, parseGpiodVersion, parseGpioinfo, type GpiodVersion } from './gpiod-cli.js';
import { GpiodInputMonitor } from './gpiod-monitor.js';
import { GpiosetLine } from './gpiod-output.js';

export interface ChardevBackendOptions {
  board: BoardFacts;
  ctx: GpioContext;
  runner: CommandRunner;
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
}

export interface GpiodTarget {
  version: GpiodVersion;
  chip: string;
  /** How the chip was found, for diagnostics. */
  foundBy: string;
}

async function tool(runner: CommandRunner, command: string, args: string[]): Promise<CommandResult> {
  try {
    return await runToCompletion(runner, command, args);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new HalError('UNAVAILABLE', missing ? `${command} not found: install the gpiod tools (apt install gpiod)` : `${command} could not be run: ${(err as Error).message}`, { cause: err });
  }
}

/** Finds the tools' major version and the chip carrying the board's header lines. */
export async function detectGpiod(runner: CommandRunner, board: BoardFacts): Promise<GpiodTarget> {
  const v = await tool(runner, 'gpiomon', ['--version']);
  const version = parseGpiodVersion(v.stdout);
  if (!version) throw new HalError('UNAVAILABLE', `cannot tell the libgpiod version from "gpiomon --version": ${(v.stdout || v.stderr).trim().slice(0, 120)}`);
  const { chipLabel, chipByLineName } = board.gpio;
  const detected = await tool(runner, 'gpiodetect', []);
  const chips = parseGpiodetect(detected.stdout);
  const byLabel = chipLabel ? chips.find((c) => c.label === chipLabel) : undefined;
  if (byLabel) return { version, chip: byLabel.name, foundBy: `label ${chipLabel}` };
  if (chipByLineName) {
    const info = await tool(runner, 'gpioinfo', []);
    const found = findLineByName(parseGpioinfo(info.stdout), chipByLineName);
    if (found) return { version, chip: found.chip, foundBy: `line name ${chipByLineName}` };
  }
  const wanted = [chipLabel && `labelled "${chipLabel}"`, chipByLineName && `with a line named "${chipByLineName}"`].filter(Boolean).join(' or ');
  const seen = chips.map((c) => `${c.name} [${c.label}]`).join(', ');
  throw new HalError(
    'UNAVAILABLE',
    `no GPIO chip ${wanted} for board ${board.id} (gpiodetect lists: ${seen || 'nothing; is /dev/gpiochip* present and readable by this user?'}${detected.stderr.trim() ? `; ${detected.stderr.trim()}` : ''})`,
  );
}

export class ChardevGpioBackend implements GpioBackend {
  readonly kind = 'chardev' as const;
  constructor(private readonly options: ChardevBackendOptions) {}

  async open(inputs: readonly InputSpec[], outputs: readonly OutputSpec[]): Promise<GpioParts> {
    if (inputs.length === 0 && outputs.length === 0) return failedParts('chardev', [], [], undefined);
    const { board, ctx, runner } = this.options;
    let target: GpiodTarget;
    try {
      target = await detectGpiod(runner, board);
    } catch (err) {
      return failedParts('chardev', inputs, outputs, err);
    }
    const { chip, version } = target;
    const data = { backend: 'chardev', chip, gpiod: version.version };

    // One gpiomon per bias: gpiomon applies one bias to all the lines it watches.
    const groups = new Map<Pull | undefined, InputSpec[]>();
    for (const spec of inputs) groups.set(spec.pull, [...(groups.get(spec.pull) ?? []), spec]);
    const monitors: GpiodInputMonitor[] = [];
    const parts: GpioParts = { backend: 'chardev', inputs: new Map(), outputs: new Map(), close: async () => undefined };
    for (const [pull, specs] of groups) {
      const holder: { monitor?: GpiodInputMonitor } = {};
      const group = specs.map((spec) => new DebouncedInput(spec, ctx, { data: () => ({ ...data, pid: holder.monitor?.pid }) }));
      for (const input of group) parts.inputs.set(input.name, input);
      holder.monitor = new GpiodInputMonitor(group, {
        runner,
        ctx,
        major: version.major,
        chip,
        pull,
        ...(this.options.restartDelayMs !== undefined ? { restartDelayMs: this.options.restartDelayMs } : {}),
        ...(this.options.maxRestartDelayMs !== undefined ? { maxRestartDelayMs: this.options.maxRestartDelayMs } : {}),
      });
      monitors.push(holder.monitor);
    }
    await Promise.all(monitors.map((m) => m.start()));

    const lines: GpiosetLine[] = [];
    for (const spec of outputs) {
      const line = new GpiosetLine({ runner, timers: ctx.timers, major: version.major, chip, offset: spec.line });
      lines.push(line);
      let startError: string | undefined;
      try {
        await line.write(levelFor(spec.initial, spec.activeLow));
      } catch (err) {
        startError = (err as Error).message;
      }
      parts.outputs.set(
        spec.name,
        new LineOutput(spec, {
          write: async (level) => {
            await line.write(level);
            startError = undefined;
          },
          close: () => line.close(),
          fault: () => startError ?? line.fault(),
          data: () => ({ ...data, ...line.data() }),
        }),
      );
    }

    parts.close = async () => {
      await Promise.all([...monitors.map((m) => m.close()), ...lines.map((l) => l.close())]);
    };
    return parts;
  }
}
