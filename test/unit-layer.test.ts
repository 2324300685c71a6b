// The convention of the two test layers (issue 10, docs/development/unittests.md): tests under src/ run
// in-process, importing the module beside them, so `npm run test:unit` gives feedback in seconds;
// tests that run the built CLI live in test/. The one exception is src/checks/rules/<id>.test.ts, a
// rule's contract tests beside the rule, which run the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT as root } from './helpers';

function testsUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) testsUnder(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

/** In-process tests that still start a process: a differential check against the real tool. */
const ORACLES = new Set(['src/util/git-pathspec.test.ts']);

test("tests under src/ (but a rule's) run in-process: they import no CLI runner and start no process", () => {
  const unit = testsUnder(join(root, 'src')).filter((f) => !f.startsWith('src/checks/rules/'));
  assert.ok(unit.length > 20, `found ${unit.length}`);
  const offenders: string[] = [];
  for (const file of unit) {
    const text = readFileSync(join(root, file), 'utf8');
    if (/from '[./]*test\/(helpers|lock-helpers|harness\/cmp-server)'/.test(text))
      offenders.push(`${file}: runs the CLI (move it to test/)`);
    if (/from 'node:child_process'/.test(text) && !ORACLES.has(file)) offenders.push(`${file}: starts a process`);
  }
  assert.deepEqual(offenders, []);
});
