// The broken-config corpus (test/firmware/config-corpus/*.json, one mistake each and a few
// with several) pins what a person sees: `halld config check` and `halld run` print exactly
// the lines in the matching .expected file (first line: the exit status), the same for both
// commands, and never a stack trace. HALLD_UPDATE_CORPUS=1 rewrites the .expected files
// from `config check` (review the diff before committing it).
import t from 'tap';
import { spawn } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';

const CORPUS = fileURLToPath(new URL('../../../test/firmware/config-corpus', import.meta.url));
/** Where this checkout keeps its board files (named in "no board" lines). */
const BOARDS = fileURLToPath(new URL('../../../boards', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
  return results;
}

function halld(args: string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HALLD_LOG: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    // 'close', not 'exit': the output may still be in the pipes when the process has exited.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// About 120 Node starts; on a shared 2-core machine under load they need more than the runner's 300 s.
t.setTimeout(900_000);

t.test('every broken config: the same lines from config check and run, exit status by kind', async (t) => {
  const dir = await tempDir(t, 'halld-corpus-');
  await cp(CORPUS, dir, { recursive: true });
  const cases = (await readdir(CORPUS)).filter((f) => f.endsWith('.json')).sort();
  t.ok(cases.length >= 30, `${cases.length} broken configs`);
  // Each run is mostly a Node start waiting for a CPU: run several at once, assert in order.
  const outcomes = await inPool(cases, 8, async (file) => ({ check: await halld(['config', 'check', file], dir), run: await halld(['run', '--config', file], dir) }));
  for (const [i, file] of cases.entries()) {
    const { check, run } = outcomes[i] as { check: Outcome; run: Outcome };
    const expectedFile = join(CORPUS, file.replace(/\.json$/, '.expected'));
    const got = `exit ${check.code}\n${check.stderr.replaceAll(dir, '<dir>').replaceAll(BOARDS, '<boards>')}`;
    if (process.env['HALLD_UPDATE_CORPUS'] === '1') await writeFile(expectedFile, got);
    const expected = await readFile(expectedFile, 'utf8');
    t.equal(got, expected, `${file}: config check prints the pinned lines`);
    t.equal(check.stdout, '', `${file}: nothing on stdout`);
    t.notMatch(check.stderr, /\n\s+at |internal error/, `${file}: no stack trace`);
    t.equal(`exit ${run.code}\n${run.stderr.replaceAll(dir, '<dir>').replaceAll(BOARDS, '<boards>')}`, expected, `${file}: run fails with the same lines`);
  }
});
