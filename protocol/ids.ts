// Message ids: time-ordered and unique without coordination (a server and many devices make them).
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** `<ms base36>-<counter base36>-<random>`: sortable within a process, unique across processes. */
export function newId(prefix = ''): string {
  const ms = Date.now();
  counter = ms === lastMs ? counter + 1 : 0;
  lastMs = ms;
  return `${prefix}${ms.toString(36)}-${counter.toString(36)}-${randomBytes(5).toString('hex')}`;
}
