// Says what is wrong with a config file that is not JSON, in the terms of the mistake a person
// makes while editing one by hand (a comma after the last entry, quotes a word processor made
// curly, punctuation typed with a Chinese input method, a comment), at the line and column to
// fix. V8's own message ("Unexpected token", "Expected double-quoted property name") is the
// fallback.
import { jsonErrorOffset } from '../../protocol/json-error-position.js';

/** Characters that look like JSON's own but are not, and the one JSON needs instead. */
const LOOKALIKES: Record<string, { ascii: string; what: string }> = {
  '\u201c': { ascii: '"', what: 'curly quote' },
  '\u201d': { ascii: '"', what: 'curly quote' },
  '\u2018': { ascii: '"', what: 'curly quote' },
  '\u2019': { ascii: '"', what: 'curly quote' },
  '\u201e': { ascii: '"', what: 'curly quote' },
  '\uff02': { ascii: '"', what: 'full-width quote' },
  '\uff1a': { ascii: ':', what: 'full-width colon' },
  '\uff0c': { ascii: ',', what: 'full-width comma' },
  '\uff5b': { ascii: '{', what: 'full-width brace' },
  '\uff5d': { ascii: '}', what: 'full-width brace' },
  '\uff3b': { ascii: '[', what: 'full-width bracket' },
  '\uff3d': { ascii: ']', what: 'full-width bracket' },
};

function lineColumn(text: string, pos: number): string {
  const before = text.slice(0, pos);
  return `line ${before.split('\n').length}, column ${pos - before.lastIndexOf('\n')}`;
}

/** The mistake at `pos`, when it is one a person makes by hand. */
function mistakeAt(text: string, pos: number): string | undefined {
  const c = text[pos] ?? '';
  if (c === '}' || c === ']') {
    let back = pos - 1;
    while (back >= 0 && ' \t\r\n'.includes(text[back] as string)) back--;
    if (text[back] === ',') return `trailing comma at ${lineColumn(text, back)}: JSON allows no comma after the last entry of an object or array; remove it`;
  }
  const look = LOOKALIKES[c];
  if (look) {
    const how = look.what.startsWith('curly') ? 'a word processor or "smart quotes" makes these' : 'switch the input method to half-width (English) punctuation';
    return `${look.what} ${c} at ${lineColumn(text, pos)}: JSON needs the plain ASCII ${look.ascii} (${how})`;
  }
  if (c === "'") return `single quote at ${lineColumn(text, pos)}: JSON needs double quotes (") around names and text`;
  if (c === '/' && (text[pos + 1] === '/' || text[pos + 1] === '*')) return `comment at ${lineColumn(text, pos)}: JSON has no comments; remove it`;
  return undefined;
}

export function describeJsonError(text: string, err: Error): string {
  const pos = jsonErrorOffset(text);
  const reason = err.message.replace(/ in JSON at position \d+.*$/, '').replace(/, .*is not valid JSON$/s, '');
  if (pos === undefined) return reason;
  return mistakeAt(text, pos) ?? `${reason} at ${lineColumn(text, pos)}`;
}
