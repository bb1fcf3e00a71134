// The config file schema's check (StrictFileSchema: every section but the roles' own) that the
// bundle carries generated at build time (firmware/config/strict-check-code.ts) judges every
// config exactly as the check TypeBox compiles at run time: the same verdict and the same errors, over the whole config corpus
// (right and wrong files), the example configs and their defaulted forms.
import t from 'tap';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { StrictFileSchema } from '../../firmware/config/file-schema.js';
import { strictCheckModule } from '../../firmware/config/strict-check-code.js';
import type { SchemaCheck } from '../../firmware/config/schema-problems.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIST = fileURLToPath(new URL('../../', import.meta.url));

async function jsonFiles(dir: string): Promise<[string, unknown][]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: [string, unknown][] = [];
  for (const f of files) {
    try {
      out.push([f, JSON.parse(await readFile(join(dir, f), 'utf8'))]);
    } catch {
      // not JSON on purpose (a corpus case of its own): no schema sees it
    }
  }
  return out;
}

t.test('the generated check agrees with TypeBox compiling the schema at run time', async (t) => {
  // Inside dist/, so the generated module's '@sinclair/typebox' imports resolve as in the bundle.
  const dir = await mkdtemp(join(DIST, '.strict-check-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'strict-check.mjs');
  await writeFile(file, strictCheckModule(pathToFileURL(join(DIST, 'firmware/config/file-schema.js')).href));
  const generated = ((await import(pathToFileURL(file).href)) as { strictConfigCheck(): SchemaCheck }).strictConfigCheck();
  const compiled = TypeCompiler.Compile(StrictFileSchema);

  const configs = [...(await jsonFiles(join(ROOT, 'test/firmware/config-corpus'))), ...(await jsonFiles(join(ROOT, 'provisioning/examples')))];
  t.ok(configs.length > 60, `${configs.length} configs`);
  let passing = 0;
  for (const [name, raw] of configs) {
    for (const [how, value] of [['as written', raw], ['defaulted', Value.Default(StrictFileSchema, structuredClone(raw))]] as const) {
      const verdict = compiled.Check(value);
      if (verdict) passing++;
      t.equal(generated.Check(value), verdict, `${name} ${how}: same verdict`);
      const errors = (c: SchemaCheck) => [...c.Errors(value)].map((e) => `${e.path} ${e.type} ${e.message}`);
      t.same(errors(generated), errors(compiled), `${name} ${how}: same errors`);
    }
  }
  t.ok(passing > 0 && passing < configs.length * 2, 'both right and wrong configs were judged');
});
