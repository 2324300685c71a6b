#!/usr/bin/env node
// `npm run test:unit`: the in-process unit layer only (issue 10, docs/development/unittests.md). Tests under
// src/ run in-process and import the module beside them; the exception is src/checks/rules/<id>.test.ts,
// which run the built CLI like test/ (the house rule: a rule's contract tests sit beside the rule).
// Runs after `npm run build`; extra arguments go to `node --test` (e.g. --test-name-pattern=helm).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'build/src');
const skip = join(built, 'checks/rules');

/** @param {string} dir @param {string[]} [out] @returns {string[]} */
function find(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (p === skip) continue;
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.mjs')) out.push(relative(root, p));
  }
  return out;
}

const files = find(built);
const r = spawnSync(process.execPath, ['--test', ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
