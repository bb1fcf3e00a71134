// Command lines for, and output parsers of, the libgpiod command-line tools (Debian package
// `gpiod`). Source: libgpiod tools/gpiomon.c, gpioset.c, gpioget.c, gpiodetect.c, gpioinfo.c
// and tools-common.c (git.kernel.org/pub/scm/libs/libgpiod/libgpiod.git), v1.6.3 as shipped
// in Debian 12 bookworm and the v2 series in Debian 13 trixie. The two majors differ:
//   v1: gpiomon [opts] <chip> <offset>...     prints "event:  RISING EDGE offset: 17 timestamp: [  1234.000000001]"
//   v2: gpiomon [opts] -c <chip> <offset>...  prints "1234.000000001\trising\tgpiochip0 17 \"GPIO17\""
// and v1 writes bias values "disable" where v2 writes "disabled". Pure functions, no I/O.
import type { Pull } from '../hal/part-specs.js';
import type { Level } from './gpio-backend.js';

export type GpiodMajor = 1 | 2;

export interface GpiodVersion {
  major: GpiodMajor;
  /** As printed, e.g. "v1.6.3". */
  version: string;
}

/** Parses `gpiomon --version`: "gpiomon (libgpiod) v1.6.3". Major 2 and later share one syntax. */
export function parseGpiodVersion(stdout: string): GpiodVersion | undefined {
  const m = /\(libgpiod\)\s+v(\d+)\.(\d+)(?:\.(\d+))?\S*/.exec(stdout);
  if (!m) return undefined;
  const major = Number(m[1]);
  return { major: major <= 1 ? 1 : 2, version: m[0].replace(/^\(libgpiod\)\s+/, '') };
}

export interface GpioChipInfo {
  /** gpiochipN, the name the other tools accept. */
  name: string;
  label: string;
  lines: number;
}

/** Parses `gpiodetect`: one "gpiochip0 [pinctrl-bcm2711] (58 lines)" per chip, both majors. */
export function parseGpiodetect(stdout: string): GpioChipInfo[] {
  const chips: GpioChipInfo[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s+\[(.*)\]\s+\((\d+) lines?\)/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) chips.push({ name: m[1], label: m[2], lines: Number(m[3]) });
  }
  return chips;
}

/**
 * Parses `gpioinfo` (all chips) into chip → offset → line name.
 * v1: `\tline  17:     "GPIO17"       unused   input  active-high`
 * v2: `\tline  17:\t"GPIO17"        \tinput`; unnamed lines print `unnamed` in both.
 */
export function parseGpioinfo(stdout: string): Map<string, Map<number, string>> {
  const chips = new Map<string, Map<number, string>>();
  let current: Map<number, string> | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^(\S+)\s+-\s+\d+\s+lines?:/.exec(line);
    if (header?.[1]) {
      current = new Map();
      chips.set(header[1], current);
      continue;
    }
    const entry = /^\s+line\s+(\d+):\s+"([^"]*)"/.exec(line);
    if (entry?.[2] !== undefined && current) current.set(Number(entry[1]), entry[2]);
  }
  return chips;
}

/** Finds the chip and offset of a named line ("GPIO17") in gpioinfo output. */
export function findLineByName(info: Map<string, Map<number, string>>, lineName: string): { chip: string; offset: number } | undefined {
  for (const [chip, lines] of info) for (const [offset, name] of lines) if (name === lineName) return { chip, offset };
  return undefined;
}

export interface MonitorEvent {
  offset: number;
  /** Level after the edge: rising → 1. */
  level: Level;
}

/** Parses one line of gpiomon's default output, either major. Anything else → undefined. */
export function parseGpiomonLine(line: string): MonitorEvent | undefined {
  const v1 = /event:\s+(RISING|FALLING) EDGE\s+offset:\s+(\d+)/.exec(line);
  if (v1) return { offset: Number(v1[2]), level: v1[1] === 'RISING' ? 1 : 0 };
  // v2 with -c: "<timestamp>\t<rising|falling>\t<chip> <offset>[ "<name>"]"
  const v2 = /^\s*\S+\s+(rising|falling)\s+\S+\s+(\d+)(?:\s|$)/.exec(line);
  if (v2) return { offset: Number(v2[2]), level: v2[1] === 'rising' ? 1 : 0 };
  return undefined;
}

function biasArg(major: GpiodMajor, pull: Pull | undefined): string[] {
  if (pull === undefined) return [];
  const value = pull === 'up' ? 'pull-up' : pull === 'down' ? 'pull-down' : major === 1 ? 'disable' : 'disabled';
  return [`--bias=${value}`];
}

/** gpiomon watching both edges of `offsets`. v1 needs --line-buffered or a pipe holds events back. */
export function gpiomonArgs(major: GpiodMajor, chip: string, offsets: readonly number[], pull?: Pull): string[] {
  const lines = offsets.map(String);
  if (major === 1) return ['--line-buffered', ...biasArg(1, pull), chip, ...lines];
  return ['--consumer=halld', ...biasArg(2, pull), '-c', chip, '-e', 'both', ...lines];
}

/** gpioget reading `offsets` once (as inputs, with the same bias the monitor will use). */
export function gpiogetArgs(major: GpiodMajor, chip: string, offsets: readonly number[], pull?: Pull): string[] {
  const lines = offsets.map(String);
  if (major === 1) return [...biasArg(1, pull), chip, ...lines];
  return ['--consumer=halld', ...biasArg(2, pull), '-c', chip, ...lines];
}

/**
 * Parses gpioget output into levels in the order asked.
 * v1 prints "1 0"; v2 prints "\"17\"=active \"22\"=inactive" (or 1/0 with --numeric).
 */
export function parseGpioget(stdout: string, offsets: readonly number[]): Level[] | undefined {
  const text = stdout.trim();
  const named = [...text.matchAll(/"?([^"=\s]+)"?=(active|inactive|1|0)/g)];
  const values = named.length > 0 ? named.map((m) => m[2]) : text.split(/\s+/);
  if (values.length !== offsets.length) return undefined;
  const levels: Level[] = [];
  for (const v of values) {
    if (v === '1' || v === 'active') levels.push(1);
    else if (v === '0' || v === 'inactive') levels.push(0);
    else return undefined;
  }
  return levels;
}

/**
 * gpioset driving one line and holding it until the process is signalled. The chardev ABI
 * releases a line when its holder exits (gpioset --help), so the process must stay alive.
 */
export function gpiosetArgs(major: GpiodMajor, chip: string, offset: number, level: Level): string[] {
  if (major === 1) return ['--mode=signal', chip, `${offset}=${level}`];
  return ['--consumer=halld', '-c', chip, `${offset}=${level}`];
}
