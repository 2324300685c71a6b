// The one formatter of findings and render failures, in-process: the exact lines the CLI tests and the
// runbooks show (docs/rules/README.md, "Reading a finding line").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderFailure } from '../util/errors';
import { acceptPlaceholder, acceptToken, CATALOG, runbookPath } from '../model/rule-catalog';
import { flatLine, formatFinding, renderFailedFinding } from './format';

test('a finding: severity[rule] object (sources): message. Fix: fix (runbook)', () => {
  const cases: Array<[Parameters<typeof formatFinding>[0], string]> = [
    [
      {
        rule: 'duplicate-object',
        severity: 'error',
        object: 'apps/Deployment prod/web',
        sources: [
          { file: 'a.yaml', line: 1 },
          { file: 'b.yaml', line: 3 },
        ],
        message: 'defined 2 times',
        fix: 'delete a copy',
      },
      'error[duplicate-object] apps/Deployment prod/web (a.yaml:1, b.yaml:3): defined 2 times. Fix: delete a copy (runbook: docs/rules/duplicate-object.md)',
    ],
    [
      {
        rule: 'lock-stale',
        severity: 'warning',
        object: 'app web',
        sources: [],
        message: 'out of date',
        fix: 'run lock',
      },
      'warning[lock-stale] app web: out of date. Fix: run lock (runbook: docs/rules/lock-stale.md)',
    ],
    [
      { rule: 'empty-render', severity: 'error', sources: [], message: 'no objects', fix: 'check paths' },
      'error[empty-render]: no objects. Fix: check paths (runbook: docs/rules/empty-render.md)',
    ],
    [
      {
        rule: 'invalid-object',
        severity: 'error',
        object: 'Kind\nX',
        sources: [{ file: 'a\r\nb.yaml', line: 2 }],
        message: 'bad\u2028thing',
        fix: 'fix\u0000it',
      },
      'error[invalid-object] Kind X (a b.yaml:2): bad thing. Fix: fix it (runbook: docs/rules/invalid-object.md)',
    ],
  ];
  for (const [f, line] of cases) assert.equal(formatFinding(f), line);
});

test('a render failure prints as it always did: the place, the message, the fix when there is one', () => {
  // The format cli.ts wrote by hand before the formatter (the CLI tests assert it).
  const old = (e: RenderFailure) =>
    flatLine(
      `error[render-failed]${e.where ? ` ${e.where}` : ''}: ${e.message}.${e.fix ? ` Fix: ${e.fix}` : ''} (runbook: docs/rules/render-failed.md)`,
    );
  const cases = [
    new RenderFailure('cannot parse YAML', 'apps/web/a.yaml:3', 'fix the indentation'),
    new RenderFailure('kustomize (kustomize build .) failed (exit 1): Error: boom'),
    new RenderFailure('file is over the limit', 'apps/web/big.yaml'),
    new RenderFailure('helm failed\nsecond line', undefined, 'check the chart\r\n'),
  ];
  for (const e of cases) assert.equal(formatFinding(renderFailedFinding(e)), old(e));
  assert.equal(
    formatFinding(renderFailedFinding({ message: 'x' })),
    'error[render-failed]: x. (runbook: docs/rules/render-failed.md)',
  );
});

test('acceptance tokens: by app or by object, as the catalog says', () => {
  assert.equal(acceptToken('mass-deletion', { app: 'web', object: 'apps/Deployment/prod/web' }), 'mass-deletion:web');
  assert.equal(acceptToken('lock-missing', { app: 'argocd_web' }), 'lock-missing:argocd_web');
  assert.equal(
    acceptToken('protected-deletion', { app: 'web', object: 'apps/StatefulSet/prod/kafka' }),
    'protected-deletion:apps/StatefulSet/prod/kafka',
  );
  assert.throws(() => acceptToken('safety-weakened', { app: 'web' }), /names an object/);
  assert.equal(acceptPlaceholder('app-source-drift'), 'APP');
  assert.equal(acceptPlaceholder('finalizer-change'), 'REF');
  assert.equal(runbookPath('render-failed'), 'docs/rules/render-failed.md');
  assert.equal(CATALOG['unacknowledged-deletion'].comparesWithLock, true);
  assert.equal('accept' in CATALOG['unacknowledged-deletion'], false);
});
