// The SARIF report: valid against the SARIF 2.1.0 schema, one rule per catalog entry, results located
// where GitHub code scanning puts its annotations, fingerprints that survive moved lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { RULE_IDS } from '../../model/rule-catalog';
import { writeReport } from './index';
import { emptyReport, HOSTILE, reportArb, richReport } from './test-fixture';

const require = createRequire(import.meta.url);
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
const ajv = new Ajv({ strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;
const BASE = 'https://github.com/acme/safe-render/blob/v1.0.0/';

test('sarif: valid against the SARIF 2.1.0 schema, rich and empty, with and without a runbook base', () => {
  for (const r of [richReport(), emptyReport()]) {
    for (const runbookBase of [undefined, BASE, 'not a uri', 'docs/']) {
      const sarif: Any = JSON.parse(writeReport('sarif', r, { runbookBase }));
      const valid: boolean = validate(sarif as object);
      assert.ok(valid, `${runbookBase}: ${JSON.stringify(validate.errors, null, 1)}`);
      assert.equal(sarif.version, '2.1.0');
    }
  }
});

test('sarif: one rule per catalog entry, with its runbook as helpUri when a base is given', () => {
  const withBase: Any = JSON.parse(writeReport('sarif', richReport(), { runbookBase: BASE.slice(0, -1) }));
  const rules = withBase.runs[0].tool.driver.rules;
  assert.deepEqual(
    rules.map((x: Any) => x.id),
    RULE_IDS,
  );
  const dup = rules.find((x: Any) => x.id === 'duplicate-object');
  assert.equal(dup.helpUri, `${BASE}docs/rules/duplicate-object.md`);
  assert.equal(dup.name, 'DuplicateObject');
  assert.equal(dup.shortDescription.text, 'the same object defined twice with different content');
  assert.match(dup.fullDescription.text, /Argo CD keeps one copy/);
  const without: Any = JSON.parse(writeReport('sarif', richReport()));
  const r0 = without.runs[0].tool.driver.rules.find((x: Any) => x.id === 'duplicate-object');
  assert.equal(r0.helpUri, undefined, 'helpUri must be absolute: left out without a base');
  assert.match(r0.help.text, /Runbook: docs\/rules\/duplicate-object\.md$/);
});

test('sarif: results at file and line, app findings without sources at the Application', () => {
  const sarif: Any = JSON.parse(writeReport('sarif', richReport()));
  const run = sarif.runs[0];
  const results: Any[] = run.results;
  const total = richReport().findings.length + richReport().apps.reduce((n, a) => n + a.findings.length, 0);
  assert.equal(results.length, total);
  for (const x of results) {
    assert.ok(x.locations.length >= 1, 'GitHub refuses a result without a location');
    assert.equal(run.tool.driver.rules[x.ruleIndex].id, x.ruleId);
  }
  const dup = results.find((x) => x.ruleId === 'duplicate-object' && x.properties.app === 'payments');
  assert.equal(dup.level, 'error');
  assert.deepEqual(
    dup.locations.map((l: Any) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine]),
    [
      ['apps/payments/base/deploy.yaml', 1],
      ['apps/payments/overlay/deploy.yaml', 12],
    ],
  );
  assert.equal(dup.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  assert.match(dup.message.text, /^payments \(apps\/payments\.yaml:7\): error\[duplicate-object\] apps\/Deployment/);
  assert.match(dup.message.text, /Fix: delete one of the copies/);
  const stale = results.find((x) => x.ruleId === 'lock-stale' && x.properties.app === 'payments');
  assert.equal(stale.level, 'warning');
  assert.equal(stale.locations[0].physicalLocation.artifactLocation.uri, 'apps/payments.yaml');
  assert.equal(stale.locations[0].physicalLocation.region.startLine, 7);
  const failed = results.find((x) => x.ruleId === 'render-failed');
  assert.equal(failed.locations[0].physicalLocation.artifactLocation.uri, 'apps/team-a/billing.yaml');
  // A repository finding without sources still gets a location (the first checked app's Application).
  const mass = results.find((x) => x.ruleId === 'mass-deletion');
  assert.equal(mass.properties.scope, 'repository');
  assert.equal(mass.locations[0].physicalLocation.artifactLocation.uri, 'apps/guestbook.yaml');
  const hostile = results.find((x) => x.ruleId === 'namespace-escape');
  const uri: string = hostile.locations[0].physicalLocation.artifactLocation.uri;
  assert.ok(uri.startsWith('dir%20with%20space/%23x%20%5Bclick%5D'), uri);
  assert.ok(!/[\s#?]/.test(uri), uri);
});

test('sarif: fingerprints stable per (rule, app, object), not per line or message', () => {
  const a: Any = JSON.parse(writeReport('sarif', richReport()));
  const moved = richReport();
  const payments = moved.apps.find((x) => x.id === 'payments');
  assert.ok(payments?.findings[0]);
  payments.findings[0].sources = [{ file: 'apps/payments/base/deploy.yaml', line: 40 }];
  payments.findings[0].message = 'defined 3 times';
  const b: Any = JSON.parse(writeReport('sarif', moved));
  const fp = (s: Any, i: number) => s.runs[0].results[i].partialFingerprints['safeRenderFinding/v1'];
  const idx = a.runs[0].results.findIndex(
    (x: Any) => x.ruleId === 'duplicate-object' && x.properties.app === 'payments',
  );
  assert.equal(fp(a, idx), fp(b, idx));
  const all = a.runs[0].results.map((_: Any, i: number) => fp(a, i));
  assert.equal(new Set(all).size, all.length, 'distinct findings, distinct fingerprints');
});

test('sarif: automationDetails names the shard; notEvaluated are notifications', () => {
  const s: Any = JSON.parse(writeReport('sarif', richReport()));
  assert.equal(s.runs[0].automationDetails.id, 'safe-render-ci/shard-2-of-3/0123456789abcdef0123456789abcdef01234567');
  const e: Any = JSON.parse(writeReport('sarif', emptyReport()));
  assert.equal(e.runs[0].automationDetails.id, 'safe-render-ci/');
  assert.equal(e.runs[0].versionControlProvenance, undefined, 'an scp-style URL is not a URI');
  assert.deepEqual(s.runs[0].versionControlProvenance[0].repositoryUri, 'https://github.com/acme/deploy.git');
  const notes = s.runs[0].invocations[0].toolExecutionNotifications;
  assert.equal(notes.length, 1);
  assert.match(notes[0].message.text, /argocd\/clusters-set: generator clusters not evaluated/);
  assert.ok(writeReport('sarif', richReport()).includes(JSON.stringify(HOSTILE).slice(1, 20)));
});

test('sarif: any report, hostile strings included, is valid SARIF 2.1.0 (property)', () => {
  fc.assert(
    fc.property(reportArb, (r) => {
      const ok = validate(JSON.parse(writeReport('sarif', r, { runbookBase: BASE })));
      if (!ok) throw new Error(JSON.stringify(validate.errors));
    }),
    { seed: 11_01, numRuns: 150 },
  );
});
