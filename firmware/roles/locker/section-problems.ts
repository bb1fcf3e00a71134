// Everything wrong with a locker section that its schema cannot see: each door's board exists
// in io.lockBoards and has the lock, no lock serves two doors, no door number twice; every
// keypad key is an io.inputs line and no line is two keys.
import type { PartNames } from '../role-module.js';
import type { LockerConfig, LockerKeypadConfig } from './config.js';

export function lockerSectionProblems(config: LockerConfig, parts: PartNames): string[] {
  const problems: string[] = [];
  const doors = new Map<number, number>();
  const locks = new Map<string, number>();
  for (const [i, d] of config.doors.entries()) {
    const at = `/doors/${i}`;
    const sameDoor = doors.get(d.door);
    if (sameDoor !== undefined) problems.push(`${at}/door: door ${d.door} is already /doors/${sameDoor}`);
    doors.set(d.door, i);
    if (!parts.lockBoards.includes(d.board)) {
      problems.push(`${at}/board: no lock board "${d.board}" in io.lockBoards (have ${parts.lockBoards.join(', ') || 'none'})`);
      continue;
    }
    const count = parts.lockBoardLocks?.[d.board];
    if (count !== undefined && d.lock > count) problems.push(`${at}/lock: board "${d.board}" has locks 1-${count}, not ${d.lock}`);
    const key = `${d.board}/${d.lock}`;
    const sameLock = locks.get(key);
    if (sameLock !== undefined) problems.push(`${at}/lock: lock ${d.lock} of board "${d.board}" already opens door ${config.doors[sameLock]?.door ?? '?'} (/doors/${sameLock})`);
    locks.set(key, i);
  }
  if (config.scanner !== undefined && !parts.scanners.includes(config.scanner))
    problems.push(`/scanner: no scanner "${config.scanner}" in io.scanners (have ${parts.scanners.join(', ') || 'none'})`);
  if (config.idCardReader !== undefined && !(parts.idCardReaders ?? []).includes(config.idCardReader))
    problems.push(`/idCardReader: no reader "${config.idCardReader}" in io.idCardReaders (have ${(parts.idCardReaders ?? []).join(', ') || 'none'})`);
  if (config.keypad !== undefined) problems.push(...keypadProblems(config.keypad, parts));
  return problems;
}

function keypadProblems(keypad: LockerKeypadConfig, parts: PartNames): string[] {
  const problems: string[] = [];
  const used = new Map<string, string>();
  const keys: Array<[string, string]> = [...keypad.digits.map((input, i): [string, string] => [`/keypad/digits/${i}`, input]), ['/keypad/clear', keypad.clear], ['/keypad/enter', keypad.enter]];
  for (const [at, input] of keys) {
    if (!parts.inputs.includes(input)) problems.push(`${at}: no input "${input}" in io.inputs (have ${parts.inputs.join(', ') || 'none'})`);
    const before = used.get(input);
    if (before !== undefined) problems.push(`${at}: input "${input}" is already ${before}; each key needs its own input`);
    else used.set(input, at);
  }
  return problems;
}
