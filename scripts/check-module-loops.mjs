#!/usr/bin/env node
// Fails when two folders under server/modules import each other, directly or through others: the
// modules form a dependency graph without loops (docs/architecture.md). File-level cycles are dpdm's.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = 'server/modules';
const modules = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const edges = new Map(modules.map((m) => [m, new Map()]));
for (const m of modules) {
  for (const file of readdirSync(join(ROOT, m)).filter((f) => f.endsWith('.ts'))) {
    const path = join(ROOT, m, file);
    for (const [, spec] of readFileSync(path, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
      const [target] = relative(ROOT, normalize(join(dirname(path), spec))).split('/');
      if (target !== m && edges.has(target) && !edges.get(m).has(target)) edges.get(m).set(target, path);
    }
  }
}
// Depth-first search for a back edge; reports the loop with one importing file per step.
const state = new Map();
const stack = [];
function visit(m) {
  state.set(m, 'open');
  stack.push(m);
  for (const next of edges.get(m).keys()) {
    if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
    if (!state.has(next)) {
      const loop = visit(next);
      if (loop) return loop;
    }
  }
  stack.pop();
  state.set(m, 'done');
  return null;
}
for (const m of modules) {
  const loop = state.has(m) ? null : visit(m);
  if (loop) {
    console.error(`Module loop: ${loop.join(' → ')}`);
    for (let i = 0; i + 1 < loop.length; i++) console.error(`  ${edges.get(loop[i]).get(loop[i + 1])} imports ${loop[i + 1]}/`);
    process.exit(1);
  }
}
console.log(`${modules.length} modules under ${ROOT}, no loop between them.`);
