// The lint rule that keeps firmware on injected time: code in firmware/ that reads the wall
// clock or sets a global timer fails `npm run lint`; the same code passes outside firmware/
// and in the entry point, and parsing a date is fine. Runs the project's real eslint.config.js.
import t from 'tap';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

// These rules need no type information; without it eslint can lint text at paths that do not
// exist (the type-aware project service only knows files on disk).
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId ?? 'parse'}`);
}

const READS_TIME = [
  "import { globalTimers } from '../../drivers/clock/timers.js';",
  'export const a = Date.now();',
  'export const b = new Date();',
  'export const c = setTimeout(() => undefined, 1);',
  'export const d = globalThis.setInterval(() => undefined, 1);',
  'export const e = performance.now();',
  'export const f = globalTimers;',
].join('\n');

t.test('a role that reads the wall clock or sets a global timer fails lint, line by line', async (t) => {
  t.same(await problems(READS_TIME, 'firmware/roles/throwaway-time.ts'), [
    '1:no-restricted-syntax',
    '2:no-restricted-properties',
    '3:no-restricted-syntax',
    '4:no-restricted-globals',
    '5:no-restricted-properties',
    '6:no-restricted-properties',
  ]);
});

t.test('firmware may parse dates and use injected timers', async (t) => {
  const code = [
    "import type { Timers } from '../../drivers/clock/timers.js';",
    "export const day = new Date('2026-01-01T00:00:00Z').getUTCDay();",
    'export function later(timers: Timers, fn: () => void) { return timers.setTimeout(fn, 10); }',
  ].join('\n');
  t.same(await problems(code, 'firmware/roles/throwaway-time.ts'), []);
});

t.test('the entry points and code outside firmware/ may use the real clock and timers', async (t) => {
  const code = 'export const a = Date.now();\nexport const c = setTimeout(() => undefined, 1);';
  t.same(await problems(code, 'firmware/cli.ts'), []);
  t.same(await problems(code, 'firmware/daemon.ts'), []);
  t.same(await problems(code, 'simulators/hall/throwaway-time.ts'), []);
});
