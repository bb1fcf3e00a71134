// Everything wrong with a locker section that its schema cannot see: each door's board exists
// in io.lockBoards and has the lock, no lock serves two doors, no door number twice.
import type { PartNames } from '../role-module.js';
import type { LockerConfig } from './config.js';

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
  return problems;
}
