// io.lockBoards entries with "protocol": "gpio" resolved against the lines they name: each
// relay must be an io.outputs line and each door switch an io.inputs line (board GPIO or an
// expander pin, already resolved), and no line may serve two locks or two roles in a cabinet.
// A relay starts off: the HAL drives every output to its `initial` level when it opens the line,
// so a relay line with `initial: true` would release its door at every start.
import { DEFAULT_SENSOR_OPEN_LEVEL, DEFAULT_UNLOCK_PULSE_MS } from '../drivers/lock-board/gpio-lock-board.js';
import type { GpioLockBoardSpec, InputSpec, OutputSpec } from '../drivers/hal/part-specs.js';
import type { IoConfig } from './part-types.js';

const listed = (names: string[]): string => names.join(', ') || 'none';

export function resolveGpioLockBoards(io: IoConfig, inputs: readonly InputSpec[], outputs: readonly OutputSpec[], issues: string[]): GpioLockBoardSpec[] {
  const inputByName = new Map(inputs.map((i) => [i.name, i]));
  const outputNames = new Set(outputs.map((o) => o.name));
  const startsOn = new Set(outputs.filter((o) => o.initial).map((o) => o.name));
  const used = new Map<string, string>();
  const specs: GpioLockBoardSpec[] = [];
  for (const [name, c] of Object.entries(io.lockBoards ?? {})) {
    if (c.protocol !== 'gpio') continue;
    const before = issues.length;
    const locks: GpioLockBoardSpec['locks'] = [];
    c.locks.forEach(({ relay, sensor }, i) => {
      const where = `lockBoards.${name}.locks[${i}] (lock ${i + 1})`;
      for (const [what, line] of [
        ['relay', relay],
        ['sensor', sensor],
      ] as const) {
        const other = used.get(line);
        if (other) issues.push(`line "${line}" is used twice: ${other} and ${where} ${what}`);
        else used.set(line, `${where} ${what}`);
      }
      if (!outputNames.has(relay)) {
        issues.push(
          inputByName.has(relay)
            ? `${where}: relay "${relay}" is an io.inputs line; a relay must be an io.outputs line`
            : `${where}: relay "${relay}" is not an io.outputs line (io.outputs: ${listed([...outputNames])})`,
        );
      }
      if (startsOn.has(relay)) issues.push(`${where}: relay "${relay}" would start energised (io.outputs.${relay}.initial is true): a lock relay must start off, or its door opens at every start`);
      const input = inputByName.get(sensor);
      if (!input) {
        issues.push(
          outputNames.has(sensor)
            ? `${where}: sensor "${sensor}" is an io.outputs line; a door switch must be an io.inputs line`
            : `${where}: sensor "${sensor}" is not an io.inputs line (io.inputs: ${listed([...inputByName.keys()])})`,
        );
      }
      locks.push({ relay, sensor, sensorActiveLow: input?.activeLow ?? false });
    });
    if (issues.length > before) continue;
    specs.push({ name, locks, pulseMs: c.pulseMs ?? DEFAULT_UNLOCK_PULSE_MS, sensorOpenLevel: c.sensorOpenLevel ?? DEFAULT_SENSOR_OPEN_LEVEL });
  }
  return specs;
}
