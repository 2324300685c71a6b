// Every refusal about the lock links a runbook page; the page must exist and show the refusal it explains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers';

const LOCK_RULES = [
  'unacknowledged-deletion', 'protected-deletion', 'mass-deletion', 'app-source-drift', 'app-destination-change',
  'finalizer-change', 'safety-weakened', 'lock-missing', 'lock-stale', 'appset-may-shrink', 'lock-tampered',
];
const ACCEPTABLE = new Set(['protected-deletion', 'mass-deletion', 'app-source-drift', 'app-destination-change', 'finalizer-change', 'safety-weakened']);

test('each lock rule has a runbook page with an example refusal, exact commands and only valid --accept tokens', () => {
  for (const id of LOCK_RULES) {
    const file = join(ROOT, 'docs/rules', `${id}.md`);
    assert.ok(existsSync(file), `docs/rules/${id}.md is missing`);
    const page = readFileSync(file, 'utf8');
    assert.match(page, new RegExp(`^# ${id}\\b`), `${id}: title`);
    const example = page.split('\n').find((l) => l.startsWith(`error[${id}]`) || l.startsWith(`warning[${id}]`));
    assert.ok(example, `${id}: no example stderr line`);
    assert.ok(example.endsWith(`(runbook: docs/rules/${id}.md)`), `${id}: the example must be a whole stderr line`);
    assert.match(page, /safe-render lock /, `${id}: no safe-render lock command`);
    for (const [, rule, ref] of page.matchAll(/--accept ([a-z-]+):([^\s`]+)/g)) {
      assert.ok(ACCEPTABLE.has(rule!), `${id}: --accept ${rule}:${ref} names no acceptable rule`);
      if (ref === 'REF' || ref === 'APP') continue; // a placeholder in prose
      assert.match(ref!, rule === 'mass-deletion' || rule === 'app-source-drift' ? /^[a-z0-9._-]+$/ : /^[^/\s]+\/[^/\s]+\/([^/\s]+\/)?[^/\s]+$/, `${id}: bad reference ${ref}`);
    }
  }
});
