// The CI examples (examples/ci, issue 11) are what people copy: they must be valid YAML and use only
// flags that `safe-render ci --help` and `ci merge --help` list, so a renamed flag fails here, not in
// someone's pipeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT, runCli } from './helpers';

const EXAMPLES = ['github-actions.yml', 'gitlab-ci.yml'];

for (const name of EXAMPLES) {
  test(`examples/ci/${name} parses and uses only flags ci lists`, () => {
    const text = readFileSync(join(ROOT, 'examples/ci', name), 'utf8');
    const docs = parseAllDocuments(text);
    assert.equal(docs.length, 1);
    assert.deepEqual(docs[0]!.errors, []);
    const help = runCli(['ci', '--help']).stdout + runCli(['ci', 'merge', '--help']).stdout;
    // Lines from a `ci` call to the end of its (possibly continued) command.
    const calls = text.match(/\bci (?:merge )?[^\n]*(?:\\\n[^\n]*|\n {6,}--[^\n]*)*/g) ?? [];
    assert.ok(calls.length >= 2, `no ci and ci merge calls found in ${name}`);
    const flags = new Set(calls.flatMap((c) => c.match(/(?<=\s)--[a-z][a-z-]*/g) ?? []));
    assert.ok(flags.has('--shard') && flags.has('--report'), [...flags].join(' '));
    for (const f of flags)
      assert.ok(help.includes(`${f} `) || help.includes(`${f},`), `${name}: ${f} is not a ci flag`);
  });
}
