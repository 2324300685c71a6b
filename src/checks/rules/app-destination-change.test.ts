import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, writeFiles } from '../../../test/helpers';
import {
  application,
  assertClean,
  assertLocked,
  assertRefused,
  generate,
  lock,
  readLock,
  type App,
  applicationSet,
} from '../../../test/lock-helpers';

// An app-of-apps: the parent app renders Application objects into Argo CD's namespace.
const ROOT: App = { path: 'apps/root', name: 'root', namespace: 'argocd' };
const WEB_REF = 'argoproj.io/Application/argocd/web';

function appOfApps(): string {
  const repo = makeRepo({
    'apps/root/web.yaml': application('web', { path: 'apps/web', destNamespace: 'web' }),
    'apps/root/api.yaml': application('api', { path: 'apps/api', destNamespace: 'api' }),
  });
  assertLocked(lock(repo, ROOT));
  assertClean(generate(repo, ROOT));
  return repo;
}

test('a child Application deploying to another namespace is refused, showing old and new destination', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', destNamespace: 'web-new' }) });
  const lines = assertRefused(generate(repo, ROOT), 'app-destination-change');
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    new RegExp(
      `^error\\[app-destination-change\\] ${WEB_REF}: destination changed from \\{"namespace":"web","server":"https://kubernetes\\.default\\.svc"\\} to \\{"namespace":"web-new","server":"https://kubernetes\\.default\\.svc"\\} \\(lock: \\.safe-render/locks/root\\.lock\\); what it deployed at the old destination is pruned or abandoned`,
    ),
  );
  assert.match(lines[0]!, new RegExp(`--accept app-destination-change:${WEB_REF}`));
});

test('a child Application deploying to another cluster is refused', () => {
  const repo = appOfApps();
  writeFiles(repo, {
    'apps/root/web.yaml': application('web', {
      path: 'apps/web',
      destNamespace: 'web',
      server: 'https://eu-2.example.com',
    }),
  });
  assert.match(
    assertRefused(generate(repo, ROOT), 'app-destination-change')[0]!,
    /"server":"https:\/\/eu-2\.example\.com"/,
  );
});

test('a child Application re-pointed at another source path is refused as a source change', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web-v2', destNamespace: 'web' }) });
  const [line] = assertRefused(generate(repo, ROOT), 'app-destination-change');
  assert.match(
    line!,
    /source changed from \{"path":"apps\/web","repoURL":"[^"]+","targetRevision":"main"\} to \{"path":"apps\/web-v2",.*what it deployed from the old source is replaced by whatever the new one renders/,
  );
});

test('lock refuses the move without --accept app-destination-change:REF; with it, the parent renders cleanly', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/web.yaml': application('web', { path: 'apps/web', destNamespace: 'web-new' }) });
  const refused = lock(repo, ROOT);
  assert.match(
    assertRefused(refused, 'app-destination-change')[0]!,
    new RegExp(`run the same command with --accept app-destination-change:${WEB_REF}`),
  );
  assertLocked(lock(repo, ROOT, ['--accept', `app-destination-change:${WEB_REF}`]));
  assert.match(readLock(repo, 'root'), new RegExp(`^accepted app-destination-change:${WEB_REF}$`, 'm'));
  assertClean(generate(repo, ROOT));
});

test('an ApplicationSet template that changes destination is refused too', () => {
  const appset = (ns: string) => applicationSet({ regions: ['eu', 'us'], namespace: ns });
  const repo = makeRepo({
    'apps/root/shops.yaml': appset('shop-{{region}}'),
    'apps/root/web.yaml': application('web', { path: 'apps/web' }),
  });
  assertLocked(lock(repo, ROOT));
  writeFiles(repo, { 'apps/root/shops.yaml': appset('shop') });
  assert.match(
    assertRefused(generate(repo, ROOT), 'app-destination-change')[0]!,
    /^error\[app-destination-change\] argoproj\.io\/ApplicationSet\/argocd\/shops: destination changed/,
  );
  assertLocked(lock(repo, ROOT, ['--accept', 'app-destination-change:argoproj.io/ApplicationSet/argocd/shops']));
  assertClean(generate(repo, ROOT));
});

test('a new Application, or one whose destination is unchanged, passes', () => {
  const repo = appOfApps();
  writeFiles(repo, { 'apps/root/shop.yaml': application('shop', { path: 'apps/shop' }) });
  const r = generate(repo, ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.stderr.split('\n').filter((l) => l.startsWith('error[')),
    [],
  );
  assert.match(r.stderr, /^warning\[lock-stale\] app root: .*1 object not in the lock/m);
});

// Issue 8 §4: every field that decides what the child renders, or whether safe-render guards it, is a
// source change to accept. `spec` is the YAML of the child's spec after `project` (source or sources).
function child(name: string, spec: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: ${name}}
${spec
  .trimEnd()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;
}

const SRC = 'repoURL: https://git.example.com/shop.git\n    path: apps/web\n    targetRevision: main';
const PLUGIN = `source:\n  ${SRC.replace(/\n {4}/g, '\n  ')}\n  plugin:\n    name: safe-render\n    env: [{name: REGION, value: eu}]\n    parameters: [{name: values-files, array: [values.yaml]}]\n`;

function lockedChild(spec: string): string {
  const repo = makeRepo({
    'apps/root/web.yaml': child('web', spec),
    'apps/root/api.yaml': application('api', { path: 'apps/api' }),
  });
  assertLocked(lock(repo, ROOT));
  assertClean(generate(repo, ROOT));
  return repo;
}

const src = (extra: string) =>
  `source:\n  repoURL: https://git.example.com/shop.git\n  path: apps/web\n  targetRevision: main\n${extra
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;

test('source fields beyond repo and path: each change of what the child renders is refused, naming the field', () => {
  const cases: [string, string, string, RegExp][] = [
    [
      'plugin name',
      PLUGIN,
      PLUGIN.replace('name: safe-render', 'name: other-plugin'),
      /plugin\.name "safe-render" -> "other-plugin"; no longer rendered by plugin "safe-render": if that is safe-render, none of its checks guard the child any more/,
    ],
    [
      'plugin -> directory',
      PLUGIN,
      src('directory: {recurse: true}'),
      /directory none -> \{"recurse":true\}; plugin \{.*\} -> none; no longer rendered by plugin "safe-render"/,
    ],
    [
      'plugin removed (Argo CD would pick the tool)',
      PLUGIN,
      src(''),
      /plugin \{.*\} -> none; no longer rendered by plugin "safe-render"/,
    ],
    [
      'plugin env',
      PLUGIN,
      PLUGIN.replace('value: eu', 'value: us'),
      /plugin\.sha256 "sha256:[0-9a-f]{64}" -> "sha256:[0-9a-f]{64}"/,
    ],
    [
      'plugin parameters',
      PLUGIN,
      PLUGIN.replace('array: [values.yaml]', 'array: [values.yaml, values-wipe.yaml]'),
      /plugin\.sha256/,
    ],
    [
      'directory include',
      src('directory: {include: "*.yaml"}'),
      src('directory: {include: "{deploy,svc}.yaml"}'),
      /directory\.include "\*\.yaml" -> "\{deploy,svc\}\.yaml"/,
    ],
    [
      'directory exclude',
      src('directory: {recurse: true}'),
      src('directory: {recurse: true, exclude: "db/*"}'),
      /directory\.exclude none -> "db\/\*"/,
    ],
    [
      'directory recurse',
      src('directory: {recurse: true}'),
      src('directory: {recurse: false}'),
      /directory\.recurse true -> false/,
    ],
    [
      'directory jsonnet',
      src('directory: {jsonnet: {tlas: [{name: env, value: prod}]}}'),
      src('directory: {jsonnet: {tlas: [{name: env, value: dev}]}}'),
      /directory\.sha256/,
    ],
    [
      'kustomize namePrefix',
      src('kustomize: {namePrefix: eu-}'),
      src('kustomize: {namePrefix: eu2-}'),
      /kustomize\.namePrefix "eu-" -> "eu2-"/,
    ],
    [
      'kustomize nameSuffix',
      src('kustomize: {}'),
      src('kustomize: {nameSuffix: -v2}'),
      /kustomize\.nameSuffix none -> "-v2"/,
    ],
    [
      'kustomize images',
      src('kustomize: {images: [web=web:1]}'),
      src('kustomize: {images: [web=web:2]}'),
      /kustomize\.images \["web=web:1"\] -> \["web=web:2"\]/,
    ],
    [
      'kustomize namespace',
      src('kustomize: {namespace: a}'),
      src('kustomize: {namespace: b}'),
      /kustomize\.namespace "a" -> "b"/,
    ],
    [
      'kustomize components',
      src('kustomize: {components: [../c1]}'),
      src('kustomize: {components: []}'),
      /kustomize\.components/,
    ],
    [
      'kustomize patches',
      src('kustomize: {patches: [{patch: "a"}]}'),
      src('kustomize: {patches: [{patch: "b"}]}'),
      /kustomize\.sha256/,
    ],
    [
      'helm releaseName',
      src('helm: {releaseName: web}'),
      src('helm: {releaseName: web-v2}'),
      /helm\.releaseName "web" -> "web-v2"/,
    ],
    [
      'helm valueFiles',
      src('helm: {valueFiles: [values-prod.yaml]}'),
      src('helm: {valueFiles: [values-dev.yaml]}'),
      /helm\.valueFiles \["values-prod\.yaml"\] -> \["values-dev\.yaml"\]/,
    ],
    ['helm skipCrds', src('helm: {}'), src('helm: {skipCrds: true}'), /helm\.skipCrds none -> true/],
    [
      'helm values',
      src('helm: {values: "replicas: 3"}'),
      src('helm: {values: "replicas: 0"}'),
      /helm\.sha256 "sha256:[0-9a-f]{64}" -> "sha256:[0-9a-f]{64}"/,
    ],
    [
      'helm valuesObject',
      src('helm: {valuesObject: {replicas: 3}}'),
      src('helm: {valuesObject: {replicas: 0}}'),
      /helm\.sha256/,
    ],
    [
      'helm parameters',
      src('helm: {parameters: [{name: a, value: "1"}]}'),
      src('helm: {parameters: [{name: a, value: "2"}]}'),
      /helm\.sha256/,
    ],
    ['a field safe-render does not know', src(''), src('futureRenderSwitch: true'), /other none -> "sha256:/],
    [
      'sources added',
      src(''),
      `sources:\n- {repoURL: https://git.example.com/shop.git, path: apps/web, targetRevision: main}\n- {repoURL: https://git.example.com/values.git, targetRevision: main, ref: values}\n`,
      /spec\.source replaced by spec\.sources \(2 sources\)/,
    ],
    [
      'a source removed from sources',
      `sources:\n- {repoURL: https://git.example.com/shop.git, path: apps/web, targetRevision: main}\n- {repoURL: https://git.example.com/values.git, targetRevision: main, ref: values}\n`,
      `sources:\n- {repoURL: https://git.example.com/shop.git, path: apps/web, targetRevision: main}\n`,
      /sources 2 -> 1/,
    ],
    [
      'a ref renamed',
      `sources:\n- {repoURL: https://git.example.com/values.git, targetRevision: main, ref: values}\n`,
      `sources:\n- {repoURL: https://git.example.com/values.git, targetRevision: main, ref: vals}\n`,
      /sources\[0\]\.ref "values" -> "vals"/,
    ],
    [
      'sources added next to an unchanged source',
      src(''),
      `${src('')}sources:\n- {repoURL: https://git.example.com/other.git, path: wipe, targetRevision: main}\n`,
      /spec\.source replaced by spec\.sources \(1 sources\)/,
    ],
  ];
  for (const [what, before, after, detail] of cases) {
    const repo = lockedChild(before);
    writeFiles(repo, { 'apps/root/web.yaml': child('web', after) });
    const lines = assertRefused(generate(repo, ROOT), 'app-destination-change');
    assert.equal(lines.length, 1, what);
    assert.match(lines[0]!, new RegExp(`^error\\[app-destination-change\\] ${WEB_REF}: source changed`), what);
    assert.match(lines[0]!, detail, what);
    assert.match(lines[0]!, new RegExp(`--accept app-destination-change:${WEB_REF}`), what);
    // lock asks for the same acceptance; accepted, the parent renders cleanly again.
    assert.match(assertRefused(lock(repo, ROOT), 'app-destination-change')[0]!, detail, what);
    assertLocked(lock(repo, ROOT, ['--accept', `app-destination-change:${WEB_REF}`]));
    assertClean(generate(repo, ROOT));
  }
});

test('inline values, parameters and plugin env reach neither the lock nor stderr: only their digest', () => {
  const secret = 'sup3r-secret-token';
  const before = src(
    `helm: {values: "password: ${secret}", parameters: [{name: token, value: ${secret}}]}\nplugin: {name: safe-render, env: [{name: TOKEN, value: ${secret}}]}`,
  );
  const repo = lockedChild(before);
  assert.ok(!readLock(repo, 'root').includes(secret), 'no value in the lock');
  assert.match(readLock(repo, 'root'), /"helm":\{"sha256":"sha256:[0-9a-f]{64}"\}/);
  writeFiles(repo, {
    'apps/root/web.yaml': child('web', before.replace(`password: ${secret}`, `password: ${secret}-2`)),
  });
  const r = generate(repo, ROOT);
  assertRefused(r, 'app-destination-change');
  assert.ok(!r.stderr.includes(secret), r.stderr);
  assert.ok(!lock(repo, ROOT).stderr.includes(secret));
});

test('an unchanged child source passes, whatever order its keys are written in', () => {
  const repo = lockedChild(`${PLUGIN}`);
  const reordered = `source:\n  plugin:\n    parameters: [{array: [values.yaml], name: values-files}]\n    env: [{value: eu, name: REGION}]\n    name: safe-render\n  targetRevision: main\n  path: apps/web\n  repoURL: https://git.example.com/shop.git\n`;
  writeFiles(repo, { 'apps/root/web.yaml': child('web', reordered) });
  assertClean(generate(repo, ROOT));
});

test('an ApplicationSet template switching plugin, or its templatePatch changing, is a source change', () => {
  const appset = (plugin: string, patch?: string) =>
    applicationSet({ regions: ['eu'] }).replace(
      'source: {repoURL: https://git.example.com/shop.git, path: apps/shop, targetRevision: main}',
      `source: {repoURL: https://git.example.com/shop.git, path: apps/shop, targetRevision: main, plugin: {name: ${plugin}}}`,
    ) + (patch === undefined ? '' : `  templatePatch: ${JSON.stringify(patch)}\n`);
  const REF = 'argoproj.io/ApplicationSet/argocd/shops';
  for (const [what, before, after, detail] of [
    ['plugin', appset('safe-render'), appset('kustomize-helm'), /plugin\.name "safe-render" -> "kustomize-helm"/],
    [
      'templatePatch added',
      appset('safe-render'),
      appset('safe-render', 'spec:\n  source:\n    directory: {recurse: true}\n'),
      /templatePatch added/,
    ],
    [
      'templatePatch changed',
      appset('safe-render', 'spec: {}\n'),
      appset('safe-render', 'spec:\n  source:\n    plugin: null\n'),
      /templatePatch changed/,
    ],
  ] as const) {
    const repo = makeRepo({
      'apps/root/shops.yaml': before,
      'apps/root/web.yaml': application('web', { path: 'apps/web' }),
    });
    assertLocked(lock(repo, ROOT));
    assertClean(generate(repo, ROOT));
    writeFiles(repo, { 'apps/root/shops.yaml': after });
    const [line] = assertRefused(generate(repo, ROOT), 'app-destination-change');
    assert.match(line!, new RegExp(`^error\\[app-destination-change\\] ${REF}: source changed`), what);
    assert.match(line!, detail, what);
    assertLocked(lock(repo, ROOT, ['--accept', `app-destination-change:${REF}`]));
    assertClean(generate(repo, ROOT));
  }
});

test('a format-1 lock (five source fields) still reads: compared on what it records, and rewritten without --accept', () => {
  const repo = lockedChild(src('helm: {releaseName: web, values: "a: 1"}'));
  // The lock as format 1 wrote it: the five fields only.
  const v2 = readLock(repo, 'root');
  const v1 = v2.replace('safe-render-lock 2', 'safe-render-lock 1').replace(/,"helm":\{[^}]*\}/, '');
  assert.notEqual(v1, v2);
  writeFileSync(join(repo, '.safe-render/locks/root.lock'), v1);
  // Unchanged: passes, with a warning that the lock must be rewritten; lock --check fails until it is.
  const r = generate(repo, ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^warning\[lock-stale\] app root: .*it is lock format 1, which does not record hooks or every field of an Application's source/m,
  );
  assert.equal(lock(repo, ROOT, ['--check']).code, 1);
  // The five fields are still guarded.
  writeFiles(repo, {
    'apps/root/web.yaml': child(
      'web',
      src('helm: {releaseName: web, values: "a: 1"}').replace('path: apps/web', 'path: apps/web-v2'),
    ),
  });
  assertRefused(generate(repo, ROOT), 'app-destination-change');
  writeFiles(repo, { 'apps/root/web.yaml': child('web', src('helm: {releaseName: web, values: "a: 1"}')) });
  // The migration: lock rewrites it in format 2 with no acceptance, and from then on every field counts.
  const migrated = lock(repo, ROOT);
  assertLocked(migrated);
  assert.equal(readLock(repo, 'root'), v2);
  assert.equal(lock(repo, ROOT, ['--check']).code, 0);
  assertClean(generate(repo, ROOT));
  writeFiles(repo, { 'apps/root/web.yaml': child('web', src('helm: {releaseName: web-v2, values: "a: 1"}')) });
  assert.match(
    assertRefused(generate(repo, ROOT), 'app-destination-change')[0]!,
    /helm\.releaseName "web" -> "web-v2"/,
  );
});
