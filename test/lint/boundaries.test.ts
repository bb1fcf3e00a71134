// The folder boundaries are enforced by lint: a throwaway file that crosses one makes
// eslint report an error (through eslint's API, on text that is never written to disk), the
// same import from an allowed place passes, and the import-cycle check finds a planted cycle
// and none in the repo.
import t from 'tap';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDir } from '../../testkit/temp.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'); // dist/test/lint -> repo
const RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

// The boundary rules need no type information; leaving it out keeps this test fast and lets
// it lint paths that do not exist (the project service only knows files on disk).
const eslint = new ESLint({ cwd: root, overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  if (!result) throw new Error(`eslint returned nothing for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`eslint could not parse ${filePath}: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages.filter((m) => m.ruleId !== null && RULES.has(m.ruleId)).map((m) => m.message);
}

const VIOLATIONS: Array<[what: string, file: string, code: string, message: RegExp]> = [
  ['a driver importing a simulator', 'drivers/gpio/boundary-probe.ts', "import { SimSpeaker } from '../../simulators/speaker/sim-speaker.js';\nvoid SimSpeaker;\n", /drivers\/ imports packages and drivers\/ only/],
  ['a driver loading a simulator with import()', 'drivers/gpio/boundary-probe.ts', "export const load = () => import('../../simulators/hal/sim-hal.js');\n", /drivers\/ imports packages and drivers\/ only/],
  ['the runtime loading a driver with import()', 'firmware/boundary-probe.ts', "export const load = () => import('../drivers/gpio/chardev-backend.js');\n", /never a concrete driver/],
  ['a driver importing the assembly', 'drivers/gpio/boundary-probe.ts', "import { createHal } from '../../assembly/create-hal.js';\nvoid createHal;\n", /drivers\/ imports packages and drivers\/ only/],
  ['a role importing a concrete driver', 'firmware/roles/ticket-printer/boundary-probe.ts', "import { EscPosTicketPrinter } from '../../../drivers/printer/index.js';\nvoid EscPosTicketPrinter;\n", /a role sees HAL interfaces only/],
  ['a role importing a simulator', 'firmware/roles/ticket-printer/boundary-probe.ts', "import { isSimHal } from '../../../simulators/hal/sim-hal.js';\nvoid isSimHal;\n", /a role sees the HAL interfaces, the link, the store and protocol\/ only/],
  ['a role importing the runtime', 'firmware/roles/ticket-printer/kiosk/boundary-probe.ts', "import type { Runtime } from '../../../runtime.js';\nexport type X = Runtime;\n", /not the runtime, CLI/],
  ['protocol importing the HAL', 'protocol/boundary-probe.ts', "import { HalError } from '../drivers/hal/types.js';\nvoid HalError;\n", /protocol\/ imports nothing of ours/],
  ['boards importing the HAL', 'boards/boundary-probe.ts', "import { HalError } from '../drivers/hal/types.js';\nvoid HalError;\n", /boards\/ is data/],
  ['a simulator importing the runtime', 'simulators/hal/boundary-probe.ts', "import { Runtime } from '../../firmware/runtime.js';\nvoid Runtime;\n", /never firmware\//],
  ['a simulator running a driver', 'simulators/hal/boundary-probe.ts', "import { openSerialLink } from '../../drivers/serial/serial-link.js';\nvoid openSerialLink;\n", /a simulator runs no driver code/],
  ['the HAL interfaces importing a driver', 'drivers/hal/boundary-probe.ts', "import type { SerialScanner } from '../scanner/serial-scanner.js';\nexport type X = SerialScanner;\n", /interface package/],
  ['firmware importing a simulator', 'firmware/boundary-probe.ts', "import { isSimHal } from '../simulators/hal/sim-hal.js';\nvoid isSimHal;\n", /firmware\/ never imports simulators\//],
  ['bench importing a test helper', 'bench/boundary-probe.ts', "import { waitFor } from '../test/roles/ticket-printer/kiosk-fixture.js';\nvoid waitFor;\n", /testkit\//],
];

for (const [what, file, code, message] of VIOLATIONS) {
  t.test(`lint fails on ${what}`, async (t) => {
    const errors = await boundaryErrors(file, code);
    t.equal(errors.length, 1, errors.join('\n'));
    t.match(errors[0], message);
  });
}

const ALLOWED: Array<[what: string, file: string, code: string]> = [
  ['a driver importing the HAL interfaces', 'drivers/gpio/boundary-probe.ts', "import { HalError } from '../hal/types.js';\nvoid HalError;\n"],
  ['a role importing the HAL interfaces and the timers', 'firmware/roles/ticket-printer/boundary-probe.ts', "import { HalError } from '../../../drivers/hal/types.js';\nimport type { Timers } from '../../../drivers/clock/timers.js';\nexport type X = Timers;\nvoid HalError;\n"],
  ['a role importing its own config, the link, the store and the log', 'firmware/roles/ticket-printer/kiosk/boundary-probe.ts', "import { x } from '../config.js';\nimport type { DeviceLink } from '../../../link/device-link.js';\nimport type { Store } from '../../../store/store.js';\nimport { createLogger } from '../../../log.js';\nexport type X = DeviceLink | Store;\nvoid x;\nvoid createLogger;\n"],
  ['the assembly loading a driver with import()', 'assembly/boundary-probe.ts', "export const load = () => import('../drivers/gpio/chardev-backend.js');\n"],
  ['a simulator implementing a driver interface (type only)', 'simulators/hal/boundary-probe.ts', "import type { CommandRunner } from '../../drivers/process/command-runner.js';\nexport type X = CommandRunner;\n"],
  ['the demo hall importing a simulator', 'firmware/hall/boundary-probe.ts', "import { isSimHal } from '../../simulators/hal/sim-hal.js';\nvoid isSimHal;\n"],
  ['the assembly importing drivers, simulators and boards', 'assembly/boundary-probe.ts', "import { SimSpeaker } from '../simulators/speaker/sim-speaker.js';\nimport { NoneSpeaker } from '../drivers/speaker/none-speaker.js';\nimport { loadBoard } from '../boards/index.js';\nvoid SimSpeaker;\nvoid NoneSpeaker;\nvoid loadBoard;\n"],
];

for (const [what, file, code] of ALLOWED) {
  t.test(`lint allows ${what}`, async (t) => {
    t.same(await boundaryErrors(file, code), []);
  });
}

interface CycleChecker {
  importGraph(root: string): Map<string, string[]>;
  findCycles(graph: Map<string, string[]>): string[][];
}

async function cycleChecker(): Promise<CycleChecker> {
  return (await import(pathToFileURL(join(root, 'scripts', 'import-cycles.mjs')).href)) as CycleChecker;
}

t.test('the import-cycle check finds a planted cycle, type-only and dynamic imports included', async (t) => {
  const { importGraph, findCycles } = await cycleChecker();
  const dir = await tempDir(t);
  await mkdir(join(dir, 'drivers', 'hal'), { recursive: true });
  await writeFile(join(dir, 'drivers', 'hal', 'a.ts'), "import type { B } from './b.js';\nexport type A = B;\n");
  await writeFile(join(dir, 'drivers', 'hal', 'b.ts'), "export type B = number;\nexport const load = () => import('../c.js');\n");
  await writeFile(join(dir, 'drivers', 'c.ts'), "export { type A } from './hal/a.js';\n");
  await writeFile(join(dir, 'drivers', 'd.ts'), "import { load } from './hal/b.js';\nvoid load;\n");
  t.same(findCycles(importGraph(dir)), [['drivers/c.ts', 'drivers/hal/a.ts', 'drivers/hal/b.ts']]);
});

t.test('the repo has no import cycle', async (t) => {
  const { importGraph, findCycles } = await cycleChecker();
  const graph = importGraph(root);
  t.ok(graph.has('drivers/hal/types.ts'), 'the graph covers the sources');
  t.same(findCycles(graph), []);
});
