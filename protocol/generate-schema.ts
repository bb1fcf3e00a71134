// Writes one JSON Schema file per protocol message (and the device config) to
// protocol/schema/, from the same TypeBox source the code uses. `npm run schema`; a test
// fails when the checked-in files are out of date.
import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MESSAGE_SCHEMAS } from './messages.js';

export function schemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, schema] of Object.entries(MESSAGE_SCHEMAS)) {
    const doc = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema, $id: `https://halld.dev/schema/v1/${name}.json` };
    files.set(`${name}.json`, `${JSON.stringify(doc, null, 2)}\n`);
  }
  return files;
}

export const SCHEMA_DIR = fileURLToPath(new URL('../../protocol/schema/', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await mkdir(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of schemaFiles()) await writeFile(join(SCHEMA_DIR, name), text);
  process.stdout.write(`wrote ${schemaFiles().size} schemas to ${SCHEMA_DIR}\n`);
}
