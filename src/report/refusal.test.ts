// The refusal layout (issue 14), in-process and by exact lines: the headline per situation, findings
// grouped by rule with each fix once, the cap per rule, and runbook links behind a base URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../model/finding';
import { FINDINGS_PER_RULE, groupedFindingLines, refusalHeadline } from './refusal';
import { formatFinding, runbookLink } from './format';

const deletion = (i: number, fix = 'restore it'): Finding => ({
  rule: 'unacknowledged-deletion',
  severity: 'error',
  object: `core/ConfigMap/shop/cm-${i}`,
  sources: [],
  message: 'is in the lock but missing from the render; Argo CD would delete it',
  fix,
});
const empty: Finding = {
  rule: 'empty-render',
  severity: 'error',
  sources: [],
  message: 'the render has no objects',
  fix: 'check the paths',
};
const CAPPED = { perRule: FINDINGS_PER_RULE, total: 100, fullList: 'render --verbose lists them all' };

test('60 deletions: a headline, each rule once with its fix, 10 of the 60 and a count of the rest', () => {
  const findings = [empty, ...Array.from({ length: 60 }, (_, i) => deletion(i + 1))];
  assert.equal(
    refusalHeadline(findings, { lockedCount: 60, renderedCount: 0 }),
    'safe-render: refused: 60 of 60 objects would be deleted; likely a path or template break',
  );
  assert.deepEqual(groupedFindingLines(findings, CAPPED), [
    'error[empty-render]: the render has no objects',
    '  Fix: check the paths (runbook: docs/rules/empty-render.md)',
    ...Array.from(
      { length: 10 },
      (_, i) =>
        `error[unacknowledged-deletion] core/ConfigMap/shop/cm-${i + 1}: is in the lock but missing from the render; Argo CD would delete it`,
    ),
    '  ... and 50 more error[unacknowledged-deletion] (render --verbose lists them all)',
    '  Fix: restore it (runbook: docs/rules/unacknowledged-deletion.md)',
  ]);
  // --verbose (or a terminal): all 60, still one fix.
  const all = groupedFindingLines(findings, { perRule: Infinity, total: Infinity });
  assert.equal(all.length, 2 + 60 + 1);
  assert.equal(all.filter((l) => l.startsWith('  Fix: ')).length, 2);
  assert.ok(!all.some((l) => l.includes('more')));
});

test('a mix of rules: errors first in the order they appear, warnings last, a fix per group of findings that share it', () => {
  const warn: Finding = {
    rule: 'cluster-scoped',
    severity: 'warning',
    object: 'example.com/Widget w',
    sources: [{ file: 'a.yaml', line: 3 }],
    message: 'unknown scope',
    fix: 'declare it',
  };
  const dup: Finding = {
    rule: 'duplicate-object',
    severity: 'error',
    object: 'core/ConfigMap prod/a',
    sources: [
      { file: 'a.yaml', line: 1 },
      { file: 'b.yaml', line: 1 },
    ],
    message: 'defined 2 times with different content',
    fix: 'rename one',
  };
  const findings = [warn, deletion(1), dup, deletion(2, 'accept protected-deletion'), deletion(3)];
  assert.deepEqual(groupedFindingLines(findings, CAPPED), [
    'error[unacknowledged-deletion] core/ConfigMap/shop/cm-1: is in the lock but missing from the render; Argo CD would delete it',
    'error[unacknowledged-deletion] core/ConfigMap/shop/cm-3: is in the lock but missing from the render; Argo CD would delete it',
    '  Fix: restore it (runbook: docs/rules/unacknowledged-deletion.md)',
    'error[unacknowledged-deletion] core/ConfigMap/shop/cm-2: is in the lock but missing from the render; Argo CD would delete it',
    '  Fix: accept protected-deletion (runbook: docs/rules/unacknowledged-deletion.md)',
    'error[duplicate-object] core/ConfigMap prod/a (a.yaml:1, b.yaml:1): defined 2 times with different content',
    '  Fix: rename one (runbook: docs/rules/duplicate-object.md)',
    'warning[cluster-scoped] example.com/Widget w (a.yaml:3): unknown scope',
    '  Fix: declare it (runbook: docs/rules/cluster-scoped.md)',
  ]);
  assert.equal(
    refusalHeadline(findings, { lockedCount: 20, renderedCount: 18 }),
    'safe-render: refused: 3 of 20 objects would be deleted',
  );
  assert.equal(
    refusalHeadline([dup, warn], { renderedCount: 2 }),
    'safe-render: refused: 1 object defined more than once with different content',
  );
  assert.equal(
    refusalHeadline([
      { ...warn, severity: 'error' },
      { ...dup, rule: 'namespace-escape' },
      { ...dup, rule: 'namespace-escape' },
    ]),
    'safe-render: refused: 3 errors of 2 rules (cluster-scoped 1, namespace-escape 2)',
  );
  assert.equal(
    refusalHeadline([empty], { renderedCount: 0 }),
    'safe-render: refused: the render has no objects; likely a path or template break',
  );
  assert.equal(refusalHeadline([deletion(1)]), 'safe-render: refused: 1 object would be deleted');
  assert.equal(
    refusalHeadline([{ ...dup, rule: 'deploy-freeze' }, dup]),
    'safe-render: refused: deploys are frozen (deploy-freeze says by whom and why)',
  );
});

test('the cap counts a rule across its fixes; the total bound counts the rules that no longer fit', () => {
  const many = Array.from({ length: 12 }, (_, i) => deletion(i, i % 2 ? 'odd' : 'even'));
  assert.deepEqual(
    groupedFindingLines(many, { perRule: 3, total: 100 }).map((l) => l.replace(/: is in the lock.*/, '')),
    [
      'error[unacknowledged-deletion] core/ConfigMap/shop/cm-0',
      'error[unacknowledged-deletion] core/ConfigMap/shop/cm-2',
      'error[unacknowledged-deletion] core/ConfigMap/shop/cm-4',
      '  ... and 9 more error[unacknowledged-deletion]',
      '  Fix: even (runbook: docs/rules/unacknowledged-deletion.md)',
    ],
  );
  const lines = groupedFindingLines([...many, empty], { perRule: 10, total: 10 });
  assert.equal(lines.at(-1), 'safe-render: 1 more finding not shown: 1 error[empty-render]');
});

test('a finding without a fix (a failed app in ci) still names its runbook; names cannot break lines', () => {
  const failed: Finding = {
    rule: 'render-failed',
    severity: 'error',
    sources: [],
    message: 'kustomize\nfailed',
    fix: '',
  };
  assert.deepEqual(groupedFindingLines([failed], CAPPED), [
    'error[render-failed]: kustomize failed',
    '  (runbook: docs/rules/render-failed.md)',
  ]);
});

test('runbook links: the relative path by default, the base in front when configured', () => {
  assert.equal(runbookLink('empty-render'), 'docs/rules/empty-render.md');
  const base = 'https://github.com/acme/safe-render/blob/v0.1.0/';
  assert.equal(runbookLink('empty-render', base), `${base}docs/rules/empty-render.md`);
  assert.deepEqual(groupedFindingLines([empty], { ...CAPPED, runbookBase: base }), [
    'error[empty-render]: the render has no objects',
    `  Fix: check the paths (runbook: ${base}docs/rules/empty-render.md)`,
  ]);
  assert.match(
    formatFinding(empty, base),
    /\(runbook: https:\/\/github\.com\/acme\/safe-render\/blob\/v0\.1\.0\/docs\/rules\/empty-render\.md\)$/,
  );
});
