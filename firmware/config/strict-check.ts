// The check of the config file's schema (StrictFileSchema: every section but the roles' own),
// compiled by TypeBox. Compiling it (TypeCompiler generates tens of kB of JavaScript and
// evaluates it) cost every start ~25 ms, so the bundle a board runs carries it generated at
// build time instead: scripts/bundle.mjs replaces this module with strictCheckModule()'s
// output (strict-check-code.ts). Unbundled (tests from dist/) it is compiled here on first
// use, from the same schema, by the same compiler.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { SchemaCheck } from './schema-problems.js';
import { StrictFileSchema } from './file-schema.js';

let compiled: SchemaCheck | undefined;

export function strictConfigCheck(): SchemaCheck {
  compiled ??= TypeCompiler.Compile(StrictFileSchema);
  return compiled;
}
