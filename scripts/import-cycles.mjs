#!/usr/bin/env node
// Fails when our TypeScript sources import each other in a cycle. The graph has every edge a
// reader sees: static imports, `import type`, `export … from` and `await import()`, read with
// TypeScript's own preProcessFile (no regexes), between the .ts files of the folders below.
// Cycles are the strongly connected components of that graph (Tarjan); each is printed with
// one path around it. Run by `npm run lint`.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export const SOURCE_FOLDERS = ['firmware', 'protocol', 'drivers', 'boards', 'assembly', 'simulators', 'provisioning', 'testkit', 'test', 'bench'];

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** file (relative to root) -> the files of ours it imports. */
export function importGraph(root) {
  const graph = new Map();
  const files = SOURCE_FOLDERS.filter((f) => existsSync(join(root, f))).flatMap((f) => sourceFiles(join(root, f)));
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps = new Set();
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
      if (existsSync(target)) deps.add(relative(root, target));
    }
    graph.set(relative(root, file), [...deps].sort());
  }
  return graph;
}

/** Every strongly connected component with more than one file (or a file importing itself). */
export function findCycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** One path around a component, for the message: a -> b -> … -> a. */
export function pathAround(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let p = v; p !== start; p = previous.get(p)) path.splice(1, 0, p);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component, start];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const graph = importGraph(root);
  const cycles = findCycles(graph);
  for (const c of cycles) console.error(`import cycle (${c.length} files): ${pathAround(graph, c).join(' -> ')}`);
  if (cycles.length > 0) process.exit(1);
  console.log(`import-cycles: ${graph.size} files, no cycle`);
}
