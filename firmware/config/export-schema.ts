// `halld config schema`: the config file's JSON Schema for editors and other languages'
// validators. TypeBox writes draft-07-style schemas that also serve validation inside
// halld; this turns a copy into a JSON Schema 2020-12 document that says what the file
// accepts: fields with defaults are optional, unknown keys are refused (as the loader
// refuses them), tuples use prefixItems, enumerations are `enum`.
import { StrictConfigSchema } from './strict-schema.js';

export const CONFIG_SCHEMA_ID = 'https://halld.dev/schema/device-config.json';
const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

type Json = Record<string, unknown>;

export function exportedConfigSchema(): Json {
  const plain = JSON.parse(JSON.stringify(StrictConfigSchema)) as Json;
  const out = convert(plain) as Json;
  delete out['$id'];
  return { $schema: DIALECT, $id: CONFIG_SCHEMA_ID, ...out };
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = convert(v);

  // A field the loader fills from its default need not be written.
  const properties = out['properties'] as Record<string, Json> | undefined;
  if (properties && Array.isArray(out['required'])) {
    const required = (out['required'] as string[]).filter((name) => properties[name]?.['default'] === undefined);
    if (required.length > 0) out['required'] = required;
    else delete out['required'];
  }
  // Draft-07 tuples (items: [..], additionalItems) are 2020-12's prefixItems + items: false.
  if (Array.isArray(out['items'])) {
    out['prefixItems'] = out['items'];
    out['items'] = out['additionalItems'] ?? false;
    delete out['additionalItems'];
  }
  // A union of constants is an enumeration: editors offer its values.
  const anyOf = out['anyOf'];
  if (Array.isArray(anyOf) && anyOf.length > 0 && anyOf.every((o) => typeof o === 'object' && o !== null && 'const' in o)) {
    const values = anyOf.map((o) => (o as Json)['const']);
    const types = [...new Set(values.map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v)))];
    delete out['anyOf'];
    out['type'] = types.length === 1 ? types[0] : types.includes('integer') && types.includes('number') && types.length === 2 ? 'number' : types;
    out['enum'] = values;
  }
  if (out['type'] === 'object' && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}
