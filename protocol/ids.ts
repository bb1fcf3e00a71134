// Message ids: time-ordered and unique without coordination (a server and many devices make them).
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let counter = 0;

// Random bytes are drawn from the OS 4 KiB at a time: one draw per id cost a system call each,
// on every command a server sends and every event a device makes.
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}

/** `<ms base36>-<counter base36>-<random>`: sortable within a process, unique across processes. */
export function newId(prefix = ''): string {
  const ms = Date.now();
  counter = ms === lastMs ? counter + 1 : 0;
  lastMs = ms;
  return `${prefix}${ms.toString(36)}-${counter.toString(36)}-${randomHex(5)}`;
}
