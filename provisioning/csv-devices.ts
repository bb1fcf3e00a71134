// The installer's CSV of devices: a header line naming the columns (hall, device, roles, board
// required; broker, extra optional), then one device per line. Every row is checked and each
// bad one reported with its line number; quoted fields ("a,b") follow RFC 4180.
import { dirname, resolve } from 'node:path';
import { specProblems, type DeviceSpec } from './device-spec.js';
import { readExtraFileSync } from './extra-file.js';

const REQUIRED = ['hall', 'device', 'roles', 'board'] as const;
const OPTIONAL = ['broker', 'extra'] as const;

export interface CsvRow {
  line: number;
  spec: DeviceSpec;
}

export interface CsvResult {
  rows: CsvRow[];
  /** `file:line: message`, one per bad row. */
  problems: string[];
}

/** Splits CSV text into records with the line each starts on (a quoted field may span lines). */
export function csvRecords(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (any || field !== '') out.push({ line: start, fields: [...fields, field] });
      fields = [];
      field = '';
      any = false;
      line++;
      start = line;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || field !== '') out.push({ line: start, fields: [...fields, field] });
  return out;
}

export function parseDevicesCsv(text: string, file: string, defaults: { brokerUrl: string }): CsvResult {
  const problems: string[] = [];
  const records = csvRecords(text).filter((r) => !(r.fields[0] ?? '').trimStart().startsWith('#'));
  const header = records.shift();
  if (!header) return { rows: [], problems: [`${file}: empty; expected a header line: ${REQUIRED.join(',')}`] };
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  for (const c of columns) if (![...REQUIRED, ...OPTIONAL].includes(c as never)) problems.push(`${file}:${header.line}: unknown column "${c}"; expected ${[...REQUIRED, ...OPTIONAL].join(', ')}`);
  for (const c of REQUIRED) if (!columns.includes(c)) problems.push(`${file}:${header.line}: missing column "${c}"`);
  if (problems.length > 0) return { rows: [], problems };
  const rows: CsvRow[] = [];
  const seen = new Map<string, number>();
  for (const r of records) {
    const where = `${file}:${r.line}`;
    if (r.fields.length !== columns.length) {
      problems.push(`${where}: expected ${columns.length} fields (${columns.join(',')}), found ${r.fields.length}`);
      continue;
    }
    const get = (c: string) => (r.fields[columns.indexOf(c)] ?? '').trim();
    const extraPath = get('extra');
    let extra: Record<string, unknown> | undefined;
    if (extraPath !== '') {
      try {
        // Never echoes the file: its errors name it and say what is wrong (extra-file.ts).
        extra = readExtraFileSync(resolve(dirname(file), extraPath), extraPath);
      } catch (err) {
        problems.push(`${where}: extra: ${(err as Error).message}`);
        continue;
      }
    }
    const spec: DeviceSpec = {
      hall: get('hall'),
      device: get('device'),
      roles: get('roles').split(/[;\s]+/).filter((x) => x !== '' && x !== 'sys'),
      board: get('board'),
      brokerUrl: get('broker') || defaults.brokerUrl,
      ...(extra ? { extra } : {}),
    };
    const bad = specProblems(spec);
    if (bad.length > 0) {
      problems.push(`${where}: ${bad.join('; ')}`);
      continue;
    }
    // Device ids are broker accounts: unique across the whole file, not only within a hall.
    const first = seen.get(spec.device);
    if (first !== undefined) {
      problems.push(`${where}: device "${spec.device}" already on line ${first} (device ids are broker accounts: unique on one broker)`);
      continue;
    }
    seen.set(spec.device, r.line);
    rows.push({ line: r.line, spec });
  }
  return { rows, problems };
}
