// A Linux machine with Debian's `gpiod` tools, in memory: a CommandRunner that answers
// gpiomon/gpioget/gpioset/gpiodetect/gpioinfo the way libgpiod v1.6.3 (bookworm) or v2.x
// (trixie) does — same argv syntax, same output lines, same errors — over simulated chips
// whose input levels a test drives. Formats from libgpiod tools/*.c (v1.6 branch and master):
//   v1 gpiomon: "event: %s offset: %u timestamp: [%8ld.%09ld]" with " RISING EDGE"/"FALLING EDGE",
//               block-buffered on a pipe unless -b/--line-buffered
//   v2 gpiomon: "%lu.%09lu\t{rising|falling}\t<chip> <offset> \"<name>\"" when -c is given
//   gpiodetect: "%s [%s] (%u lines)"; gpioinfo: "%s - %u lines:" then "\tline %3u: ..."
// A line held by a running gpiomon or gpioset is busy for every other request, as in the kernel.
import { FakeChild } from '../process/fake-child.js';
import type { CommandRunner } from '../../drivers/process/command-runner.js';

export type Level = 0 | 1;

export interface FakeChip {
  name: string;
  label: string;
  lines: number;
  /** Line names by offset ("GPIO17"); others are unnamed. */
  names?: Record<number, string>;
}

export interface FakeGpiodOptions {
  major: 1 | 2;
  chips: FakeChip[];
  /** The tools are not installed: every run fails with ENOENT. */
  missing?: boolean;
}

interface Holder {
  child: FakeChild;
  chip: string;
  offsets: number[];
  kind: 'monitor' | 'set';
}

const V1_BUFFER_BYTES = 4096; // stdio's pipe buffer: v1 without -b prints nothing until it fills

/** The Raspberry Pi header chip as the kernel names its lines (subset that matters here). */
export function piHeaderChip(name: string, label: string, lines: number): FakeChip {
  const names: Record<number, string> = { 0: 'ID_SDA', 1: 'ID_SCL' };
  for (let i = 2; i <= 27; i++) names[i] = `GPIO${i}`;
  return { name, label, lines, names };
}

export class FakeGpiod {
  readonly runner: CommandRunner;
  /** Every command run, in order. */
  readonly calls: Array<{ command: string; args: string[] }> = [];
  private readonly levels = new Map<string, Level>();
  private readonly holders: Holder[] = [];
  /** Every level each output line was set to (chip:offset → levels), in order. */
  private readonly setLog = new Map<string, Level[]>();
  private clockNs = 1_000_000_000n;
  private readonly v1Buffers = new Map<FakeChild, string>();

  constructor(private readonly options: FakeGpiodOptions) {
    this.runner = (command, args) => {
      this.calls.push({ command, args: [...args] });
      if (this.options.missing) return FakeChild.missing(command, args);
      const child = new FakeChild(command, args);
      this.behave(child);
      return child;
    };
  }

  /** Drives an input line (an edge if the level changes) and reports it to running monitors. */
  setInput(offset: number, level: Level, chip = this.options.chips[0]?.name ?? 'gpiochip0'): void {
    const key = `${chip}:${offset}`;
    const before = this.levels.get(key) ?? 0;
    this.levels.set(key, level);
    if (before === level) return;
    this.clockNs += 1_234_567n;
    for (const h of this.holders) if (h.kind === 'monitor' && h.chip === chip && h.offsets.includes(offset)) this.printEvent(h.child, chip, offset, level);
  }

  /** Reports an edge even if the level did not change (a bounce shorter than the kernel saw). */
  glitch(offset: number, level: Level, chip = this.options.chips[0]?.name ?? 'gpiochip0'): void {
    this.levels.set(`${chip}:${offset}`, level);
    this.clockNs += 1000n;
    for (const h of this.holders) if (h.kind === 'monitor' && h.chip === chip && h.offsets.includes(offset)) this.printEvent(h.child, chip, offset, level);
  }

  /** The level a running gpioset holds the line at, or undefined if nothing drives it. */
  driven(offset: number, chip = this.options.chips[0]?.name ?? 'gpiochip0'): Level | undefined {
    const held = this.holders.find((h) => h.kind === 'set' && h.chip === chip && h.offsets.includes(offset));
    return held ? this.levels.get(`${chip}:${offset}`) : undefined;
  }

  /** Every level gpioset was started with for the line. */
  setHistory(offset: number, chip = this.options.chips[0]?.name ?? 'gpiochip0'): Level[] {
    return [...(this.setLog.get(`${chip}:${offset}`) ?? [])];
  }

  /** Running gpiomon children. */
  monitors(): FakeChild[] {
    return this.holders.filter((h) => h.kind === 'monitor').map((h) => h.child);
  }

  /** Marks a line as taken by another process (e.g. a HAT driver). */
  claimElsewhere(offset: number, chip = this.options.chips[0]?.name ?? 'gpiochip0'): () => void {
    const child = new FakeChild('other-process', []);
    const holder: Holder = { child, chip, offsets: [offset], kind: 'set' };
    this.holders.push(holder);
    return () => this.release(holder);
  }

  private release(holder: Holder): void {
    const i = this.holders.indexOf(holder);
    if (i >= 0) this.holders.splice(i, 1);
  }

  private printEvent(child: FakeChild, chip: string, offset: number, level: Level): void {
    const sec = this.clockNs / 1_000_000_000n;
    const nsec = (this.clockNs % 1_000_000_000n).toString().padStart(9, '0');
    if (this.options.major === 1) {
      const ev = level === 1 ? ' RISING EDGE' : 'FALLING EDGE';
      this.emitV1(child, `event: ${ev} offset: ${offset} timestamp: [${sec.toString().padStart(8)}.${nsec}]\n`);
    } else {
      const name = this.chip(chip)?.names?.[offset];
      child.print(`${sec}.${nsec}\t${level === 1 ? 'rising' : 'falling'}\t${chip} ${offset}${name ? ` "${name}"` : ''}\n`);
    }
  }

  private emitV1(child: FakeChild, text: string): void {
    if (!this.v1Buffers.has(child)) {
      child.print(text); // line-buffered
      return;
    }
    const buffered = (this.v1Buffers.get(child) ?? '') + text;
    if (buffered.length >= V1_BUFFER_BYTES) {
      child.print(buffered);
      this.v1Buffers.set(child, '');
    } else this.v1Buffers.set(child, buffered);
  }

  private chip(id: string): FakeChip | undefined {
    const byNumber = /^\d+$/.test(id) ? `gpiochip${id}` : id.replace(/^\/dev\//, '');
    return this.options.chips.find((c) => c.name === byNumber);
  }

  private busy(chip: string, offsets: number[]): boolean {
    return this.holders.some((h) => h.chip === chip && h.offsets.some((o) => offsets.includes(o)));
  }

  private fail(child: FakeChild, message: string): void {
    process.nextTick(() => {
      child.printError(`${child.command}: ${message}\n`);
      child.exit(1);
    });
  }

  private behave(child: FakeChild): void {
    const { command, args } = child;
    const major = this.options.major;
    if (args.includes('--version') || args.includes('-v')) {
      const v = major === 1 ? 'v1.6.3' : 'v2.1.3';
      const lic = major === 1 ? 'LGPLv2.1' : 'GPL-2.0-or-later';
      process.nextTick(() => {
        child.print(`${command} (libgpiod) ${v}\nCopyright (C) 2017-2023 Bartosz Golaszewski\nLicense: ${lic}\nThis is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n`);
        child.exit(0);
      });
      return;
    }
    switch (command) {
      case 'gpiodetect':
        process.nextTick(() => {
          for (const c of this.options.chips) child.print(`${c.name} [${c.label}] (${c.lines} lines)\n`);
          child.exit(0);
        });
        return;
      case 'gpioinfo':
        process.nextTick(() => {
          for (const c of this.options.chips) {
            child.print(`${c.name} - ${c.lines} lines:\n`);
            for (let o = 0; o < c.lines; o++) {
              const name = c.names?.[o];
              const label = name ? `"${name}"` : 'unnamed';
              if (major === 1) child.print(`\tline ${String(o).padStart(3)}: ${label.padStart(12)} ${'unused'.padStart(12)}  input  active-high \n`);
              else child.print(`\tline ${String(o).padStart(3)}:\t${label.padEnd(16)}\tinput\n`);
            }
          }
          child.exit(0);
        });
        return;
      case 'gpiomon':
      case 'gpioget':
      case 'gpioset':
        this.lineTool(child);
        return;
      default:
        process.nextTick(() => child.exit(127));
    }
  }

  /** Parses gpiomon/gpioget/gpioset argv with the option set of this major and runs it. */
  private lineTool(child: FakeChild): void {
    const { command, args } = child;
    const major = this.options.major;
    let chipId: string | undefined;
    let lineBuffered = false;
    const positional: string[] = [];
    const biasValues = major === 1 ? ['as-is', 'disable', 'pull-down', 'pull-up'] : ['pull-down', 'pull-up', 'disabled'];
    const known1: Record<string, string[]> = { gpiomon: ['-b', '--line-buffered', '-l', '--active-low', '-r', '-f', '-s'], gpioget: ['-l', '--active-low'], gpioset: ['-l', '--active-low'] };
    const known2: Record<string, string[]> = { gpiomon: ['-l', '--active-low', '-q'], gpioget: ['-l', '--active-low', '-a', '--as-is'], gpioset: ['-l', '--active-low'] };
    for (let i = 0; i < args.length; i++) {
      const a = args[i] ?? '';
      if (!a.startsWith('-')) {
        positional.push(a);
        continue;
      }
      const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      const value = (): string => inline ?? args[++i] ?? '';
      if (flag === '--bias' || (major === 1 ? flag === '-B' : flag === '-b')) {
        const b = value();
        if (!biasValues.includes(b)) return this.fail(child, major === 1 ? `invalid bias: ${b}` : `invalid bias: ${b}`);
        continue;
      }
      if (major === 1) {
        if (command === 'gpioset' && (flag === '--mode' || flag === '-m')) {
          const m = value();
          if (m !== 'signal') return this.fail(child, `test double only supports --mode=signal, got ${m}`);
          continue;
        }
        if (flag === '-b' || flag === '--line-buffered') lineBuffered = true;
        if (known1[command]?.includes(flag)) continue;
        return this.fail(child, `unrecognized option '${a}'`);
      }
      if (flag === '-c' || flag === '--chip') {
        chipId = value();
        continue;
      }
      if (flag === '-C' || flag === '--consumer') {
        value();
        continue;
      }
      if (command === 'gpiomon' && (flag === '-e' || flag === '--edges')) {
        const e = value();
        if (!['rising', 'falling', 'both'].includes(e)) return this.fail(child, `invalid edges: ${e}`);
        continue;
      }
      if (known2[command]?.includes(flag)) continue;
      return this.fail(child, `unrecognized option '${a}'`);
    }
    if (major === 1) chipId = positional.shift();
    if (chipId === undefined) return this.fail(child, `cannot find line '${positional[0] ?? ''}'`);
    const chip = this.chip(chipId);
    if (!chip) return this.fail(child, major === 1 ? `error opening gpiochip '${chipId}': No such file or directory` : `cannot find GPIO chip character device '${chipId}'`);

    if (command === 'gpioset') {
      const sets: Array<[number, Level]> = [];
      for (const p of positional) {
        const m = /^(\d+)=(0|1|active|inactive|on|off)$/.exec(p);
        if (!m) return this.fail(child, `invalid offset<->value mapping: ${p}`);
        sets.push([Number(m[1]), m[2] === '1' || m[2] === 'active' || m[2] === 'on' ? 1 : 0]);
      }
      const offsets = sets.map(([o]) => o);
      if (offsets.some((o) => o >= chip.lines)) return this.fail(child, `offset ${offsets.join(' ')} is out of range on chip '${chipId}'`);
      if (this.busy(chip.name, offsets)) return this.fail(child, major === 1 ? 'error setting the GPIO line values: Device or resource busy' : `unable to request lines on chip '/dev/${chip.name}': Device or resource busy`);
      const holder: Holder = { child, chip: chip.name, offsets, kind: 'set' };
      this.holders.push(holder);
      for (const [o, level] of sets) {
        this.levels.set(`${chip.name}:${o}`, level);
        const log = this.setLog.get(`${chip.name}:${o}`) ?? [];
        log.push(level);
        this.setLog.set(`${chip.name}:${o}`, log);
      }
      child.once('exit', () => this.release(holder));
      return;
    }

    const offsets = positional.map(Number);
    if (offsets.length === 0 || offsets.some((o) => !Number.isInteger(o))) return this.fail(child, `cannot find line '${positional.find((p) => !/^\d+$/.test(p)) ?? ''}'`);
    if (offsets.some((o) => o >= chip.lines)) return this.fail(child, `offset out of range on chip '${chipId}'`);
    if (this.busy(chip.name, offsets))
      return this.fail(child, command === 'gpioget' ? (major === 1 ? 'error reading GPIO values: Device or resource busy' : 'unable to request lines: Device or resource busy') : major === 1 ? 'error waiting for events: Device or resource busy' : `unable to request lines on chip '/dev/${chip.name}': Device or resource busy`);

    if (command === 'gpioget') {
      const values = offsets.map((o) => this.levels.get(`${chip.name}:${o}`) ?? 0);
      process.nextTick(() => {
        child.print(major === 1 ? `${values.join(' ')}\n` : `${positional.map((p, i) => `"${p}"=${values[i] === 1 ? 'active' : 'inactive'}`).join(' ')}\n`);
        child.exit(0);
      });
      return;
    }
    // gpiomon: holds the lines until killed.
    if (major === 1 && !lineBuffered) this.v1Buffers.set(child, '');
    const holder: Holder = { child, chip: chip.name, offsets, kind: 'monitor' };
    this.holders.push(holder);
    child.once('exit', () => {
      this.release(holder);
      this.v1Buffers.delete(child);
    });
  }
}
