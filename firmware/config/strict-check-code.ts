// The source of the module that replaces strict-check.ts in the bundle: the same TypeBox
// check of StrictFileSchema, generated once at build time (TypeCompiler.Code) instead of at
// every start. Its errors still come from TypeBox's Errors() over the schema, exactly as a
// compiled TypeCheck's Errors() does, so every config problem reads the same.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { StrictFileSchema } from './file-schema.js';

/**
 * ES module text exporting `strictConfigCheck()`, as strict-check.ts does.
 * `schemaImport` is the specifier the generated module imports StrictFileSchema from.
 */
export function strictCheckModule(schemaImport: string): string {
  const code = TypeCompiler.Code(StrictFileSchema, [], { language: 'javascript' });
  // Custom kinds need the compiler's own instance table: refuse to generate rather than check wrongly.
  if (/\bkind\(/.test(code)) throw new Error('StrictFileSchema uses a custom TypeBox kind: its check cannot be generated ahead of time');
  return `// Generated at build time from StrictFileSchema (firmware/config/strict-check-code.ts); do not edit.
import { FormatRegistry } from '@sinclair/typebox';
import { Errors } from '@sinclair/typebox/errors';
import { Hash } from '@sinclair/typebox/value';
import { StrictFileSchema } from ${JSON.stringify(schemaImport)};
const kind = () => false;
const format = (name, value) => FormatRegistry.Has(name) && FormatRegistry.Get(name)(value);
const hash = (value) => Hash(value);
const check = (function (kind, format, hash) {
${code}
})(kind, format, hash);
const strictCheck = { Check: check, Errors: (value) => Errors(StrictFileSchema, [], value) };
export function strictConfigCheck() {
  return strictCheck;
}
`;
}
