// The terminal summary: one aligned row per app, refused and failed first, skipped last with the
// reason, the one-line total, then every finding as the sidecar prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { terminalSummary } from './index';
import { truncate } from './summary';
import { emptyReport, reportArb, richReport } from './test-fixture';

test('summary: rows in verdict order, aligned, truncated with …, the total, then the findings', () => {
  const lines = terminalSummary(richReport()).split('\n');
  assert.match(lines[0] ?? '', /^APP +ENGINE +OBJECTS +VERDICT +FINDINGS$/);
  const rows = lines.slice(1, 8);
  assert.deepEqual(
    rows.map((r) => /\s(refused|failed|passed|skipped)\s/.exec(r)?.[1]),
    ['refused', 'refused', 'failed', 'passed', 'passed', 'skipped', 'skipped'],
  );
  assert.ok(rows[0]?.startsWith('payments '));
  assert.ok(rows[3]?.startsWith('guestbook '), 'passed apps by id');
  // Aligned: the verdict column starts at the same code point in every row.
  const col = [...(lines[0] ?? '')].join('').indexOf('VERDICT');
  for (const r of rows) assert.match([...r].slice(col).join(''), /^(refused|failed|passed|skipped) /, r);
  assert.match(rows[1] ?? '', /^team-b\/\[click\]\(https:\/\/evil\.example\) <img src=x… /, 'cut with …');
  assert.ok(!/[\u0000-\u001f]/.test(terminalSummary(richReport()).replace(/\n/g, '')), 'no control characters');
  assert.match(
    rows[6] ?? '',
    /^other-repo +- +- +skipped +its source is https:\/\/github\.com\/other\/charts, not this repository$/,
  );
  assert.match(
    rows[0] ?? '',
    /^payments +kustomize +1 +refused +2 errors, 1 warning: duplicate-object, unacknowledged-deletion/,
  );
  assert.equal(lines[8], '');
  assert.equal(
    lines[9],
    '7 apps: 2 passed, 2 refused, 1 failed, 2 skipped; 1 generator not evaluated; 2 repository findings (shard 2/3)',
  );
  const text = lines.join('\n');
  assert.ok(
    text.includes(
      '\npayments (apps/payments.yaml:7): error[duplicate-object] apps/Deployment payments/api (apps/payments/base/deploy.yaml:1, apps/payments/overlay/deploy.yaml:12): defined 2 times with different content. Fix: delete one of the copies (runbook: docs/rules/duplicate-object.md)\n',
    ),
  );
  assert.ok(
    text.includes('\nrepository: error[duplicate-object] /ConfigMap shared/settings (apps/payments/base/cm.yaml:1'),
  );
  assert.ok(
    text.includes('\nnot evaluated: ApplicationSet argocd/clusters-set (appsets/clusters.yaml:1) generator clusters: '),
  );
  assert.ok(text.indexOf('\npayments (') < text.indexOf('\nrepository: '), 'app findings, then the repository');
});

test('summary: an empty report is the total line alone', () => {
  assert.equal(terminalSummary(emptyReport()), '0 apps: 0 passed, 0 refused, 0 failed, 0 skipped\n');
});

test('summary: truncate counts code points and flattens control characters', () => {
  const table: Array<[string, number, string]> = [
    ['short', 10, 'short'],
    ['exactly-10', 10, 'exactly-10'],
    ['eleven-char', 10, 'eleven-ch…'],
    ['\u{1f600}\u{1f600}\u{1f600}', 2, '\u{1f600}…'],
    ['a\u001b[31mb\nc', 20, 'a [31mb c'],
  ];
  for (const [s, n, want] of table) assert.equal(truncate(s, n), want, JSON.stringify([s, n]));
});

test('summary: one row per app, each one line, for any report (property)', () => {
  fc.assert(
    fc.property(reportArb, (r) => {
      const lines = terminalSummary(r).split('\n');
      const rows = r.apps.length ? lines.slice(1, 1 + r.apps.length) : [];
      for (const row of rows) assert.match(row, / (refused|failed|passed|skipped)( |$)/);
      assert.ok(lines.some((l) => l.startsWith(`${r.apps.length} app`)));
    }),
    { seed: 11_05, numRuns: 200 },
  );
});
