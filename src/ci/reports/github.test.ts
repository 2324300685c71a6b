// GitHub workflow commands: one annotation per finding at its file and line, escaped as @actions/core
// escapes them, so that no name or message can end a command or start another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CiReport } from '../report-model';
import { escapeData, escapeProperty } from './github';
import { writeReport } from './index';
import { emptyReport, reportArb, richReport } from './test-fixture';

test('github: escaping of data and properties (toolkit command.ts)', () => {
  const table: Array<[string, string, string]> = [
    ['plain', 'plain', 'plain'],
    ['50%', '50%25', '50%25'],
    ['a\r\nb', 'a%0D%0Ab', 'a%0D%0Ab'],
    ['a:b,c', 'a:b,c', 'a%3Ab%2Cc'],
    ['%0A', '%250A', '%250A'],
    ['::error::x', '::error::x', '%3A%3Aerror%3A%3Ax'],
  ];
  for (const [input, data, prop] of table) {
    assert.equal(escapeData(input), data, JSON.stringify(input));
    assert.equal(escapeProperty(input), prop, JSON.stringify(input));
  }
});

test('github: one annotation per finding at its file and line, errors first, then a notice', () => {
  const lines = writeReport('github', richReport()).trimEnd().split('\n');
  assert.equal(lines.length, 9, '5 errors, 3 warnings, 1 notice');
  assert.deepEqual(
    lines.map((l) => /^::(\w+)/.exec(l)?.[1]),
    ['error', 'error', 'error', 'error', 'error', 'warning', 'warning', 'warning', 'notice'],
  );
  assert.equal(
    lines[1],
    '::error file=apps/payments/base/deploy.yaml,line=1,title=duplicate-object payments::payments (apps/payments.yaml:7): error[duplicate-object] apps/Deployment payments/api (apps/payments/base/deploy.yaml:1, apps/payments/overlay/deploy.yaml:12): defined 2 times with different content. Fix: delete one of the copies (runbook: docs/rules/duplicate-object.md)',
  );
  // A finding without sources lands on the Application that defines the app.
  assert.ok(lines[2]?.startsWith('::error file=apps/payments.yaml,line=7,title=unacknowledged-deletion payments::'));
  assert.ok(lines[4]?.startsWith('::error file=apps/team-a/billing.yaml,line=3,title=render-failed team-a/billing::'));
  // A repository finding without sources has no file.
  assert.ok(lines[5]?.startsWith('::warning title=mass-deletion repository::repository: warning[mass-deletion]'));
  assert.equal(
    lines[8],
    '::notice title=safe-render ci::safe-render ci failed: 7 apps: 2 passed, 2 refused, 1 failed, 2 skipped; 1 generator not evaluated; 2 repository findings (shard 2/3); 5 errors, 3 warnings.',
  );
  // The hostile app: one line, its properties cannot add a property or end the command.
  const evil = lines[3] ?? '';
  const props = /^::error ([^:]*)::/.exec(evil)?.[1] ?? '';
  assert.deepEqual(
    props.split(',').map((p) => p.split('=')[0]),
    ['file', 'line', 'title'],
  );
  assert.equal(
    writeReport('github', emptyReport()),
    '::notice title=safe-render ci::safe-render ci passed: 0 apps: 0 passed, 0 refused, 0 failed, 0 skipped; 0 errors, 0 warnings.\n',
  );
});

test('github: every error is printed, warnings past 10 are not, and the notice says so', () => {
  const r: CiReport = richReport();
  const base = r.apps[2];
  assert.ok(base?.findings[0] && base.findings[2]);
  base.findings = [
    ...Array.from({ length: 14 }, () => base.findings[0]!),
    ...Array.from({ length: 25 }, () => base.findings[2]!),
  ];
  const lines = writeReport('github', r).trimEnd().split('\n');
  const count = (lvl: string) => lines.filter((l) => l.startsWith(`::${lvl} `)).length;
  assert.equal(count('error'), 14 + 3);
  assert.equal(count('warning'), 10);
  assert.match(
    lines[lines.length - 1] ?? '',
    /17 errors, 27 warnings\. GitHub shows at most 10 annotations of each level per step: 7 errors are in the log only, 17 warnings are not printed; see the JSON\/SARIF report\.$/,
  );
});

test('github: every line is one workflow command, whatever the report holds (property)', () => {
  fc.assert(
    fc.property(reportArb, (r) => {
      const out = writeReport('github', r);
      assert.ok(out.endsWith('\n'));
      for (const l of out.slice(0, -1).split(/\r\n|\r|\n/)) {
        const m = /^::(error|warning|notice) ((?:[a-z]+=[^,:]*)(?:,[a-z]+=[^,:]*)*)::/.exec(l);
        assert.ok(m, JSON.stringify(l));
        assert.ok(
          (m[2] ?? '').split(',').every((p) => /^(file|line|title)=/.test(p)),
          l,
        );
      }
    }),
    { seed: 11_04, numRuns: 200 },
  );
});
