// Writes one JSON Schema file per protocol message and per role contract entry to
// protocol/schema/, from the same TypeBox source the code uses. `npm run schema`; a test
// fails when the checked-in files are out of date.
import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { MESSAGE_SCHEMAS } from './messages.js';
import { contractEntries } from './contract.js';
import { CONTRACTS } from './contracts.js';

export function schemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const groups: [string, Record<string, TSchema>][] = [['', MESSAGE_SCHEMAS]];
  // Each role's contract, one folder per role (file names: contractEntries).
  for (const contract of Object.values(CONTRACTS)) groups.push([`${contract.role}/`, Object.fromEntries(contractEntries(contract).map((e) => [e.file, e.schema]))]);
  for (const [folder, schemas] of groups) {
    for (const [name, schema] of Object.entries(schemas)) {
      const doc = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema, $id: `https://halld.dev/schema/v1/${folder}${name}.json` };
      files.set(`${folder}${name}.json`, `${JSON.stringify(doc, null, 2)}\n`);
    }
  }
  return files;
}

export const SCHEMA_DIR = fileURLToPath(new URL('../../protocol/schema/', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of schemaFiles()) {
    await mkdir(dirname(join(SCHEMA_DIR, name)), { recursive: true });
    await writeFile(join(SCHEMA_DIR, name), text);
  }
  process.stdout.write(`wrote ${schemaFiles().size} schemas to ${SCHEMA_DIR}\n`);
}
