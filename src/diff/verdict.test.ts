import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRenders, type AppDiff } from './compare';
import { jsonDiff } from './json';
import { markdownDiff } from './markdown';
import { deletionLine, textReport } from './text';
import { configMap, deployment } from './test-fixture';
import { deletionsOf, submodulesOf } from './verdict';

const base = [deployment('web', 'web:1'), configMap('old', { a: '1' }), deployment('api', 'api:1')];
const head = [deployment('web', 'web:2'), deployment('api-v2', 'api:1')];
const diff = compareRenders(base, head);

test('deletionsOf: a removal the lock still records is pending; one it no longer records was accepted; no lock guards none', () => {
  const pending = deletionsOf(diff, [{ kind: 'deleted', ref: 'apps/Deployment/prod/api' }], true);
  assert.deepEqual(
    pending.map((d) => [d.ref, d.accepted]),
    [
      ['apps/Deployment/prod/api', false],
      ['core/ConfigMap/prod/old', true],
    ],
  );
  assert.deepEqual(
    deletionsOf(diff, [], false).map((d) => d.accepted),
    [undefined, undefined],
  );
  const app: AppDiff = { app: 'web', diff, deletions: pending };
  assert.equal(
    deletionLine(app),
    'removes 2 objects: 1 accepted by the lock, 1 not accepted (unacknowledged-deletion)',
  );
  assert.equal(
    deletionLine({ ...app, deletions: deletionsOf(diff, [], true) }),
    'removes 2 objects: all deletions are accepted by the lock',
  );
  assert.match(deletionLine({ ...app, deletions: deletionsOf(diff, [], false) }), /no lock, nothing guards/);
  assert.equal(deletionLine({ app: 'x', diff: compareRenders(base, base) }), '');
});

test('submodulesOf: a submodule the app folder is, holds or lies in', () => {
  const links = ['vendor/charts', 'apps/web/lib', 'other'];
  assert.deepEqual(submodulesOf('apps/web', links), ['apps/web/lib']);
  assert.deepEqual(submodulesOf('vendor/charts/web', links), ['vendor/charts']);
  assert.deepEqual(submodulesOf('.', links), links);
  assert.deepEqual(submodulesOf('apps/webshop', links), []);
});

test('writers: the verdict, refusals first in Markdown, findings and deletions in JSON, the unchanged apps in one line', () => {
  const app: AppDiff = {
    app: 'web',
    diff,
    verdict: 'refused',
    presence: 'appeared',
    findings: [
      {
        rule: 'unacknowledged-deletion',
        severity: 'error',
        object: 'apps/Deployment/prod/api',
        sources: [],
        message: 'is in the lock but missing from the render',
        fix: 'restore it',
      },
    ],
    deletions: deletionsOf(diff, [{ kind: 'deleted', ref: 'apps/Deployment/prod/api' }], true),
    notes: ['the base revision did not render'],
  };
  const text = textReport([app], { unchangedApps: 4 });
  assert.match(text, /^web: \+1 -2 ~1 objects \(new app: not at the base; head refused\)$/m);
  assert.match(text, /^ {2}note: the base revision did not render$/m);
  assert.match(text, /^4 other apps unchanged$/m);
  const md = markdownDiff([app], { unchangedApps: 1 });
  assert.ok(md.indexOf('#### Refused') < md.indexOf('#### Removed'));
  assert.match(md, /`unacknowledged-deletion` apps\/Deployment\/prod\/api: is in the lock/);
  assert.match(md, /^- 1 other app unchanged$/m);
  const json = JSON.parse(jsonDiff([app], { unchangedApps: 0, exitCode: 1 })) as Record<string, unknown> & {
    apps: Array<Record<string, unknown>>;
  };
  assert.equal(json.exitCode, 1);
  assert.equal(json.unchangedApps, 0);
  assert.equal(json.apps[0]!.verdict, 'refused');
  assert.equal(json.apps[0]!.presence, 'appeared');
  assert.deepEqual(json.apps[0]!.deletions, [
    { ref: 'apps/Deployment/prod/api', accepted: false },
    { ref: 'core/ConfigMap/prod/old', accepted: true },
  ]);
  assert.deepEqual(json.apps[0]!.findings, [
    {
      rule: 'unacknowledged-deletion',
      severity: 'error',
      object: 'apps/Deployment/prod/api',
      message: 'is in the lock but missing from the render',
      fix: 'restore it',
    },
  ]);
});
