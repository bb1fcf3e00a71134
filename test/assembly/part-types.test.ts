// Every place a HAL part type must appear, derived from its one record (PART_TYPES in
// assembly/part-types.ts). docs/architecture.md, "Adding a HAL part type", is this test in
// prose: a new record whose files or docs are missing fails here, naming what is missing.
// Lock-board families have their own (test/drivers/lock-board/families.test.ts) and roles theirs
// (test/roles/role-registry.test.ts); the demo's use of both is checked here too.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IoConfigSchema, PART_SECTIONS, PART_TYPES, type PartType } from '../../assembly/part-types.js';
import { parseIoConfig, resolveIo } from '../../assembly/resolve-io.js';
import { createSimHal } from '../../assembly/create-hal.js';
import { loadBoard } from '../../boards/index.js';
import { ConfigSchema } from '../../firmware/config/schema.js';
import { DEMO_DEVICES } from '../../firmware/hall/demo-devices.js';
import { SERIAL_LOCK_BOARD_PROTOCOLS } from '../../drivers/lock-board/families.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');
const record = (section: string): PartType => PART_TYPES[section as keyof typeof PART_TYPES] as PartType;

t.test('code: the io schema, the Hal and the not-configured answers follow the records', async (t) => {
  t.same(Object.keys(IoConfigSchema.properties).filter((k) => k !== 'speaker' && k !== 'firmata'), PART_SECTIONS, 'IoConfigSchema has one section per record');
  const deviceIo = (ConfigSchema.properties as Record<string, { properties?: Record<string, unknown> }>)['io'];
  t.same(Object.keys(deviceIo?.properties ?? {}).sort(), Object.keys(IoConfigSchema.properties).sort(), "the device config's io section is the registry's");
  const hal = await createSimHal({ board: 'sim' });
  t.teardown(() => hal.close());
  const described = Object.keys(hal.describe()).filter((k) => k !== 'lockBoardLocks');
  for (const key of described) t.ok(PART_SECTIONS.includes(key as never), `Hal.describe() section ${key} has a record`);
  for (const section of PART_SECTIONS) {
    const { halMethod, opened, openedBy } = record(section);
    if (halMethod) {
      t.equal(typeof (hal as unknown as Record<string, unknown>)[halMethod], 'function', `${section}: Hal.${halMethod}()`);
      t.ok(described.includes(section) || section === 'idCardReaders', `${section}: in Hal.describe()`);
      // Asking for a part the config does not have names the section, whichever way it opens.
      const err = await (async () => (hal as unknown as Record<string, (n: string) => unknown>)[halMethod]?.call(hal, 'nope'))().then(
        () => undefined,
        (e: unknown) => e,
      );
      t.match(err, { code: 'NOT_CONFIGURED', message: new RegExp(`io\\.${section}`) }, `${section}: an unknown name is NOT_CONFIGURED in io.${section}`);
    }
    t.ok(opened !== undefined || (openedBy ?? '').length > 0, `${section}: opened by its record, or says who opens it`);
  }
});

t.test('files: each record names a simulator the sim board wires in, and its contract suite', async (t) => {
  const simHal = read('simulators/hal/sim-hal.ts');
  for (const section of PART_SECTIONS) {
    const { simulator, contract } = record(section);
    t.ok(existsSync(join(REPO, simulator)), `${section}: ${simulator} exists`);
    const specifier = relative(dirname(join(REPO, 'simulators/hal/sim-hal.ts')), join(REPO, simulator)).replace(/\.ts$/, '.js');
    t.ok(simHal.includes(`'${specifier.startsWith('.') ? specifier : `./${specifier}`}'`), `${section}: simulators/hal/sim-hal.ts imports ${simulator}`);
    if (contract) {
      t.ok(existsSync(join(REPO, contract)), `${section}: ${contract} exists`);
      t.ok(existsSync(join(REPO, contract.replace(/\.test\.ts$/, '.ts'))), `${section}: the suite beside ${contract}`);
    }
  }
});

t.test('words: every part type is documented where installers and maintainers read', async (t) => {
  const hardware = read('docs/hardware.md').split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
  const readme = read('README.md');
  const ioSection = readme.slice(readme.indexOf('### The `io` section'), readme.indexOf('\n## ', readme.indexOf('### The `io` section')));
  for (const section of PART_SECTIONS) {
    for (const heading of record(section).hardware) t.ok(hardware.includes(heading), `${section}: docs/hardware.md has "## ${heading}"`);
    t.ok(ioSection.includes(`\`${section}\``), `${section}: README "The \`io\` section" names \`${section}\``);
    t.ok(record(section).description.length > 0, `${section}: described for the JSON Schema`);
  }
  const architecture = read('docs/architecture.md');
  const checklist = architecture.slice(architecture.indexOf('## Adding a HAL part type'), architecture.indexOf('\n## ', architecture.indexOf('## Adding a HAL part type')));
  t.match(checklist, 'assembly/part-types.ts', 'docs/architecture.md, "Adding a HAL part type", starts from the record');
  t.match(checklist, 'test/assembly/part-types.test.ts', 'and names this test');
});

t.test('demo: every demo device has a config the HAL takes, on families and sections it knows', async (t) => {
  const board = await loadBoard('sim');
  for (const [role, demo] of Object.entries(DEMO_DEVICES)) {
    const devices = demo.devices ?? { [`${role}-1`]: {} };
    for (const [id, device] of Object.entries(devices)) {
      const io = { ...(demo.io ?? {}), ...(device.io ?? {}) } as Record<string, unknown>;
      for (const section of Object.keys(io)) t.ok(PART_SECTIONS.includes(section as never) || section === 'speaker' || section === 'firmata', `${id}: io.${section} has a record`);
      const resolved = resolveIo(board, parseIoConfig(io));
      for (const lockBoard of resolved.lockBoards) t.ok(SERIAL_LOCK_BOARD_PROTOCOLS.includes(lockBoard.protocol), `${id}: lock board ${lockBoard.name} is a known family`);
    }
  }
});
