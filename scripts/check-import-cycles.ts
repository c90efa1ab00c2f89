/**
 * Fails when modules under src/ import each other in a cycle (type-only imports aside: they vanish at build).
 * A cycle makes module initialisation order-dependent and usually means two modules want a third one.
 * Run by `npm run lint`; `tsx scripts/check-import-cycles.ts [dir]`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const graph = new Map<string, string[]>();
for (const file of sources(root)) {
  const text = readFileSync(file, 'utf8');
  const targets = [...text.matchAll(IMPORT)]
    .map((match) => resolveImport(file, match[1] as string))
    .filter((target): target is string => target !== null && /\.tsx?$/.test(target));
  graph.set(file, targets);
}

// Depth-first search; a grey node met again closes a cycle.
const state = new Map<string, 'grey' | 'black'>();
const cycles: string[][] = [];
const stack: string[] = [];
function visit(file: string): void {
  state.set(file, 'grey');
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'grey') cycles.push([...stack.slice(stack.indexOf(next)), next]);
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(file, 'black');
}
for (const file of graph.keys()) if (!state.has(file)) visit(file);

if (cycles.length > 0) {
  for (const cycle of cycles)
    console.error(`import cycle: ${cycle.map((file) => relative(root, file)).join(' → ')}`);
  process.exit(1);
}
console.log(`no import cycles in ${graph.size} modules under ${relative(process.cwd(), root) || '.'}`);
