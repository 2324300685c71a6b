// The CiReport the report tests are written against (test-only): every verdict, findings with and
// without sources, repository findings, a generator not evaluated, a shard, and hostile strings where a
// repository controls them (app names, object names, file names, messages).
import fc from 'fast-check';
import type { Finding } from '../../model/finding';
import { RULE_IDS } from '../../model/rule-catalog';
import type { CiApp, CiReport } from '../report-model';

/** What a pull request can put in a name or a message: a Markdown link, HTML, a mention, a table
 * pipe, XML's specials and a CDATA end, control characters (a terminal escape, a line break), a lone
 * surrogate, a workflow command's separators. */
export const HOSTILE =
  '[click](https://evil.example) <img src=x onerror=alert(1)> @acme/admins | x & "q" \'s ]]> \u0001\u001b[31m\r\n::error::pwned %0A,:\ud800 www.evil.example #12';

function finding(f: Partial<Finding> & Pick<Finding, 'rule' | 'message'>): Finding {
  return { severity: 'error', sources: [], fix: '', ...f };
}

/** `id` first, positional: a field `id: '...'` reads as a rule id to test/catalog.test.ts. */
function app(id: string, a: Partial<CiApp> & Pick<CiApp, 'verdict'>): CiApp {
  return {
    id,
    appName: id.replace('/', '_'),
    definedIn: { file: 'apps/root.yaml', line: 1 },
    objects: [],
    deletions: { pending: 0, accepted: 0 },
    findings: [],
    durationMs: 120,
    ...a,
  };
}

export function richReport(): CiReport {
  return {
    kind: 'safe-render-ci',
    version: 1,
    tool: '0.1.0',
    repo: { url: 'https://github.com/acme/deploy.git', revision: '0123456789abcdef0123456789abcdef01234567' },
    shard: { index: 2, count: 3 },
    apps: [
      app('guestbook', {
        verdict: 'passed',
        engine: 'directory',
        sourcePath: 'apps/guestbook',
        definedIn: { file: 'apps/guestbook.yaml', line: 1 },
        objects: [
          { ref: 'apps/Deployment/guestbook/web', file: 'apps/guestbook/deploy.yaml', line: 1 },
          { ref: '/Service/guestbook/web', file: 'apps/guestbook/svc.yaml', line: 1 },
        ],
        sha256: 'ab'.repeat(32),
        bytes: 1234,
      }),
      app('monitoring', {
        verdict: 'passed',
        engine: 'helm',
        definedIn: { file: 'apps/monitoring.yaml', line: 4 },
        objects: [{ ref: '/ConfigMap/monitoring/cfg', file: 'charts/mon/templates/cm.yaml', line: 1 }],
        findings: [
          finding({
            rule: 'lock-stale',
            severity: 'warning',
            object: 'app monitoring',
            message: 'the render adds 1 object the lock does not record',
            fix: 'run `safe-render lock` and commit the lock',
          }),
        ],
      }),
      app('payments', {
        verdict: 'refused',
        engine: 'kustomize',
        definedIn: { file: 'apps/payments.yaml', line: 7 },
        objects: [{ ref: 'apps/Deployment/payments/api', file: 'apps/payments/base/deploy.yaml', line: 1 }],
        deletions: { pending: 2, accepted: 0 },
        findings: [
          finding({
            rule: 'duplicate-object',
            object: 'apps/Deployment payments/api',
            sources: [
              { file: 'apps/payments/base/deploy.yaml', line: 1 },
              { file: 'apps/payments/overlay/deploy.yaml', line: 12 },
            ],
            message: 'defined 2 times with different content',
            fix: 'delete one of the copies',
          }),
          finding({
            rule: 'unacknowledged-deletion',
            object: '/Service payments/api',
            message: 'the lock holds it and the render does not',
            fix: 'restore it, or accept the deletion with `safe-render lock`',
          }),
          finding({
            rule: 'lock-stale',
            severity: 'warning',
            object: 'app payments',
            message: 'out of date',
            fix: 'run `safe-render lock`',
          }),
        ],
      }),
      app('team-a/billing', {
        appName: 'team-a_billing',
        verdict: 'failed',
        engine: 'helm',
        definedIn: { file: 'apps/team-a/billing.yaml', line: 3 },
        appSet: 'argocd/teams',
        findings: [
          finding({ rule: 'render-failed', object: 'helm', message: 'helm template failed: exit 1', fix: '' }),
        ],
        durationMs: 2500,
      }),
      app('other-repo', {
        verdict: 'skipped',
        skipped: 'its source is https://github.com/other/charts, not this repository',
        definedIn: { file: 'apps/other.yaml', line: 1 },
        durationMs: 0,
      }),
      app(`team-b/${HOSTILE}`, {
        verdict: 'refused',
        engine: `kustomize${HOSTILE}`,
        definedIn: { file: `dir with space/#x ${HOSTILE}.yaml`, line: 2 },
        findings: [
          finding({
            rule: 'namespace-escape',
            object: `/ConfigMap ${HOSTILE}`,
            sources: [{ file: `dir with space/#x ${HOSTILE}.yaml`, line: 9 }],
            message: `writes into ${HOSTILE}`,
            fix: `move it ${HOSTILE}`,
          }),
        ],
      }),
      app(`${HOSTILE}-skipped`, {
        verdict: 'skipped',
        skipped: `uses plugin ${HOSTILE}`,
      }),
    ],
    notEvaluated: [
      {
        appSet: 'argocd/clusters-set',
        generator: 'clusters',
        why: 'it lists the clusters Argo CD knows, which only a running Argo CD has',
        definedIn: { file: 'appsets/clusters.yaml', line: 1 },
      },
    ],
    findings: [
      finding({
        rule: 'duplicate-object',
        object: '/ConfigMap shared/settings',
        sources: [
          { file: 'apps/payments/base/cm.yaml', line: 1 },
          { file: 'apps/guestbook/cm.yaml', line: 5 },
        ],
        message: 'rendered by payments and guestbook',
        fix: 'keep it in one app',
      }),
      finding({
        rule: 'mass-deletion',
        severity: 'warning',
        message: 'the pull request deletes 40 objects across 9 apps',
        fix: 'check the shared template',
      }),
    ],
    exitCode: 1,
    durationMs: 5321,
  };
}

export function emptyReport(): CiReport {
  return {
    kind: 'safe-render-ci',
    version: 1,
    tool: '0.1.0',
    repo: { url: 'git@github.com:acme/deploy.git', revision: '' },
    apps: [],
    notEvaluated: [],
    findings: [],
    exitCode: 0,
    durationMs: 0,
  };
}

/** Any string a hostile repository could produce: every UTF-16 code unit (lone surrogates, controls,
 * U+FFFE), weighted towards the characters the formats treat specially. */
export const hostileString = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'<>&"\'[]()|@#:,%\r\n\t`*_\\!~$]]>\u0000\u001b\u2028\ufffe\ud800\udc00'.split('')),
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('a', 'b', ' ', '/', '.', '-'),
  ),
  maxLength: 60,
});

const rules = fc.constantFrom(...RULE_IDS);
const place = fc.record({ file: hostileString, line: fc.integer({ min: 0, max: 100_000 }) });
const findingArb: fc.Arbitrary<Finding> = fc.record(
  {
    rule: rules,
    severity: fc.constantFrom('error' as const, 'warning' as const),
    object: hostileString,
    sources: fc.array(place, { maxLength: 3 }),
    message: hostileString,
    fix: hostileString,
  },
  { requiredKeys: ['rule', 'severity', 'sources', 'message', 'fix'] },
);
const appArb: fc.Arbitrary<CiApp> = fc
  .record({
    id: hostileString,
    verdict: fc.constantFrom('passed' as const, 'refused' as const, 'failed' as const, 'skipped' as const),
    skipped: hostileString,
    engine: hostileString,
    definedIn: place,
    findings: fc.array(findingArb, { maxLength: 4 }),
    objects: fc.nat(5),
    durationMs: fc.nat(100_000),
  })
  .map((a) =>
    app(a.id, {
      ...a,
      objects: Array.from({ length: a.objects }, (_, i) => ({ ref: `/ConfigMap/ns/c${i}`, file: 'a.yaml', line: 1 })),
    }),
  );

/** Any report: up to 40 apps of any verdict, repository findings, generators not evaluated, a shard. */
export const reportArb: fc.Arbitrary<CiReport> = fc
  .record({
    apps: fc.array(appArb, { maxLength: 40 }),
    findings: fc.array(findingArb, { maxLength: 5 }),
    notEvaluated: fc.array(
      fc.record({ appSet: hostileString, generator: hostileString, why: hostileString, definedIn: place }),
      { maxLength: 4 },
    ),
    shard: fc.option(fc.record({ index: fc.integer({ min: 1, max: 9 }), count: fc.integer({ min: 1, max: 9 }) }), {
      nil: undefined,
    }),
    exitCode: fc.constantFrom(0 as const, 1 as const),
    revision: hostileString,
  })
  .map(({ revision, shard, ...r }) => ({
    ...emptyReport(),
    ...r,
    ...(shard ? { shard } : {}),
    repo: { url: 'https://github.com/acme/deploy.git', revision },
    durationMs: 1,
  }));
