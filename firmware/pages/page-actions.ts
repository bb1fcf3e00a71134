// A page's actions: POST /api/<name> with a small JSON object body, checked against the
// action's TypeBox schema before the role sees it. Every mistake names what was wrong, one
// field at a time, in the order of the schema: the page's author reads it in the log, a
// curious visitor with devtools reads it in the answer.
import type { IncomingMessage } from 'node:http';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { PageRequestError } from './page-errors.js';

export interface PageAction<S extends TObject = TObject> {
  /** The body: a closed object (a field the schema does not name is refused). A field's `description` completes "field x: expected …". */
  readonly input: S;
  /** The answer, sent as JSON with status 200. Throw badInput() for a check the schema cannot state; anything else thrown is a 500. */
  run(input: Static<S>): Promise<unknown>;
  /** Fields for the log line after a run (no personal data). */
  logFields?(input: Static<S>, result: unknown): Record<string, unknown>;
}

/** Declares an action with its input type inferred from the schema. */
export function pageAction<S extends TObject>(
  input: S,
  run: (input: Static<S>) => Promise<unknown>,
  logFields?: (input: Static<S>, result: unknown) => Record<string, unknown>,
): PageAction<S> {
  return logFields === undefined ? { input, run } : { input, run, logFields };
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();
function checker(schema: TSchema): TypeCheck<TSchema> {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** The body as the action's input, or a 400 PageRequestError naming the first wrong field. */
export function checkInput<S extends TObject>(schema: S, body: unknown): Static<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PageRequestError(400, `body must be a JSON object, not ${kindOf(body)}`);
  }
  const fields = Object.keys(schema.properties);
  const unknown = Object.keys(body).find((key) => !fields.includes(key));
  if (unknown !== undefined) throw new PageRequestError(400, `unknown field ${unknown}; expected only ${fields.join(', ')}`);
  const record = body as Record<string, unknown>;
  const required = schema.required ?? [];
  for (const [name, field] of Object.entries(schema.properties) as [string, TSchema][]) {
    const value = record[name];
    if (value === undefined) {
      if (required.includes(name)) throw new PageRequestError(400, `field ${name} is missing`);
      continue;
    }
    const check = checker(field);
    if (!check.Check(value)) {
      const expected = typeof field.description === 'string' ? field.description : (check.Errors(value).First()?.message ?? 'another value').replace(/^Expected /, '');
      throw new PageRequestError(400, `field ${name}: expected ${expected}`);
    }
  }
  // Rules across fields, if the schema has any.
  const whole = checker(schema);
  if (!whole.Check(body)) {
    const first = whole.Errors(body).First();
    throw new PageRequestError(400, `body: ${first?.path ?? ''} ${first?.message ?? 'does not match'}`.replace(/\s+/g, ' '));
  }
  return body as Static<S>;
}

/**
 * The request's JSON body, at most `maxBytes`. A declared length over the limit is refused
 * before reading; a streamed body is cut off at the limit (the connection closes after the 413).
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    throw new PageRequestError(415, `body must be application/json, not ${type}`);
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) throw new PageRequestError(413, `body is ${declared} bytes; at most ${maxBytes} accepted`, { Connection: 'close' });
  const data = await new Promise<Buffer>((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      if (err) fail(err);
      else ok(Buffer.concat(chunks));
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return; // the rest of a refused body is read and dropped
      size += chunk.length;
      if (size > maxBytes) finish(new PageRequestError(413, `body is over ${maxBytes} bytes`, { Connection: 'close' }));
      else chunks.push(chunk);
    });
    req.on('end', () => finish(null));
    // A client that hangs up mid-body ('aborted', ECONNRESET) is the client's doing: one debug line, no stack.
    // 'close' also follows every whole body: no error is built then (capturing its stack costs each POST).
    const wentAway = () => {
      if (!done) finish(new PageRequestError(400, 'the client went away before sending the whole body'));
    };
    req.on('error', wentAway);
    req.on('close', wentAway);
  });
  const text = data.toString('utf8');
  if (text.trim() === '') throw new PageRequestError(400, 'body is empty; expected a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new PageRequestError(400, `body is not valid JSON: ${(err as Error).message}`);
  }
}
