// `safe-render lock`: the committed baseline every render is compared with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, makeRepo, manifest, parseJsonStream, runCli, writeFiles, type RunResult } from './helpers';
import {
  application,
  assertClean,
  assertLocked,
  assertRefused,
  configMaps,
  generate,
  lock,
  lockFile,
  lockObjects,
  readLock,
  REPO_URL,
  type App,
} from './lock-helpers';

const WEB: App = { path: 'apps/web', name: 'web', namespace: 'prod' };

function assertUsage(r: RunResult, message: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
}

test('locking an unchanged app twice writes the same bytes, lock and index', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(3), 'apps/web/db.yaml': manifest('StatefulSet', 'db') });
  assertLocked(lock(repo, WEB));
  const first = readLock(repo, 'web');
  const index = readFileSync(join(repo, '.safe-render/index'), 'utf8');
  const again = lock(repo, WEB);
  assertLocked(again);
  assert.match(again.stderr, /4 objects, 0 added, 0 removed/);
  assert.equal(readLock(repo, 'web'), first);
  assert.equal(readFileSync(join(repo, '.safe-render/index'), 'utf8'), index);
  assert.equal(index.split('\n').filter((l) => l === 'web').length, 1, 'the app is listed once');
});

test('an accepted change stays recorded when the unchanged app is locked again', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/db.yaml': manifest('StatefulSet', 'db') });
  assertLocked(lock(repo, WEB));
  rmSync(join(repo, 'apps/web/db.yaml'));
  assertLocked(lock(repo, WEB, ['--accept', 'protected-deletion:apps/StatefulSet/prod/db']));
  const accepted = readLock(repo, 'web');
  assert.match(accepted, /^accepted protected-deletion:apps\/StatefulSet\/prod\/db$/m);
  assertLocked(lock(repo, WEB));
  assert.equal(readLock(repo, 'web'), accepted);
  assert.equal(lock(repo, WEB, ['--check']).code, 0);
});

test('the lock format is sorted and stable: the same objects in any file, document or key order give the same bytes', () => {
  const svc = manifest('Service', 'web', { body: 'spec:\n  ports: [{port: 80}]\n' });
  const deploy = manifest('Deployment', 'web', {
    annotations: { 'helm.sh/resource-policy': 'keep', 'argocd.argoproj.io/sync-options': 'Prune=false' },
  });
  const ing = manifest('Ingress', 'web');
  const ns = manifest('Namespace', 'prod');
  const a = makeRepo({ 'apps/web/1.yaml': [svc, deploy].join('---\n'), 'apps/web/2.yaml': [ing, ns].join('---\n') });
  const b = makeRepo({
    'apps/web/z.yaml': [ns, ing].join('---\n'),
    'apps/web/a.json': JSON.stringify({
      metadata: {
        annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false', 'helm.sh/resource-policy': 'keep' },
        name: 'web',
      },
      kind: 'Deployment',
      apiVersion: 'apps/v1',
    }),
    'apps/web/m.yaml': svc,
  });
  assertLocked(lock(a, WEB));
  assertLocked(lock(b, WEB));
  const text = readLock(a, 'web');
  assert.equal(readLock(b, 'web'), text);
  assert.equal(
    text,
    `# safe-render lock: the reviewed baseline of what this app renders. Written by \`safe-render lock\`;
# do not edit by hand. Argo CD's sidecar refuses a render that drops an object listed here
# (unacknowledged-deletion) or weakens what is recorded; change this file in the same commit to accept.
safe-render-lock 2
app web
source {"path":"apps/web","repoURL":"${REPO_URL}"}
empty false
object apps/Deployment/prod/web {"annotations":{"argocd.argoproj.io/sync-options":"Prune=false","helm.sh/resource-policy":"keep"},"protected":"it is marked Prune=false"}
object core/Namespace/prod {"protected":"Namespace is a protected kind"}
object core/Service/prod/web
object networking.k8s.io/Ingress/prod/web
`,
  );
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/, 'no timestamps');
  const refs = lockObjects(text).map((l) => l.split(' ')[1]!);
  assert.deepEqual(
    refs,
    [...refs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
  );
});

test('no Secret data ever reaches the lock or stderr, whatever happens to the Secret', () => {
  const values = [
    'hunter2-plain',
    'c3VwZXJzZWNyZXQ=',
    'supersecret',
    'eyJiZWFyZXJUb2tlbiI6InRvay0xMjMifQ==',
    'tok-123',
    'last-applied-value',
  ];
  const secret = (v: string) => `apiVersion: v1
kind: Secret
metadata:
  name: creds
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"password":"last-applied-value"}}'
type: Opaque
stringData:
  password: ${v}
data:
  token: c3VwZXJzZWNyZXQ=
`;
  const clusterSecret = `apiVersion: v1
kind: Secret
metadata:
  name: eu-1
  labels:
    argocd.argoproj.io/secret-type: cluster
stringData:
  name: eu-1
  server: https://eu-1.example.com
  config: '{"bearerToken":"tok-123"}'
data:
  extra: eyJiZWFyZXJUb2tlbiI6InRvay0xMjMifQ==
`;
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(6),
    'apps/web/creds.yaml': secret('hunter2-plain'),
    'apps/web/cluster.yaml': clusterSecret,
  });
  const outputs: string[] = [];
  const run = (r: RunResult) => {
    outputs.push(r.stderr);
    return r;
  };
  assertLocked(run(lock(repo, WEB)));
  const text = readLock(repo, 'web');
  assert.match(text, /^object core\/Secret\/prod\/creds$/m);
  assert.match(text, /^object core\/Secret\/prod\/eu-1 \{"protected":"it registers a cluster with Argo CD"\}$/m);

  // A new value changes nothing the lock records.
  writeFiles(repo, { 'apps/web/creds.yaml': secret('other-value') });
  assertLocked(run(lock(repo, WEB)));
  assert.equal(readLock(repo, 'web'), text);
  writeFiles(repo, { 'apps/web/creds.yaml': secret('hunter2-plain') });

  // Both Secrets deleted: refused in the sidecar, in the preview, and by lock until accepted.
  rmSync(join(repo, 'apps/web/creds.yaml'));
  rmSync(join(repo, 'apps/web/cluster.yaml'));
  assertRefused(run(generate(repo, WEB)), 'unacknowledged-deletion');
  assertRefused(run(lock(repo, WEB)), 'protected-deletion');
  assertLocked(run(lock(repo, WEB, ['--accept', 'protected-deletion:core/Secret/prod/eu-1'])));
  assertClean(run(generate(repo, WEB)));
  // Back again, with the lock --check and a stale lock.
  writeFiles(repo, { 'apps/web/creds.yaml': secret('hunter2-plain'), 'apps/web/cluster.yaml': clusterSecret });
  run(generate(repo, WEB));
  assertRefused(run(lock(repo, WEB, ['--check'])), 'lock-stale');

  for (const file of [lockFile(repo, 'web'), join(repo, '.safe-render/index')]) {
    const content = readFileSync(file, 'utf8');
    for (const v of values) assert.ok(!content.includes(v), `${file} holds secret value ${v}`);
  }
  for (const v of values)
    for (const err of outputs) assert.ok(!err.includes(v), `stderr holds secret value ${v}:\n${err}`);
  assert.equal(outputs.length, 8);
});

test('an --accept token that matches no change is refused and nothing is written', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4) });
  assertUsage(
    lock(repo, WEB, ['--accept', 'protected-deletion:apps/StatefulSet/prod/db']),
    /nothing to accept: web has no lock yet/,
  );
  assert.ok(!existsSync(lockFile(repo, 'web')), 'no lock written');

  assertLocked(lock(repo, WEB));
  const before = readLock(repo, 'web');
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(3) });
  assertUsage(
    lock(repo, WEB, ['--accept', 'bogus']),
    /safe-render: error: nothing to accept for bogus; the changes that need acceptance are: none/,
  );
  assertUsage(lock(repo, WEB, ['--accept', 'mass-deletion:web']), /nothing to accept for mass-deletion:web/);
  assert.equal(readLock(repo, 'web'), before);
});

test('an unused --accept next to a needed one is refused too (every accepted token must mean something)', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/db.yaml': manifest('StatefulSet', 'db') });
  assertLocked(lock(repo, WEB));
  const before = readLock(repo, 'web');
  rmSync(join(repo, 'apps/web/db.yaml'));
  assertUsage(
    lock(repo, WEB, [
      '--accept',
      'protected-deletion:apps/StatefulSet/prod/db',
      '--accept',
      'protected-deletion:apps/StatefulSet/prod/dbx',
    ]),
    /nothing to accept for protected-deletion:apps\/StatefulSet\/prod\/dbx; the changes that need acceptance are: protected-deletion:apps\/StatefulSet\/prod\/db/,
  );
  assert.equal(readLock(repo, 'web'), before);
});

test('lock --check: 1 when missing or out of date or refused, 0 when up to date, 2 on bad usage; it never writes', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/web/db.yaml': manifest('StatefulSet', 'db') });
  const missing = lock(repo, WEB, ['--check']);
  assertRefused(missing, 'lock-stale');
  assert.match(missing.stderr, /\.safe-render\/locks\/web\.lock does not exist/);
  assert.ok(!existsSync(lockFile(repo, 'web')));

  assertLocked(lock(repo, WEB));
  const ok = lock(repo, WEB, ['--check']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /^safe-render: \.safe-render\/locks\/web\.lock is up to date \(5 objects\)$/m);

  const before = readLock(repo, 'web');
  writeFiles(repo, { 'apps/web/more.yaml': configMaps(1, 'more') });
  assertRefused(lock(repo, WEB, ['--check']), 'lock-stale');
  rmSync(join(repo, 'apps/web/more.yaml'));

  rmSync(join(repo, 'apps/web/db.yaml'));
  assertRefused(lock(repo, WEB, ['--check']), 'protected-deletion');
  assertRefused(lock(repo, WEB, ['--check', '--accept', 'protected-deletion:apps/StatefulSet/prod/db']), 'lock-stale');
  assert.equal(readLock(repo, 'web'), before, '--check never writes');

  assertUsage(lock(repo, WEB, ['--check', 'apps/other']), /lock takes one PATH, got 2/);
});

test('an app declared empty with --empty passes generate with an empty stream', () => {
  const repo = makeRepo({ 'apps/web/README.md': 'retired; kept for history\n' });
  assertRefused(generate(repo, WEB), 'empty-render');
  assertRefused(lock(repo, WEB), 'empty-render');
  assert.ok(!existsSync(lockFile(repo, 'web')));
  assertLocked(lock(repo, WEB, ['--empty']));
  assert.match(readLock(repo, 'web'), /^empty true$/m);
  assert.deepEqual(lockObjects(readLock(repo, 'web')), []);
  const r = generate(repo, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '');
  // Still declared empty when locked again without the flag.
  assertLocked(lock(repo, WEB));
  assert.match(readLock(repo, 'web'), /^empty true$/m);
});

test('--empty on an app that renders objects is a usage error; retiring an app needs the mass-deletion acceptance', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(2) });
  assertUsage(lock(repo, WEB, ['--empty']), /--empty, but the app renders 2 objects/);
  assertLocked(lock(repo, WEB));
  rmSync(join(repo, 'apps/web/cms.yaml'));
  writeFiles(repo, { 'apps/web/README.md': 'retired\n' });
  assertRefused(lock(repo, WEB, ['--empty']), 'mass-deletion');
  assertLocked(lock(repo, WEB, ['--empty', '--accept', 'mass-deletion:web']));
  const r = generate(repo, WEB);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
});

test('a corrupt lock refuses every render with exit 2, naming the lock file and line', () => {
  const corruptions: [string, (t: string) => string, RegExp][] = [
    ['an unknown line', (t) => `${t}garbage\n`, /:12: lock cannot be read: unknown line "garbage"/],
    ['invalid JSON', (t) => t.replace('source {', 'source {{'), /:6: lock cannot be read: invalid JSON after "source"/],
    [
      'another version',
      (t) => t.replace('safe-render-lock 2', 'safe-render-lock 3'),
      /:4: lock cannot be read: unsupported lock version "3"/,
    ],
    [
      'a version that is not a number',
      (t) => t.replace('safe-render-lock 2', 'safe-render-lock 2.0'),
      /:4: lock cannot be read: unsupported lock version "2\.0"/,
    ],
    [
      'a duplicated object',
      (t) => `${t}object core/ConfigMap/prod/cm-1\n`,
      /:12: lock cannot be read: object core\/ConfigMap\/prod\/cm-1 listed twice/,
    ],
    ['a truncated file', (t) => t.slice(0, t.indexOf('empty')), /:1: lock cannot be read: missing "empty" line/],
  ];
  for (const [what, corrupt, message] of corruptions) {
    const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4) });
    assertLocked(lock(repo, WEB));
    writeFileSync(lockFile(repo, 'web'), corrupt(readLock(repo, 'web')));
    for (const r of [
      generate(repo, WEB),
      runCli(['render', 'apps/web', '--app', 'web', '-n', 'prod'], { cwd: repo }),
      lock(repo, WEB),
    ]) {
      assert.equal(r.code, 2, `${what}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        /^error\[render-failed\] \.safe-render\/locks\/web\.lock:\d+: lock cannot be read: /,
        what,
      );
      assert.match(r.stderr, message, what);
      assert.match(
        r.stderr,
        /git checkout .* -- \.safe-render\/locks\/web\.lock/,
        `${what}: the fix says how to restore it`,
      );
    }
    // The fix's second way: delete it and write it again, accepting the new baseline, then review.
    rmSync(lockFile(repo, 'web'));
    assert.equal(lock(repo, WEB).code, 1, 'a lost lock is not re-baselined silently');
    assertLocked(lock(repo, WEB, ['--accept', 'lock-missing:web']));
    assertClean(generate(repo, WEB));
  }
});

test('a lock written for another app is refused (exit 2), naming both apps', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(4), 'apps/api/cms.yaml': configMaps(4) });
  assertLocked(lock(repo, WEB));
  writeFileSync(lockFile(repo, 'api'), readLock(repo, 'web'));
  const api: App = { path: 'apps/api', name: 'api', namespace: 'prod' };
  for (const r of [generate(repo, api), lock(repo, api)]) {
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^error\[render-failed\] \.safe-render\/locks\/api\.lock: the lock is for app "web", not "api"\./m,
    );
    assert.match(r.stderr, /git checkout COMMIT -- \.safe-render\/locks\/api\.lock.*or delete it and write it again/);
  }
});

test('--application reads name, destination namespace, path and repository from the Application', () => {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(2),
    'argocd/web.yaml': application('web', { path: 'apps/web', destNamespace: 'prod' }),
  });
  const r = runCli(['lock', '--application', 'argocd/web.yaml'], { cwd: repo });
  assertLocked(r);
  const text = readLock(repo, 'web');
  assert.match(text, /^app web$/m);
  assert.match(text, new RegExp(`^source \\{"path":"apps/web","repoURL":"${REPO_URL}"\\}$`, 'm'));
  assert.match(text, /^object core\/ConfigMap\/prod\/cm-1$/m, 'objects take the destination namespace');
  assertClean(generate(repo, WEB));
  // Run from a subfolder, the manifest's path is still relative to the repository root.
  assertLocked(runCli(['lock', '--application', 'web.yaml'], { cwd: join(repo, 'argocd') }));
  assert.equal(readLock(repo, 'web'), text);
});

test('--application: an Application outside the control-plane namespace is named NS_NAME', () => {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(2),
    'argocd/web.yaml': application('web', { path: 'apps/web', destNamespace: 'prod', namespace: 'team-a' }),
  });
  assertLocked(runCli(['lock', '--application', 'argocd/web.yaml'], { cwd: repo }));
  assert.match(readLock(repo, 'team-a_web'), /^app team-a_web$/m);
  assert.ok(!existsSync(lockFile(repo, 'web')));
  assert.match(readFileSync(join(repo, '.safe-render/index'), 'utf8'), /^team-a_web$/m);
  assertClean(generate(repo, { ...WEB, name: 'team-a_web' }));
  // Where Argo CD itself runs in team-a, the app is plain "web".
  assertLocked(
    runCli(['lock', '--application', 'argocd/web.yaml', '--control-plane-namespace', 'team-a'], { cwd: repo }),
  );
  assert.match(readLock(repo, 'web'), /^app web$/m);
});

test('mass-deletion: the default budget is 5 objects or 30% of the app', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(20) });
  assertLocked(lock(repo, WEB));
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(15) });
  const l = lock(repo, WEB);
  assertLocked(l);
  assert.match(l.stderr, /15 objects, 0 added, 5 removed/);

  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(9) });
  const [line] = assertRefused(lock(repo, WEB), 'mass-deletion');
  assert.match(
    line!,
    /^error\[mass-deletion\] web: 6 of 15 objects \(40%\) would be removed, over the budget of 5 objects, or 30% once 3 or more go; the lock was not written\. Fix: if this is intended, run the same command with --accept mass-deletion:web/,
  );
  assertLocked(lock(repo, WEB, ['--accept', 'mass-deletion:web']));
  assert.match(readLock(repo, 'web'), /^accepted mass-deletion:web$/m);
  assertClean(generate(repo, WEB));

  // A share over 30% of a small app counts too, from 3 objects (the floor): 3 of 5.
  const small = makeRepo({ 'apps/web/cms.yaml': configMaps(5) });
  assertLocked(lock(small, WEB));
  writeFiles(small, { 'apps/web/cms.yaml': configMaps(2) });
  assert.match(assertRefused(lock(small, WEB), 'mass-deletion')[0]!, /3 of 5 objects \(60%\)/);
});

test("mass-deletion: the platform policy's deletionBudget sets the budget", () => {
  const repo = makeRepo({
    'apps/web/cms.yaml': configMaps(10),
    'policy/tight.yaml': 'default:\n  deletionBudget: {objects: 1}\n',
    'policy/loose.yaml': 'default:\n  deletionBudget: {objects: 100, percent: 50}\n',
  });
  assertLocked(lock(repo, WEB));
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(8) });
  // 2 of 10 is within the default budget, but not within the policy's.
  assert.match(
    assertRefused(lock(repo, WEB, ['--policy', 'policy/tight.yaml']), 'mass-deletion')[0]!,
    /2 of 10 objects \(20%\) would be removed, over the budget of 1 objects, or 30% once 3 or more go/,
  );
  assert.match(
    assertRefused(lock(repo, WEB, [], { SAFE_RENDER_POLICY: join(repo, 'policy/tight.yaml') }), 'mass-deletion')[0]!,
    /over the budget of 1 objects/,
  );
  // The sidecar's refusal names the acceptance the policy requires.
  const [gen] = assertRefused(
    generate(repo, WEB, { SAFE_RENDER_POLICY: join(repo, 'policy/tight.yaml') }),
    'unacknowledged-deletion',
  );
  assert.match(gen!, /--accept mass-deletion:web`/);

  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(4) });
  // 6 of 10 (60%) is over the loose policy's 50%; 5 of 10 is not.
  assert.match(
    assertRefused(lock(repo, WEB, ['--policy', 'policy/loose.yaml']), 'mass-deletion')[0]!,
    /6 of 10 objects \(60%\) would be removed, over the budget of 100 objects, or 50% once 3 or more go/,
  );
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(5) });
  assertLocked(lock(repo, WEB, ['--policy', 'policy/loose.yaml']));
  assert.equal(lockObjects(readLock(repo, 'web')).length, 5);
});

test('locking again without --repo-url keeps the recorded repository, so drift stays detectable', () => {
  const repo = makeRepo({ 'apps/web/cms.yaml': configMaps(2) });
  assertLocked(lock(repo, WEB));
  const text = readLock(repo, 'web');
  const bare = ['lock', 'apps/web', '--app', 'web', '--namespace', 'prod'];
  assert.equal(runCli([...bare, '--check'], { cwd: repo }).code, 0);
  assertLocked(runCli(bare, { cwd: repo }));
  assert.equal(readLock(repo, 'web'), text);
  assertRefused(generate(repo, { ...WEB, repoURL: 'https://git.example.com/fork.git' }), 'app-source-drift');
  // A stale lock's fix names the repository too, so following it cannot drop it.
  writeFiles(repo, { 'apps/web/cms.yaml': configMaps(3) });
  assert.match(
    assertRefused(lock(repo, WEB, ['--check']), 'lock-stale')[0]!,
    new RegExp(
      `run \`safe-render lock apps/web --app web --namespace prod --repo-url ${REPO_URL}\` from the repository root`,
    ),
  );
  const out = generate(repo, WEB);
  assert.equal(parseJsonStream(out.stdout).length, 3);
});

test('lock: a lock lost while the index still lists the app is not silently re-baselined', () => {
  const repo = makeRepo({ 'apps/web/a.yaml': manifest('ConfigMap', 'a') });
  const flags = ['apps/web', '--app', 'web', '--namespace', 'prod'];
  assert.equal(runCli(['lock', ...flags], { cwd: repo }).code, 0);
  rmSync(join(repo, '.safe-render/locks/web.lock'));
  const refused = runCli(['lock', ...flags], { cwd: repo });
  assert.equal(refused.code, 1);
  assert.match(
    findingLines(refused.stderr, 'lock-missing')[0]!,
    /^error\[lock-missing\] app web: .*a new lock would reset its baseline.*--accept lock-missing:web/,
  );
  assert.equal(existsSync(join(repo, '.safe-render/locks/web.lock')), false);
  const accepted = runCli(['lock', ...flags, '--accept', 'lock-missing:web'], { cwd: repo });
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.match(readFileSync(join(repo, '.safe-render/locks/web.lock'), 'utf8'), /^accepted lock-missing:web$/m);
});
