// No text in a device config needs more than a few hundred characters (the longest are a PEM
// key and a notice); a string of megabytes is a paste gone wrong, and it would otherwise be
// carried into the state, the logs and the pages. Found before the schema, so the line names
// the field and the length instead of quoting it.
import type { ConfigProblem } from './schema-problems.js';

export const MAX_CONFIG_STRING_CHARS = 4096;

function pointerKey(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** One problem per string value longer than the limit, at its JSON pointer. */
export function longStringProblems(raw: unknown, max = MAX_CONFIG_STRING_CHARS): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // A loop with its own stack: the file may nest deeper than the call stack allows.
  const stack: [string, unknown][] = [['', raw]];
  while (stack.length > 0) {
    const [pointer, value] = stack.pop() as [string, unknown];
    if (typeof value === 'string') {
      if (value.length > max) problems.push({ field: pointer, message: `a string of ${value.length} characters; at most ${max} are accepted in a device config`, kind: 'config' });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([`${pointer}/${i}`, value[i]]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value).reverse()) stack.push([`${pointer}/${pointerKey(k)}`, v]);
    }
  }
  return problems;
}
