// A statement with its parameters written into its text, for the commit queue's one-trip
// transaction (commit-queue.ts): sqlite3 takes one connection's statements to libuv's thread
// pool one call at a time, and only exec() runs several statements in one call, without
// parameters. Every value becomes the literal SQLite would have stored from the binding
// (node-sqlite3 binds a string as TEXT, a 32-bit integer as INTEGER, any other number as
// REAL, a Buffer as BLOB). Whatever cannot be written exactly (a fraction, a number beyond
// 2^53, a bigint, a named or numbered parameter, a `;` between statements) gives undefined,
// and the caller runs the statement the ordinary way with its parameters bound.
import type { Params, SqlValue } from './sqlite.js';

/** The literal for one bound value, or undefined when it has none that is exact. */
export function sqlLiteral(value: SqlValue): string | undefined {
  if (value === null) return 'NULL';
  if (typeof value === 'string') {
    // A NUL would end the C string exec() hands SQLite: such text goes as hex, cast back to TEXT.
    if (value.includes('\0')) return `CAST(X'${Buffer.from(value, 'utf8').toString('hex')}' AS TEXT)`;
    return `'${value.replaceAll("'", "''")}'`;
  }
  if (typeof value === 'number') {
    // node-sqlite3 binds a number as INTEGER only when it is a 32-bit integer, else as REAL.
    if ((value | 0) === value) return String(value | 0);
    // An integral REAL below 2^53 is exact in decimal; SQLite reads it back as the same REAL.
    if (Number.isSafeInteger(value)) return `${value}.0`;
    return undefined;
  }
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  return undefined;
}

/** `sql` with each `?` replaced by its parameter's literal; undefined when that cannot be exact. */
export function inlineParams(sql: string, params: Params): string | undefined {
  let out = '';
  let from = 0;
  let next = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const closer = c === "'" || c === '"' || c === '`' ? c : c === '[' ? ']' : undefined;
    if (closer !== undefined) {
      // A doubled quote inside a literal ends one literal and starts the next: the same text.
      const end = sql.indexOf(closer, i + 1);
      if (end < 0) return undefined;
      i = end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (c === '?') {
      if (/[0-9]/.test(sql[i + 1] ?? '') || next >= params.length) return undefined;
      const literal = sqlLiteral(params[next++] as SqlValue);
      if (literal === undefined) return undefined;
      out += sql.slice(from, i) + literal;
      i += 1;
      from = i;
    } else if (c === ':' || c === '@' || c === '$' || c === ';') {
      // Named parameters, or a second statement exec() would run and run() would not.
      return undefined;
    } else {
      i += 1;
    }
  }
  if (next !== params.length) return undefined;
  return out + sql.slice(from);
}
