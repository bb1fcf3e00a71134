// The repository carries its own map (docs/architecture.md, "Naming": docs references): every
// Markdown document a source or doc file names must be a file of this repository, and no source
// file names an absolute path of a development machine. Outside sources are cited by URL or by
// name, never by a path that only resolves on somebody's machine.
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const SCANNED = /\.(ts|mjs|js|md|sh)$/;
// Generated, installed or built trees, and the board images' cached roots.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', '.git', '.cache', 'protocol/schema']);
const SELF = 'test/e2e/doc-references.test.ts';

function repoFiles(dir = REPO): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const rel = relative(REPO, full);
    if (SKIPPED_DIRS.has(name) || SKIPPED_DIRS.has(rel)) continue;
    const stat = statSync(full);
    if (stat.isDirectory()) out.push(...repoFiles(full));
    else if (SCANNED.test(name)) out.push(rel);
  }
  return out;
}

/** The `*.md` paths a text names, URLs left out (they point outside on purpose). */
function docReferences(text: string): string[] {
  const withoutUrls = text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)\]>'"`]+/gi, ' ');
  const refs = new Set<string>();
  for (const m of withoutUrls.matchAll(/(?<![\w.-])((?:\.{1,2}\/|\/)?(?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.md)(?![\w-])/g)) refs.add(m[1]!);
  return [...refs];
}

/** Where a reference may resolve: from the repository root (how the code cites docs), or beside the file that names it. */
function resolvesInRepo(ref: string, fromFile: string, exists: (path: string) => boolean = existsSync): boolean {
  if (ref.startsWith('/')) return false;
  return exists(join(REPO, ref)) || exists(join(REPO, dirname(fromFile), ref));
}

// Paths that exist only on a developer's machine or this project's build hosts.
const MACHINE_PATH = /(?<![\w.])(\/work\/|\/Users\/[\w.-]+\/|\/home\/(?!pi\/)[\w.-]+\/|[A-Z]:\\Users\\)/;

function machinePaths(text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => MACHINE_PATH.test(line))
    .map(({ line, n }) => `${n}: ${line.trim()}`);
}

t.test('the scanner itself: finds what it should and only that', async (t) => {
  t.same(docReferences('see PROTOCOL.md "Limits" and docs/hardware.md, "Serial lines"'), ['PROTOCOL.md', 'docs/hardware.md']);
  t.same(docReferences('[star](../drivers/printer/star/README.md) and ./notes.md'), ['../drivers/printer/star/README.md', './notes.md']);
  t.same(docReferences('https://github.com/espeak-ng/espeak-ng/blob/master/docs/languages.md'), [], 'a URL points outside on purpose');
  t.same(docReferences('a file.mdx, an .md extension, markdown'), [], 'not a document name');
  t.notOk(resolvesInRepo('PROTOCOL.md', 'protocol/topics.ts'), 'a document that lives outside the repository');
  t.notOk(resolvesInRepo('/abs/hardware.md', 'drivers/x.ts'), 'an absolute path never resolves');
  t.ok(resolvesInRepo('docs/protocol.md', 'protocol/topics.ts'), 'from the root');
  t.ok(resolvesInRepo('matrix.md', 'docs/hardware.md'), 'beside the file');
  t.same(machinePaths('ok\n// summary in /work/shared/notes/hardware.md\n'), ['2: // summary in /work/shared/notes/hardware.md']);
  t.same(machinePaths('/home/alice/src/x and C:\\Users\\bob\\x'), ['1: /home/alice/src/x and C:\\Users\\bob\\x']);
  t.same(machinePaths('a board user: /home/pi/halld; a served path: /shared/hall.css; /opt/halld/current'), []);
});

t.test('every *.md a source or doc file names is a file of the repository', async (t) => {
  const files = repoFiles();
  t.ok(files.length > 300, `scanned ${files.length} files`);
  t.ok(files.includes('docs/architecture.md') && files.includes('docs/hardware.md'), 'the two maps exist');
  const broken: string[] = [];
  for (const file of files) {
    if (file === SELF) continue; // its own examples name missing documents on purpose
    for (const ref of docReferences(readFileSync(join(REPO, file), 'utf8'))) {
      if (!resolvesInRepo(ref, file)) broken.push(`${file}: ${ref}`);
    }
  }
  t.same(broken, [], 'references to documents outside the repository');
});

t.test('no source file names an absolute path of a development machine', async (t) => {
  const found: string[] = [];
  for (const file of repoFiles()) {
    if (file === SELF) continue;
    for (const hit of machinePaths(readFileSync(join(REPO, file), 'utf8'))) found.push(`${file}:${hit}`);
  }
  t.same(found, [], 'absolute development-machine paths');
});
