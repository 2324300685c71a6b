// One line per finding, in-process: the shape every consumer (people, log search, the CMP harness)
// reads: severity[rule] object (file:line, ...): message. Fix: ... (runbook: docs/rules/<rule>.md)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasErrors, type Finding } from './finding';
import { formatFinding } from '../report/format';

const f = (over: Partial<Finding> = {}): Finding => ({
  rule: 'empty-render',
  severity: 'error',
  sources: [],
  message: 'm',
  fix: 'do x',
  ...over,
});

test('formatFinding: a table of findings and their one line', () => {
  const rows: Array<[Partial<Finding>, string]> = [
    [{}, 'error[empty-render]: m. Fix: do x (runbook: docs/rules/empty-render.md)'],
    [{ severity: 'warning' }, 'warning[empty-render]: m. Fix: do x (runbook: docs/rules/empty-render.md)'],
    [
      { object: 'apps/Deployment prod/web' },
      'error[empty-render] apps/Deployment prod/web: m. Fix: do x (runbook: docs/rules/empty-render.md)',
    ],
    [
      { sources: [{ file: 'a.yaml', line: 3 }] },
      'error[empty-render] (a.yaml:3): m. Fix: do x (runbook: docs/rules/empty-render.md)',
    ],
    [
      {
        object: 'ConfigMap prod/a',
        sources: [
          { file: 'a.yaml', line: 1 },
          { file: 'b/c.yaml', line: 20 },
        ],
      },
      'error[empty-render] ConfigMap prod/a (a.yaml:1, b/c.yaml:20): m. Fix: do x (runbook: docs/rules/empty-render.md)',
    ],
    [
      { rule: 'render-failed', message: 'invalid YAML' },
      'error[render-failed]: invalid YAML. Fix: do x (runbook: docs/rules/render-failed.md)',
    ],
    [{ object: '' }, 'error[empty-render]: m. Fix: do x (runbook: docs/rules/empty-render.md)'],
  ];
  for (const [over, want] of rows) assert.equal(formatFinding(f(over)), want, JSON.stringify(over));
});

test('hasErrors: any error, not warnings alone', () => {
  const rows: Array<[Finding[], boolean]> = [
    [[], false],
    [[f({ severity: 'warning' })], false],
    [[f({ severity: 'warning' }), f({ severity: 'warning' })], false],
    [[f()], true],
    [[f({ severity: 'warning' }), f()], true],
  ];
  for (const [findings, want] of rows)
    assert.equal(hasErrors(findings), want, findings.map((x) => x.severity).join(','));
});
