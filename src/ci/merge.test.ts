// ci merge: three shards of one run give the unsharded verdict and findings, cross-app ones included;
// reports that are not the shards of one run are refused with the file named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repositoryFindings } from './cross-app';
import { mergeReports, reportExitCode } from './merge';
import { CI_REPORT_VERSION, type CiApp, type CiReport } from './report-model';
import { shardOf } from './shard';
import fc from 'fast-check';

const MAX = 20;
const LOCKED = ['app-00', 'app-01', 'gone'];

function app(id: string, extra: Partial<CiApp> = {}): CiApp {
  return {
    id,
    appName: id,
    verdict: 'passed',
    definedIn: { file: 'apps/root/apps.yaml', line: 1 + Number(id.slice(4)) * 10 },
    objects: [
      { ref: `core/ConfigMap/${id}/settings`, file: `apps/${id}/cm.yaml`, line: 1 },
      { ref: `apps/Deployment/${id}/web`, file: `apps/${id}/deploy.yaml`, line: 1 },
    ],
    deletions: { pending: 0, accepted: 0 },
    findings: [],
    sha256: 'a'.repeat(64),
    bytes: 100,
    durationMs: 10,
    ...extra,
  };
}

/** 24 apps: two in different shards render one Secret, 16 delete 2 objects each (32 > 20, no shard alone
 * over 20), one is refused, one skipped; `gone` is locked but no app has it. */
function repository(): CiApp[] {
  const ids = Array.from({ length: 24 }, (_, i) => `app-${String(i).padStart(2, '0')}`);
  const a = ids[0]!;
  const b = ids.find((id) => shardOf(id, 3) !== shardOf(a, 3))!;
  return ids.map((id, i) =>
    app(id, {
      ...(id === a || id === b
        ? {
            objects: [
              { ref: `core/ConfigMap/${id}/settings`, file: `apps/${id}/cm.yaml`, line: 1 },
              { ref: 'core/Secret/shared/creds', file: `apps/${id}/secret.yaml`, line: 4 },
            ],
          }
        : {}),
      ...(i < 16 ? { deletions: { pending: 1, accepted: 1 } } : {}),
      ...(i === 20
        ? {
            verdict: 'refused' as const,
            findings: [
              {
                rule: 'namespace-escape' as const,
                severity: 'error' as const,
                object: 'ConfigMap kube-system/x',
                sources: [{ file: 'apps/app-20/x.yaml', line: 1 }],
                message: 'writes kube-system',
                fix: 'do not',
              },
            ],
          }
        : {}),
      ...(i === 21 ? { verdict: 'skipped' as const, skipped: 'another plugin', objects: [] } : {}),
    }),
  );
}

function report(apps: CiApp[], extra: Partial<CiReport> = {}): CiReport {
  const findings = repositoryFindings(apps, { maxDeletions: MAX, ...(extra.shard ? {} : { lockedApps: LOCKED }) });
  return {
    kind: 'safe-render-ci',
    version: CI_REPORT_VERSION,
    tool: '0.1.0',
    repo: { url: 'https://git.example.com/shop.git', revision: 'c0ffee' },
    apps,
    notEvaluated: [],
    lockedApps: LOCKED,
    maxDeletions: MAX,
    findings,
    exitCode: reportExitCode(apps, findings),
    durationMs: 100,
    ...extra,
  };
}

function shards(apps: CiApp[], count = 3): CiReport[] {
  return Array.from({ length: count }, (_, k) =>
    report(
      apps.filter((a) => shardOf(a.id, count) === k + 1),
      { shard: { index: k + 1, count }, durationMs: 100 + k },
    ),
  );
}

/** As `ci merge` reads them: JSON files. */
const files = (rs: unknown[]) =>
  rs.map((r, i) => ({ file: `shard-${i + 1}.json`, value: JSON.parse(JSON.stringify(r)) }));

function merged(rs: unknown[]): CiReport {
  const m = mergeReports(files(rs));
  if ('error' in m) assert.fail(m.error);
  return m;
}

function refused(rs: unknown[], re: RegExp) {
  const m = mergeReports(files(rs));
  assert.ok('error' in m, 'the merge must be refused');
  assert.match(m.error, re);
}

test('merge of 3 shards: the same verdict, apps and findings as the unsharded run, cross-app ones included', () => {
  const apps = repository();
  const whole = report(apps);
  const parts = shards(apps);
  assert.equal(
    parts.reduce((n, p) => n + p.apps.length, 0),
    apps.length,
    'the shards partition the apps',
  );
  // What only the whole repository shows: no shard sees the collision nor the budget breach.
  for (const p of parts)
    assert.ok(!p.findings.some((f) => f.rule === 'cross-app-collision' || f.rule === 'repo-mass-deletion'));
  const rules = whole.findings.map((f) => f.rule);
  assert.deepEqual(rules, ['cross-app-collision', 'repo-mass-deletion', 'lock-orphaned']);
  // The merge, in any order of files.
  const m = merged([parts[2], parts[0], parts[1]]);
  assert.deepEqual(m.findings, whole.findings);
  assert.equal(m.exitCode, whole.exitCode);
  assert.equal(m.exitCode, 1);
  assert.deepEqual(m.apps, whole.apps);
  assert.equal(m.shard, undefined);
  assert.deepEqual(m.lockedApps, LOCKED);
  assert.equal(m.maxDeletions, MAX);
  assert.equal(m.durationMs, 102, 'the slowest shard');
  assert.match(m.findings[1]!.message, /^32 objects would be deleted across 16 apps, over the repository budget of 20/);
});

test('merge of a clean repository passes; one shard alone of one shard count passes too', () => {
  const apps = Array.from({ length: 9 }, (_, i) => app(`app-0${i}`));
  const m = merged(shards(apps).map((s) => ({ ...s, lockedApps: undefined })));
  assert.equal(m.exitCode, 0);
  assert.deepEqual(m.findings, []);
  assert.equal(merged(shards(apps, 1).map((s) => ({ ...s, lockedApps: ['app-00'] }))).exitCode, 0);
});

test('notEvaluated generators are joined once, and make an orphaned lock a warning', () => {
  const ne = {
    appSet: 'argocd/by-cluster',
    generator: 'clusters',
    why: 'needs a cluster',
    definedIn: { file: 'a.yaml', line: 2 },
  };
  const parts = shards([app('app-00'), app('app-01'), app('app-02')]).map((s) => ({ ...s, notEvaluated: [ne] }));
  const m = merged(parts);
  assert.deepEqual(m.notEvaluated, [ne]);
  assert.deepEqual(
    m.findings.map((f) => [f.rule, f.severity]),
    [['lock-orphaned', 'warning']],
  );
  assert.equal(m.exitCode, 0);
});

test('a shard that exited 1 for a reason its apps do not show keeps the merge at 1 (fail closed)', () => {
  const parts = shards([app('app-00'), app('app-01'), app('app-02')]).map((s) => ({ ...s, lockedApps: undefined }));
  parts[1]!.exitCode = 1;
  assert.equal(merged(parts).exitCode, 1);
  // A shard that claims 0 over a refused app does not make the merge pass.
  const bad = shards([app('app-00', { verdict: 'failed' }), app('app-01')]).map((s) => ({
    ...s,
    exitCode: 0,
    lockedApps: undefined,
  }));
  assert.equal(merged(bad).exitCode, 1);
});

test('refused: a missing shard, a shard twice, a shard count that differs', () => {
  const parts = shards(repository());
  refused([parts[0], parts[2]], /^ci merge: shard 2 of 3 missing \(did its job fail or not upload the report\?\)/);
  refused([parts[0]], /^ci merge: shards 2, 3 of 3 missing/);
  refused([parts[0], parts[1], parts[2], parts[1]], /^shard-4\.json: shard 2\/3 is also shard-2\.json/);
  refused(
    [parts[0], parts[1], { ...parts[2], shard: { index: 3, count: 4 } }],
    /^shard-3\.json: shard count "4", but shard-1\.json has "3"/,
  );
  refused(
    [parts[0], parts[1], { ...parts[2], shard: { index: 4, count: 3 } }],
    /^shard-3\.json: shard 4\/3 is out of range/,
  );
  refused([{ ...parts[0], shard: undefined }], /^shard-1\.json: not a shard's report/);
  refused([], /no report/);
});

test('refused: shards of another revision, repository, bundle, index or budget', () => {
  const parts = shards(repository());
  const with3 = (r: Partial<CiReport>) => [parts[0], parts[1], { ...parts[2], ...r }];
  refused(
    with3({ repo: { url: parts[0]!.repo.url, revision: 'deadbeef' } }),
    /^shard-3\.json: revision "deadbeef", but shard-1\.json has "c0ffee"/,
  );
  refused(
    with3({ repo: { url: 'https://other', revision: 'c0ffee' } }),
    /^shard-3\.json: repository "https:\/\/other"/,
  );
  refused(with3({ tool: '0.2.0' }), /^shard-3\.json: written by safe-render "0\.2\.0"/);
  refused(with3({ lockedApps: ['app-00'] }), /^shard-3\.json: its locked apps/);
  refused(with3({ maxDeletions: 1000 }), /^shard-3\.json: deletion budget "1000", but shard-1\.json has "20"/);
});

test('refused: an app twice, or in a shard its id does not hash to', () => {
  const parts = shards(repository());
  const dup = { ...parts[0]!, apps: [...parts[0]!.apps, parts[0]!.apps[0]!] };
  refused([dup, parts[1], parts[2]], /^shard-1\.json: app "app-\d\d" is also in shard-1\.json/);
  const stray = { ...parts[0]!, apps: [...parts[0]!.apps, parts[1]!.apps[0]!] };
  refused([stray, parts[1], parts[2]], /belongs to shard \d\/3, not 1\/3|is also in/);
  const moved = { ...parts[0]!, apps: [...parts[0]!.apps, parts[1]!.apps[0]!] };
  const rest = { ...parts[1]!, apps: parts[1]!.apps.slice(1) };
  refused([moved, rest, parts[2]], /^shard-1\.json: app "app-\d\d" belongs to shard 2\/3, not 1\/3/);
});

test('refused: another report version, and malformed values, naming the file and the field', () => {
  const [p1, p2, p3] = shards(repository());
  const bad = (v: unknown, re: RegExp) => refused([v, p2, p3], re);
  const app0 = p1!.apps[0]!;
  const withApp = (a: unknown) => ({ ...p1, apps: [a] });
  bad({ ...p1, version: 2 }, /^shard-1\.json: not a safe-render ci report of version 1: version: expected 1 .*not 2$/);
  bad(null, /^shard-1\.json: .*expected an object, not null/);
  bad('report', /expected an object/);
  bad([], /expected an object, not \[\]/);
  bad({ ...p1, kind: 'sarif' }, /kind: expected "safe-render-ci"/);
  bad({ ...p1, apps: {} }, /apps: expected an array/);
  bad({ ...p1, exitCode: 2 }, /exitCode: expected 0 or 1/);
  bad({ ...p1, durationMs: -1 }, /durationMs: expected a non-negative number/);
  bad({ ...p1, shard: { index: 1.5, count: 3 } }, /shard\.index: expected a non-negative integer/);
  bad({ ...p1, repo: { url: 1, revision: 'c0ffee' } }, /repo\.url: expected a string/);
  bad({ ...p1, lockedApps: [1] }, /lockedApps\[0\]: expected an app name/);
  bad({ ...p1, maxDeletions: '5' }, /maxDeletions: expected a non-negative integer/);
  bad(withApp({ ...app0, id: '' }), /apps\[0\]\.id: expected a non-empty app id/);
  bad(withApp({ ...app0, verdict: 'ok' }), /apps\[0\]\.verdict: expected one of passed, refused, failed, skipped/);
  bad(
    withApp({ ...app0, objects: [{ ref: 'x', file: 'f', line: '1' }] }),
    /apps\[0\]\.objects\[0\]\.line: expected a non-negative integer, not "1"/,
  );
  bad(withApp({ ...app0, objects: [{ file: 'f', line: 1 }] }), /apps\[0\]\.objects\[0\]\.ref: expected a string/);
  bad(
    withApp({ ...app0, deletions: { pending: Infinity, accepted: 0 } }),
    /deletions\.pending: expected a non-negative integer/,
  );
  bad(withApp({ ...app0, deletions: { pending: -3, accepted: 0 } }), /deletions\.pending/);
  bad(withApp({ ...app0, sha256: 'xyz' }), /sha256: expected 64 hex digits/);
  bad(withApp({ ...app0, definedIn: 'apps.yaml' }), /definedIn: expected an object/);
  bad(withApp({ ...app0, destination: { server: 7 } }), /destination\.server: expected a string/);
  bad(
    withApp({ ...app0, findings: [{ rule: 'no-such-rule', severity: 'error', sources: [], message: '', fix: '' }] }),
    /findings\[0\]\.rule: expected a rule id/,
  );
  bad(
    withApp({ ...app0, findings: [{ rule: 'empty-render', severity: 'fatal', sources: [], message: '', fix: '' }] }),
    /severity: expected error or warning/,
  );
  bad(withApp({ ...app0, appName: 'x'.repeat(20_000) }), /appName: longer than 16384 characters/);
  bad(
    { ...p1, notEvaluated: [{ appSet: 'a', generator: 'g', why: 'w' }] },
    /notEvaluated\[0\]\.definedIn: expected an object/,
  );
  bad({ ...p1, apps: new Array(100_001).fill(0) }, /apps: more than 100000 entries/);
});

test('hostile keys are not carried into the merged report', () => {
  const [p1, p2, p3] = shards([app('app-00'), app('app-01'), app('app-02'), app('app-03')]).map((s) => ({
    ...s,
    lockedApps: undefined,
  }));
  const hostile = JSON.parse(JSON.stringify(p1).replace('{', '{"__proto__":{"polluted":1},"extra":"x",'));
  const m = merged([hostile, p2, p3]);
  assert.equal(Object.hasOwn(m, 'extra'), false);
  assert.equal((m as unknown as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('property: for any repository and any N, merging its N shards gives the unsharded findings and verdict', () => {
  const arbApp = fc.record({
    n: fc.integer({ min: 0, max: 60 }),
    refs: fc.uniqueArray(
      fc.constantFrom('core/ConfigMap/a/x', 'core/ConfigMap/b/x', 'apps/Deployment/a/web', 'core/Namespace/a'),
      {
        maxLength: 3,
      },
    ),
    pending: fc.integer({ min: 0, max: 6 }),
    accepted: fc.integer({ min: 0, max: 3 }),
    verdict: fc.constantFrom('passed' as const, 'passed' as const, 'refused' as const, 'skipped' as const),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(arbApp, { selector: (a) => a.n, maxLength: 25 }),
      fc.integer({ min: 1, max: 6 }),
      (spec, count) => {
        const apps = spec
          .map((s) =>
            app(`app-${String(s.n).padStart(2, '0')}`, {
              verdict: s.verdict,
              objects: s.refs.map((ref) => ({ ref, file: `f-${s.n}.yaml`, line: 1 })),
              deletions: { pending: s.pending, accepted: s.accepted },
            }),
          )
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        const whole = report(apps);
        const m = merged(shards(apps, count));
        assert.deepEqual(m.findings, whole.findings);
        assert.equal(m.exitCode, whole.exitCode);
        assert.deepEqual(m.apps, whole.apps);
      },
    ),
    { seed: 4711, numRuns: 200 },
  );
});
