// Every schema mistake in a config, one problem each, worded for the person who wrote the
// file: the field as a JSON pointer, what was expected (allowed values listed, a near miss
// named) and what was found. TypeBox finds them; this file only says them well.
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { didYouMean } from './did-you-mean.js';

export interface ConfigProblem {
  /** JSON pointer of the field ("" for the whole file). */
  field: string;
  message: string;
  /** What kind of fix it needs: the file, or the data directory on the board. */
  kind: 'config' | 'data-dir';
}

type SchemaNode = TSchema & {
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  const?: unknown;
  description?: string;
  pattern?: string;
};

/** What schemaProblems needs of a compiled schema: TypeBox's TypeCheck, or one generated at build time (strict-check.ts). */
export interface SchemaCheck {
  Check(value: unknown): boolean;
  Errors(value: unknown): Iterable<ValueError>;
}

const compiled = new WeakMap<TSchema, SchemaCheck>();

/**
 * `original` is the value as written, before defaults were filled in (TypeBox's Default turns
 * an array where an object belongs into an object). `given` is `schema`'s check when the
 * caller already has one compiled; otherwise it is compiled here once.
 */
export function schemaProblems(schema: TSchema, value: unknown, original: unknown = value, given?: SchemaCheck): ConfigProblem[] {
  let check = given ?? compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  if (check.Check(value)) return [];
  const errors = [...check.Errors(value)];
  // A misspelt required key shows up twice (unknown "datadir", missing "dataDir"): say it once.
  const meant = new Set<string>();
  for (const e of errors) {
    if (e.type !== ValueErrorType.ObjectAdditionalProperties) continue;
    const guess = unknownKeyGuess(e);
    if (guess) meant.add(`${parentPath(e.path)}/${guess}`);
  }
  const problems: ConfigProblem[] = [];
  const reported: string[] = [];
  for (const e of errors) {
    let path = e.path || '/';
    let message: string | undefined;
    // An array where an object belongs shows up as unknown keys "0", "1": say what it is.
    if (e.type === ValueErrorType.ObjectAdditionalProperties && Array.isArray(valueAt(original, parentPath(path)))) {
      path = parentPath(path);
      message = `expected an object ({...}), found ${found(valueAt(original, path))}`;
    }
    // A union of objects told apart by one key ("protocol": "8a80" | "gpio"): say which key
    // is wrong, or what is wrong inside the option it chose, not "expected an object or an object".
    if (e.type === ValueErrorType.Union) {
      const chosen = discriminatedProblem(e);
      if (chosen) {
        path = chosen.path;
        message = chosen.message;
      }
    }
    // One line per field; nothing more about what lies inside a field already refused.
    if (reported.some((r) => path === r || path.startsWith(`${r === '/' ? '' : r}/`))) continue;
    if (meant.has(path)) continue;
    reported.push(path);
    problems.push({ field: path, message: message ?? describe(e), kind: 'config' });
  }
  return problems;
}

/** The literal values a property schema allows: its const, or a union of consts. */
function literals(node: SchemaNode | undefined): unknown[] {
  if (!node) return [];
  if ('const' in node) return [node.const];
  return node.anyOf?.every((o) => 'const' in o) ? node.anyOf.map((o) => o.const) : [];
}

/**
 * For a union of object schemas that all carry one literal-valued key (the discriminator):
 * a value naming none of them is refused at that key; a value naming one is judged by that
 * option alone, so its first mistake is reported where it is.
 */
function discriminatedProblem(e: ValueError): { path: string; message: string } | undefined {
  const options = (e.schema as SchemaNode).anyOf;
  const value = e.value;
  if (!options || options.length < 2 || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(options[0]?.properties ?? {}).filter((k) => options.every((o) => literals(o.properties?.[k]).length > 0));
  const key = keys[0];
  if (key === undefined) return undefined;
  const given = (value as Record<string, unknown>)[key];
  const allowed = options.flatMap((o) => literals(o.properties?.[key]));
  const option = options.find((o) => literals(o.properties?.[key]).includes(given));
  const at = `${e.path}/${key}`;
  if (!option) {
    const names = allowed.map(String);
    if (given === undefined) return { path: at, message: `missing; expected one of ${names.join(', ')}` };
    const guess = typeof given === 'string' ? didYouMean(given, names) : undefined;
    return { path: at, message: `expected one of ${names.join(', ')}, found ${found(given)}${guess ? `; did you mean ${guess}?` : ''}` };
  }
  let check = compiled.get(option);
  if (!check) {
    check = TypeCompiler.Compile(option);
    compiled.set(option, check);
  }
  const [inner] = [...check.Errors(value)];
  return inner ? { path: `${e.path}${inner.path}`, message: describe(inner) } : undefined;
}

function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const key of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replaceAll('~1', '/').replaceAll('~0', '~');
}

function unknownKeyGuess(e: ValueError): string | undefined {
  const parent = e.schema as SchemaNode;
  return parent.properties ? didYouMean(lastKey(e.path), Object.keys(parent.properties)) : undefined;
}

function describe(e: ValueError): string {
  const schema = e.schema as SchemaNode;
  switch (e.type) {
    case ValueErrorType.ObjectAdditionalProperties: {
      if (schema.properties) {
        const guess = unknownKeyGuess(e);
        if (guess) return `unknown key "${lastKey(e.path)}", did you mean ${guess}?`;
        return `unknown key "${lastKey(e.path)}"; expected one of ${Object.keys(schema.properties).join(', ')}`;
      }
      const pattern = Object.keys(schema.patternProperties ?? {})[0];
      return `"${lastKey(e.path)}" is not an allowed name${pattern ? `; expected a name matching ${pattern}` : ''}`;
    }
    case ValueErrorType.ObjectRequiredProperty:
      return `missing; expected ${expectation(schema)}`;
    case ValueErrorType.Union:
      return `expected ${expectation(schema)}, found ${found(e.value)}`;
    case ValueErrorType.StringPattern:
      return `expected ${schema.description ?? `a string matching ${schema.pattern ?? '?'}`}, found ${found(e.value)}`;
    default:
      return `${e.message.replace(/^Expected/, 'expected')}, found ${found(e.value)}`;
  }
}

/** "one of system, beacon", or the field's own description, or its type. */
function expectation(schema: SchemaNode): string {
  const options = schema.anyOf;
  if (options && options.length > 0 && options.every((o) => 'const' in o)) return `one of ${options.map((o) => String(o.const)).join(', ')}`;
  if (schema.description) return schema.description;
  if (options) return options.map((o) => expectation(o)).join(' or ');
  const type = (schema as { type?: unknown }).type;
  return typeof type === 'string' ? `a${/^[aeiou]/.test(type) ? 'n' : ''} ${type}` : 'a value';
}

export function found(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
