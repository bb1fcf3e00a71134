// What to say when a value fits none of a union's shapes. TypeBox says "Expected union value"
// at the union's path; a person needs the field that decides the shape and the values it may
// take (`/mode: missing; expected one of "reissue" (...), "reprint" (...)`), or, once the
// value has picked a shape, what is wrong inside that shape.
import type { TSchema } from '@sinclair/typebox';
import { Errors, ValueErrorType, type ValueError } from '@sinclair/typebox/errors';

type Node = TSchema & { anyOf?: Node[]; properties?: Record<string, Node>; const?: unknown; description?: string; type?: unknown };

function found(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function join(path: string, key: string): string {
  return `${path === '/' ? '' : path}/${key}`;
}

/** A literal with its description, when it has one: `"reprint" (print the last ticket again)`. */
function option(node: Node): string {
  return `${JSON.stringify(node.const)}${node.description !== undefined ? ` (${node.description})` : ''}`;
}

/** The property every variant fixes to a literal, if there is one. */
function discriminator(variants: Node[]): string | undefined {
  const first = variants[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((k) => variants.every((v) => v.properties?.[k] !== undefined && 'const' in (v.properties[k] as Node)));
}

/** The first `max` problems TypeBox found, each "path: what is wrong", with unions explained. */
export function readableErrors(errors: Iterable<ValueError>, max: number, prefix = ''): string[] {
  const out: string[] = [];
  // Stops at `max`: a large payload full of mistakes is not walked to its end.
  for (const e of errors) {
    if (out.length >= max) break;
    const path = `${prefix}${e.path}` || '/';
    out.push(...(e.type === ValueErrorType.Union ? unionProblems(e.schema as Node, e.value, path, max) : [`${path}: ${e.message}`]));
  }
  return out.slice(0, max);
}

function unionProblems(schema: Node, value: unknown, path: string, max: number): string[] {
  const variants = schema.anyOf ?? [];
  if (variants.length > 0 && variants.every((v) => 'const' in v)) return [`${path}: expected one of ${variants.map(option).join(', ')}, found ${found(value)}`];
  const key = discriminator(variants);
  if (key !== undefined) {
    const choices = variants.map((v) => v.properties?.[key] as Node);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object with "${key}", found ${found(value)}`];
    const picked = (value as Record<string, unknown>)[key];
    // The variant's own description tells what each value means.
    const listed = choices.map((c, i) => option({ ...c, description: c.description ?? variants[i]?.description } as Node)).join(', ');
    if (picked === undefined) return [`${join(path, key)}: missing; expected one of ${listed}`];
    const variant = variants.find((v) => (v.properties?.[key] as Node).const === picked);
    if (!variant) return [`${join(path, key)}: expected one of ${listed}, found ${found(picked)}`];
    return readableErrors(Errors(variant, value), max, path === '/' ? '' : path);
  }
  const shapes = variants.map((v) => v.description ?? (typeof v.type === 'string' ? v.type : 'a value')).join('; or ');
  return [`${path}: expected one of these shapes: ${shapes}; found ${found(value)}`];
}
