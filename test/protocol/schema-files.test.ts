import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { schemaFiles, SCHEMA_DIR } from '../../protocol/generate-schema.js';

t.test('checked-in JSON Schemas match the TypeBox source (run `npm run schema`)', async (t) => {
  for (const [name, text] of schemaFiles()) {
    const onDisk = await readFile(join(SCHEMA_DIR, name), 'utf8').catch(() => '(missing)');
    t.equal(onDisk, text, name);
  }
});
