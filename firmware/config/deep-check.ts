// What `halld config check` knows beyond the schema: the board exists, the io section fits
// it (pins, one use per line and serial port, one transport per printer), and each role's
// section fits the parts (a button names a configured input, prefixes do not collide).
// Every problem comes back as one line, so an installer fixes them all in one go.
import { HalError } from '../../drivers/hal/types.js';
import type { DeviceConfig } from './schema.js';
import type { ConfigProblem } from './schema-problems.js';
import { loadRoleModules } from '../roles/load-role.js';
import type { PartNames } from '../roles/role-module.js';
import { pagePortProblems } from './page-ports.js';

// The part an io issue starts with, written as the assembly writes it ("io.lockBoards.cab-a.address: …"
// or "lockBoards.cab-a: …"). It becomes the problem's field, so a line has one path style: the pointer.
const IO_PART_PREFIX = /^(?:io\.)?((?:inputs|outputs|serial|i2c|printers|scanners|lockBoards|idCardReaders|matrices|expanders|displays|speaker|firmata)(?:\.[\w-]+)*): ([\s\S]*)$/;

function ioProblem(issue: string): ConfigProblem {
  const m = IO_PART_PREFIX.exec(issue);
  return m ? { field: `/io/${m[1]!.replaceAll('.', '/')}`, message: m[2]!, kind: 'config' } : { field: '/io', message: issue, kind: 'config' };
}

export async function deepConfigProblems(config: DeviceConfig): Promise<ConfigProblem[]> {
  const { loadBoard } = await import('../../assembly/load-board.js');
  const { parseIoConfig, resolveIo, IoConfigError } = await import('../../assembly/resolve-io.js');
  let parts: PartNames;
  try {
    const board = await loadBoard(config.board);
    const io = resolveIo(board, parseIoConfig(config.io));
    // Lines on an expander's pins and relay cabinets are parts like any other to a role.
    const expanders = io.expanders ?? [];
    const lockBoards = [...io.lockBoards.map((p) => ({ name: p.name, locks: p.locks })), ...(io.gpioLockBoards ?? []).map((p) => ({ name: p.name, locks: p.locks.length }))];
    parts = {
      inputs: [...io.inputs, ...expanders.flatMap((e) => e.inputs)].map((p) => p.name),
      outputs: [...io.outputs, ...expanders.flatMap((e) => e.outputs)].map((p) => p.name),
      serial: io.serial.map((p) => p.name),
      i2c: io.i2c.map((p) => p.name),
      printers: io.printers.map((p) => p.name),
      scanners: io.scanners.map((p) => p.name),
      lockBoards: lockBoards.map((p) => p.name),
      lockBoardLocks: Object.fromEntries(lockBoards.map((p) => [p.name, p.locks])),
      matrices: io.matrices.map((p) => p.name),
      displays: io.displays.map((p) => p.name),
      ...(io.idCardReaders ? { idCardReaders: io.idCardReaders.map((p) => p.name) } : {}),
    };
  } catch (err) {
    if (err instanceof IoConfigError) return err.issues.map(ioProblem);
    if (err instanceof HalError) return [{ field: '/board', message: err.message, kind: 'config' }];
    throw err;
  }
  const problems: ConfigProblem[] = [];
  // Only the manifests of the roles the config names (roles/load-role.ts).
  const modules = await loadRoleModules(Object.keys(config.roles));
  for (const module of modules) {
    const section = (config.roles as Record<string, unknown>)[module.role];
    if (section === undefined || !module.sectionProblems) continue;
    for (const p of module.sectionProblems(section, parts)) {
      // A role says "/buttons/0/input: no input ..."; the pointer becomes the field.
      const at = p.indexOf(': ');
      const pointer = at > 0 && p.startsWith('/') ? p.slice(0, at) : '';
      problems.push({ field: `/roles/${module.role}${pointer}`, message: pointer ? p.slice(at + 2) : p, kind: 'config' });
    }
  }
  problems.push(...pagePortProblems(config, modules));
  return problems;
}
