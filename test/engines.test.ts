// Render engines through the real binaries (kubectl kustomize 5.7, helm 4.1 in .tools/bin): which
// engine an app gets, what kustomize and helm are allowed to read, and how the Argo CD knobs
// (parameters, release name, cluster capabilities) reach them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { makeRepo, manifest, parseJsonStream, render, requireTools, runCli, TOOLS_BIN } from './helpers';

const CM = manifest('ConfigMap', 'settings', { body: 'data:\n  k: "v"\n' });

function ok(r: { code: number | null; stdout: string; stderr: string }): Record<string, unknown>[] {
  assert.equal(r.code, 0, r.stderr);
  return parseJsonStream(r.stdout);
}

function failed(r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '', 'a failed render prints nothing on stdout');
  assert.match(r.stderr, /^error\[render-failed\]/m);
  assert.match(r.stderr, message);
}

const names = (objs: Record<string, unknown>[]) =>
  objs.map((o) => `${String(o.kind)}/${String((o.metadata as { name: string }).name)}`).sort();

/** Every file under `dir` with its content, to prove a render changed nothing in the repository. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const CHART = (name: string, extra = '') => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${extra}`;

// ---------------------------------------------------------------------------------------------------
// Detection

test('a kustomization file in any of its three spellings selects kustomize, and the summary says so', () => {
  requireTools();
  for (const file of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const repo = makeRepo({
      [`app/${file}`]: 'resources: [cm.yaml]\n',
      'app/cm.yaml': CM,
      'app/ignored.yaml': manifest('ConfigMap', 'not-listed'),
    });
    const r = render(repo, 'app', ['-n', 'prod']);
    assert.deepEqual(names(ok(r)), ['ConfigMap/settings'], `${file}: only what the kustomization lists`);
    assert.match(r.stderr, /^safe-render: app "app" \(engine: kustomize\): 1 objects from 1 files, 0 warnings$/m, file);
  }
});

test('Chart.yaml selects helm; a folder with neither is plain', () => {
  requireTools();
  const repo = makeRepo({
    'chart/Chart.yaml': CHART('c'),
    'chart/templates/cm.yaml': CM,
    'plain/cm.yaml': CM,
  });
  const h = render(repo, 'chart', ['-n', 'prod']);
  assert.deepEqual(names(ok(h)), ['ConfigMap/settings']);
  assert.match(h.stderr, /\(engine: helm\)/);
  const p = render(repo, 'plain', ['-n', 'prod']);
  assert.deepEqual(names(ok(p)), ['ConfigMap/settings']);
  assert.match(p.stderr, /\(engine: plain\)/);
});

test('a folder with both a kustomization and Chart.yaml is a usage error until engine: says which', () => {
  requireTools();
  const files = {
    'app/kustomization.yaml': 'resources: [cm.yaml]\nnamePrefix: k-\n',
    'app/cm.yaml': CM,
    'app/Chart.yaml': CHART('c'),
    'app/templates/cm.yaml': manifest('ConfigMap', 'from-helm'),
  };
  const both = render(makeRepo(files), 'app', ['-n', 'prod']);
  assert.equal(both.code, 2);
  assert.equal(both.stdout, '');
  assert.match(
    both.stderr,
    /^safe-render: error: the app folder has both kustomization\.yaml and Chart\.yaml; set `engine: kustomize` or `engine: helm` in safe-render\.yaml$/m,
  );

  const k = render(makeRepo({ ...files, 'app/safe-render.yaml': 'engine: kustomize\n' }), 'app', ['-n', 'prod']);
  assert.deepEqual(names(ok(k)), ['ConfigMap/k-settings']);
  assert.match(k.stderr, /\(engine: kustomize\)/);
  const h = render(makeRepo({ ...files, 'app/safe-render.yaml': 'engine: helm\n' }), 'app', ['-n', 'prod']);
  assert.deepEqual(names(ok(h)), ['ConfigMap/from-helm']);
  assert.match(h.stderr, /\(engine: helm\)/);
});

test('engine: plain reads the YAML files even next to a kustomization; an unknown engine is a config error', () => {
  requireTools();
  const repo = makeRepo({
    'app/kustomization.yaml': 'resources: [cm.yaml]\nnamePrefix: k-\n',
    'app/cm.yaml': CM,
    'app/safe-render.yaml': 'engine: plain\ninclude: [cm.yaml]\n',
  });
  const r = render(repo, 'app', ['-n', 'prod']);
  assert.deepEqual(names(ok(r)), ['ConfigMap/settings']);
  assert.match(r.stderr, /\(engine: plain\)/);
  const bad = render(makeRepo({ 'app/cm.yaml': CM, 'app/safe-render.yaml': 'engine: jsonnet\n' }), 'app', [
    '-n',
    'prod',
  ]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /engine/);
});

// ---------------------------------------------------------------------------------------------------
// kustomize

test('kustomize: an overlay builds on ../base inside the repository', () => {
  requireTools();
  const repo = makeRepo({
    'base/kustomization.yaml': 'resources: [cm.yaml, deploy.yaml]\n',
    'base/cm.yaml': CM,
    'base/deploy.yaml': manifest('Deployment', 'web', { body: 'spec:\n  replicas: 1\n' }),
    'overlays/prod/kustomization.yaml':
      'resources: [../../base]\nnamePrefix: prod-\npatches:\n- target: {kind: Deployment}\n  patch: |\n    - op: replace\n      path: /spec/replicas\n      value: 3\n',
  });
  const objs = ok(render(repo, 'overlays/prod', ['-n', 'prod']));
  assert.deepEqual(names(objs), ['ConfigMap/prod-settings', 'Deployment/prod-web']);
  assert.equal((objs.find((o) => o.kind === 'Deployment')!.spec as { replicas: number }).replicas, 3);
});

test('kustomize: a remote resource is refused before kustomize runs, with what to do instead', () => {
  requireTools();
  for (const remote of [
    'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0',
    'github.com/argoproj/argo-cd/manifests/base',
    'git@github.com:org/repo.git//base',
  ]) {
    const repo = makeRepo({
      'app/kustomization.yaml': `resources:\n- cm.yaml\n- ${JSON.stringify(remote)}\n`,
      'app/cm.yaml': CM,
    });
    const r = render(repo, 'app', ['-n', 'prod']);
    failed(
      r,
      new RegExp(
        `^error\\[render-failed\\] app/kustomization\\.yaml: resources "${remote.replace(/[.?*+/\\()[\]]/g, '\\$&')}" is remote; the sidecar has no network`,
        'm',
      ),
    );
    assert.match(r.stderr, /Fix: vendor the remote base into the repository/);
  }
  // A remote reference deep in a base is found too, and named where it is.
  const nested = makeRepo({
    'base/kustomization.yaml': 'resources:\n- https://raw.githubusercontent.com/org/repo/main/cm.yaml\n',
    'app/kustomization.yaml': 'resources: [../base]\n',
  });
  failed(
    render(nested, 'app', ['-n', 'prod']),
    /^error\[render-failed\] base\/kustomization\.yaml: resources "https:\/\/raw\.githubusercontent\.com\/org\/repo\/main\/cm\.yaml" is remote/m,
  );
});

test('a repeated key in a kustomization or Chart.yaml is read as its last value, like the tools, and still checked', () => {
  requireTools();
  const repo = makeRepo({
    'app/kustomization.yaml':
      'resources: [a.yaml]\nconfigMapGenerator:\n- name: gen\n  literals: [x=1]\n  literals: [y=2]\nresources: [b.yaml]\n',
    'app/a.yaml': manifest('ConfigMap', 'a'),
    'app/b.yaml': manifest('ConfigMap', 'b'),
  });
  const objs = ok(render(repo, 'app', ['-n', 'prod']));
  assert.deepEqual(
    names(objs).map((n) => n.replace(/-[a-z0-9]{10}$/, '')),
    ['ConfigMap/b', 'ConfigMap/gen'],
  );
  assert.deepEqual(objs.find((o) => String((o.metadata as { name: string }).name).startsWith('gen'))!.data, { y: '2' });
  // helm reads Chart.yaml the same way.
  const chart = makeRepo({
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\nversion: 0.2.0\n',
    'chart/templates/cm.yaml': manifest('ConfigMap', 'v{{ .Chart.Version }}'),
  });
  assert.deepEqual(names(ok(render(chart, 'chart', ['-n', 'prod']))), ['ConfigMap/v0.2.0']);
  // The last value is the one kustomize follows, so it is the one refused when it is remote.
  const remote = makeRepo({
    'app/kustomization.yaml': 'resources: [a.yaml]\nresources: ["https://example.com/x.yaml"]\n',
    'app/a.yaml': CM,
  });
  failed(render(remote, 'app', ['-n', 'prod']), /resources "https:\/\/example\.com\/x\.yaml" is remote/);
});

test('kustomize: a path out of the repository is refused, by .., absolute path or symlink', () => {
  requireTools();
  const outside = makeRepo({
    'secret/kustomization.yaml': 'resources: [cm.yaml]\n',
    'secret/cm.yaml': manifest('ConfigMap', 'sidecar-secret'),
  });
  const up = makeRepo({ 'app/kustomization.yaml': `resources:\n- ../../${basename(outside)}/secret\n` });
  failed(
    render(up, 'app', ['-n', 'prod']),
    /^error\[render-failed\]: app\/kustomization\.yaml: resources "\.\.\/\.\.\/[^"]+\/secret" leads outside the repository\. Fix: keep every file the app uses inside the repository/m,
  );

  const abs = makeRepo({ 'app/kustomization.yaml': `resources:\n- ${join(outside, 'secret')}\n` });
  failed(render(abs, 'app', ['-n', 'prod']), /resources "\/[^"]+\/secret" leads outside the repository/);

  const viaLink = makeRepo({ 'app/kustomization.yaml': 'resources: [../vendor]\n' });
  symlinkSync(join(outside, 'secret'), join(viaLink, 'vendor'));
  const r = render(viaLink, 'app', ['-n', 'prod']);
  failed(r, /resources "\.\.\/vendor" leads outside the repository/);
  assert.doesNotMatch(r.stderr, /sidecar-secret/);

  // Generator files and patches are paths too.
  const gen = makeRepo({
    'app/kustomization.yaml': `configMapGenerator:\n- name: x\n  files:\n  - key=../../../../../../../etc/hostname\n`,
  });
  failed(
    render(gen, 'app', ['-n', 'prod']),
    /configMapGenerator files "\.\.\/[^"]*etc\/hostname" leads outside the repository/,
  );
});

test('kustomize: kustomize-images and name-prefix parameters apply without touching the repository', () => {
  requireTools();
  const repo = makeRepo({
    'app/kustomization.yaml': 'resources: [deploy.yaml]\n',
    'app/deploy.yaml': manifest('Deployment', 'web', {
      body: 'spec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n      - name: side\n        image: busybox\n',
    }),
  });
  const before = snapshot(repo);
  const r = render(repo, 'app', [
    '-n',
    'prod',
    '--param',
    'kustomize-images[]=nginx=registry.example.com/nginx:1.27',
    '--param',
    'kustomize-images[]=busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    '--param',
    'name-prefix=p-',
  ]);
  const [d] = ok(r);
  assert.equal((d!.metadata as { name: string }).name, 'p-web');
  const images = (
    d!.spec as { template: { spec: { containers: Array<{ image: string }> } } }
  ).template.spec.containers.map((c) => c.image);
  assert.deepEqual(images, [
    'registry.example.com/nginx:1.27',
    'busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  ]);
  assert.deepEqual(
    snapshot(repo),
    before,
    'the repository is unchanged: no kustomization edited, no wrapper left behind',
  );
});

test('kustomize: images, namePrefix and nameSuffix from safe-render.yaml; a parameter overrides the prefix', () => {
  requireTools();
  const repo = makeRepo({
    'app/kustomization.yaml': 'resources: [deploy.yaml]\n',
    'app/safe-render.yaml': 'kustomize:\n  images: ["nginx:1.27"]\n  namePrefix: cfg-\n  nameSuffix: -v2\n',
    'app/deploy.yaml': manifest('Deployment', 'web', {
      body: 'spec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n',
    }),
  });
  const before = snapshot(repo);
  const [d] = ok(render(repo, 'app', ['-n', 'prod']));
  assert.equal((d!.metadata as { name: string }).name, 'cfg-web-v2');
  assert.equal(
    (d!.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image,
    'nginx:1.27',
  );
  const [p] = ok(render(repo, 'app', ['-n', 'prod', '--param', 'name-prefix=param-']));
  assert.equal((p!.metadata as { name: string }).name, 'param-web-v2');
  assert.deepEqual(snapshot(repo), before);
});

test("kustomize: overrides replace the app's own namePrefix and images entries, as Argo CD's kustomize edit set does", () => {
  requireTools();
  const repo = makeRepo({
    'base/kustomization.yaml': 'resources: [deploy.yaml]\n',
    'base/deploy.yaml': manifest('Deployment', 'web', {
      body: 'spec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: app:0.9\n      - name: side\n        image: sidecar:1\n',
    }),
    'app/kustomization.yaml':
      'resources: [../base]\nnamePrefix: team-\nimages:\n- name: app\n  newName: registry.example.com/app\n  newTag: "1.0"\n- name: sidecar\n  newTag: "2"\n',
  });
  const before = snapshot(repo);
  const [d] = ok(
    render(repo, 'app', [
      '-n',
      'prod',
      '--param',
      'name-prefix=prod-',
      '--param',
      'kustomize-images[]=app=registry.example.com/app:2.0',
    ]),
  );
  // Argo CD runs `kustomize edit set nameprefix prod-` and `kustomize edit set image app=...` in the
  // app's folder: the prefix replaces team-, the image entry named app replaces the one in the file.
  assert.equal((d!.metadata as { name: string }).name, 'prod-web');
  const images = (
    d!.spec as { template: { spec: { containers: Array<{ image: string }> } } }
  ).template.spec.containers.map((c) => c.image);
  assert.deepEqual(images, ['registry.example.com/app:2.0', 'sidecar:2']);
  assert.deepEqual(snapshot(repo), before, 'the repository is unchanged');
});

test('kustomize: helmCharts without enableHelm fail loudly instead of rendering without the chart', () => {
  requireTools();
  const files = {
    'app/kustomization.yaml': 'resources: [cm.yaml]\nhelmCharts:\n- name: sub\n  releaseName: rel\n',
    'app/cm.yaml': CM,
    'app/charts/sub/Chart.yaml': CHART('sub'),
    'app/charts/sub/values.yaml': '{}\n',
    'app/charts/sub/templates/cm.yaml': manifest('ConfigMap', '{{ .Release.Name }}-from-chart'),
  };
  failed(render(makeRepo(files), 'app', ['-n', 'prod']), /must specify --enable-helm/);

  const enabled = makeRepo({ ...files, 'app/safe-render.yaml': 'kustomize:\n  enableHelm: true\n' });
  assert.deepEqual(names(ok(render(enabled, 'app', ['-n', 'prod']))), [
    'ConfigMap/rel-from-chart',
    'ConfigMap/settings',
  ]);

  // The platform can forbid inflation; the app's enableHelm then fails the same loud way.
  const policy = join(enabled, 'policy.yaml');
  writeFileSync(policy, 'default:\n  engines:\n    allowKustomizeHelm: false\n');
  failed(render(enabled, 'app', ['-n', 'prod', '--policy', policy]), /must specify --enable-helm/);
});

test("kustomize: charts inflated with enableHelm see the cluster's kube version and API versions, as in Argo CD", () => {
  requireTools();
  const repo = makeRepo({
    'app/kustomization.yaml': 'helmCharts:\n- name: sub\n  releaseName: rel\n',
    'app/safe-render.yaml': 'kustomize:\n  enableHelm: true\n',
    'app/charts/sub/Chart.yaml': CHART('sub'),
    'app/charts/sub/values.yaml': '{}\n',
    'app/charts/sub/templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n  hasFoo: {{ .Capabilities.APIVersions.Has "example.com/v1/Foo" | quote }}\n',
  });
  const [cm] = ok(
    render(repo, 'app', [
      '-n',
      'prod',
      '--kube-version',
      '1.31.4',
      '--api-versions',
      'v1,example.com/v1,example.com/v1/Foo',
    ]),
  );
  assert.deepEqual(cm!.data, { kube: 'v1.31.4', hasFoo: 'true' });
  const [gen] = ok(
    runCli(['generate'], {
      cwd: join(repo, 'app'),
      cleanEnv: true,
      env: {
        ARGOCD_APP_NAME: 'a',
        ARGOCD_APP_NAMESPACE: 'prod',
        ARGOCD_APP_SOURCE_PATH: 'app',
        KUBE_VERSION: '1.30.2',
        KUBE_API_VERSIONS: 'v1,example.com/v1/Foo',
      },
    }),
  );
  assert.deepEqual(gen!.data, { kube: 'v1.30.2', hasFoo: 'true' });
});

test('kustomize: exec KRM functions are off; the script never runs', () => {
  requireTools();
  const repo = makeRepo({
    'app/kustomization.yaml': 'resources: [cm.yaml]\ntransformers: [fn.yaml]\n',
    'app/cm.yaml': CM,
    'app/fn.yaml':
      'apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: fn\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n',
    'app/fn.sh': '#!/bin/sh\ntouch "$(dirname "$0")/RAN"\ncat\n',
  });
  chmodSync(join(repo, 'app/fn.sh'), 0o755);
  failed(render(repo, 'app', ['-n', 'prod']), /external plugins disabled/);
  assert.ok(!existsSync(join(repo, 'app/RAN')), 'the exec function ran');
});

// ---------------------------------------------------------------------------------------------------
// helm

const CAPS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-caps
  namespace: {{ .Release.Namespace }}
data:
  release: {{ .Release.Name | quote }}
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
  kubeMinor: {{ .Capabilities.KubeVersion.Minor | quote }}
  hasFoo: {{ .Capabilities.APIVersions.Has "example.com/v1/Foo" | quote }}
  hasBarGroup: {{ .Capabilities.APIVersions.Has "bar.example.com/v2" | quote }}
  {{- if semverCompare ">=1.31-0" .Capabilities.KubeVersion.Version }}
  newCluster: "true"
  {{- end }}
  replicas: {{ .Values.replicas | quote }}
  tag: {{ .Values.image.tag | quote }}
  env: {{ .Values.env | quote }}
`;

function chartRepo(extra: Record<string, string> = {}): string {
  return makeRepo({
    'charts/web/Chart.yaml': CHART('web'),
    'charts/web/values.yaml': 'replicas: 1\nimage:\n  tag: v1\nenv: default\n',
    'charts/web/values-prod.yaml': 'replicas: 5\nenv: prod\n',
    'charts/web/templates/caps.yaml': CAPS,
    'shared/values-common.yaml': 'image:\n  tag: shared\n',
    ...extra,
  });
}

const dataOf = (objs: Record<string, unknown>[]) =>
  objs.find((o) => String((o.metadata as { name: string }).name).endsWith('-caps'))!.data as Record<string, string>;

test('helm: release name defaults to the app name (name of ns_name), namespace is the destination', () => {
  requireTools();
  const repo = chartRepo();
  const plain = ok(render(repo, 'charts/web', ['--app', 'shop', '-n', 'prod']));
  assert.deepEqual(plain[0]!.metadata, { name: 'shop-caps', namespace: 'prod' });
  assert.equal(dataOf(plain).release, 'shop');
  // Apps outside the control-plane namespace are named team-a_shop; "_" is not valid in a release name.
  const namespaced = ok(render(repo, 'charts/web', ['--app', 'team-a_shop', '-n', 'prod']));
  assert.equal(dataOf(namespaced).release, 'shop');
  // Without --app, render uses the folder name, like Argo CD's default.
  assert.equal(dataOf(ok(render(repo, 'charts/web', ['-n', 'prod']))).release, 'web');
  // release-name parameter and helm.releaseName in safe-render.yaml
  assert.equal(
    dataOf(ok(render(repo, 'charts/web', ['--app', 'shop', '-n', 'prod', '--param', 'release-name=custom']))).release,
    'custom',
  );
  const cfg = chartRepo({ 'charts/web/safe-render.yaml': 'helm:\n  releaseName: from-config\n' });
  assert.equal(dataOf(ok(render(cfg, 'charts/web', ['--app', 'shop', '-n', 'prod']))).release, 'from-config');
});

test('helm: --kube-version and --api-versions reach .Capabilities', () => {
  requireTools();
  const repo = chartRepo();
  const withCaps = dataOf(
    ok(
      render(repo, 'charts/web', [
        '-n',
        'prod',
        '--kube-version',
        '1.31.4',
        '--api-versions',
        'v1,example.com/v1,example.com/v1/Foo,bar.example.com/v2',
      ]),
    ),
  );
  assert.equal(withCaps.kube, 'v1.31.4');
  assert.equal(withCaps.kubeMinor, '31');
  assert.equal(withCaps.hasFoo, 'true');
  assert.equal(withCaps.hasBarGroup, 'true');
  assert.equal(withCaps.newCluster, 'true');
  const without = dataOf(ok(render(repo, 'charts/web', ['-n', 'prod', '--kube-version', '1.29.3'])));
  assert.equal(without.kube, 'v1.29.3');
  assert.equal(without.hasFoo, 'false');
  assert.equal(without.newCluster, undefined);
});

test('helm: generate takes KUBE_VERSION, KUBE_API_VERSIONS and helm-parameters from ARGOCD_APP_PARAMETERS', () => {
  requireTools();
  const repo = chartRepo();
  const r = runCli(['generate'], {
    cwd: join(repo, 'charts/web'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'team-a_shop',
      ARGOCD_APP_NAMESPACE: 'prod',
      ARGOCD_APP_SOURCE_PATH: 'charts/web',
      KUBE_VERSION: '1.32.1',
      KUBE_API_VERSIONS: 'v1,v1/ConfigMap,example.com/v1,example.com/v1/Foo',
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        { array: ['values-prod.yaml', '../../shared/values-common.yaml'], name: 'values-files' },
        { map: { 'image.tag': 'v1.2.3', replicas: '7' }, name: 'helm-parameters' },
      ]),
    },
  });
  const objs = ok(r);
  assert.equal(r.stderr, '');
  assert.deepEqual(objs[0]!.metadata, { name: 'shop-caps', namespace: 'prod' });
  const data = dataOf(objs);
  assert.equal(data.kube, 'v1.32.1');
  assert.equal(data.hasFoo, 'true');
  assert.equal(data.replicas, '7', '--set wins over values files');
  assert.equal(data.tag, 'v1.2.3');
  assert.equal(data.env, 'prod', 'values-prod.yaml applied');
});

test('helm: values files inside the repository apply in order; outside it they are refused', () => {
  requireTools();
  const repo = chartRepo();
  const d = dataOf(
    ok(
      render(repo, 'charts/web', [
        '-n',
        'prod',
        '--param',
        'values-files[]=values-prod.yaml',
        '--param',
        'values-files[]=../../shared/values-common.yaml',
      ]),
    ),
  );
  assert.deepEqual([d.replicas, d.env, d.tag], ['5', 'prod', 'shared']);
  const cfg = chartRepo({
    'charts/web/safe-render.yaml':
      'helm:\n  valueFiles: [values-prod.yaml]\n  values:\n    image: {tag: inline}\n  parameters:\n    env: from-set\n',
  });
  const c = dataOf(ok(render(cfg, 'charts/web', ['-n', 'prod'])));
  assert.deepEqual([c.replicas, c.env, c.tag], ['5', 'from-set', 'inline']);

  const outside = makeRepo({ 'values.yaml': 'replicas: 99\n' });
  failed(
    render(repo, 'charts/web', ['-n', 'prod', '--param', `values-files[]=${join(outside, 'values.yaml')}`]),
    /values file "\/[^"]+\/values\.yaml" leads outside the repository/,
  );
  failed(
    render(repo, 'charts/web', ['-n', 'prod', '--param', 'values-files[]=../../../../../../../../etc/hostname']),
    /values file "\.\.\/[^"]*etc\/hostname" leads outside the repository/,
  );
  const linked = chartRepo();
  symlinkSync(join(outside, 'values.yaml'), join(linked, 'charts/web/linked.yaml'));
  failed(
    render(linked, 'charts/web', ['-n', 'prod', '--param', 'values-files[]=linked.yaml']),
    /values file "linked\.yaml" leads outside the repository/,
  );
  failed(
    render(repo, 'charts/web', ['-n', 'prod', '--param', 'values-files[]=missing.yaml']),
    /values file "missing\.yaml" does not exist/,
  );
});

test('helm: CRDs in crds/ are rendered (--include-crds)', () => {
  requireTools();
  const repo = makeRepo({
    'chart/Chart.yaml': CHART('c'),
    'chart/safe-render.yaml': 'clusterScoped: [apiextensions.k8s.io/CustomResourceDefinition]\n',
    'chart/crds/crd.yaml':
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: foos.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Foo, plural: foos}\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]\n',
    'chart/templates/foo.yaml': 'apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: a-foo\n',
  });
  assert.deepEqual(names(ok(render(repo, 'chart', ['-n', 'prod']))), [
    'CustomResourceDefinition/foos.example.com',
    'Foo/a-foo',
  ]);
});

test('helm: an unvendored dependency fails with how to vendor it; a vendored one (folder or .tgz) renders', () => {
  requireTools();
  const dep = 'dependencies:\n- name: sub\n  version: 0.1.0\n  repository: https://charts.example.com\n';
  const missing = makeRepo({ 'chart/Chart.yaml': CHART('c', dep), 'chart/templates/cm.yaml': CM });
  const r = render(missing, 'chart', ['-n', 'prod']);
  failed(
    r,
    /^error\[render-failed\] chart\/Chart\.yaml: the chart depends on "sub" from https:\/\/charts\.example\.com, which is not vendored in charts\/; the sidecar has no network\. Fix: run `helm dependency build chart` and commit the charts\/ folder/m,
  );

  const vendored = makeRepo({
    'chart/Chart.yaml': CHART('c', dep),
    'chart/templates/cm.yaml': CM,
    'chart/charts/sub/Chart.yaml': CHART('sub'),
    'chart/charts/sub/templates/cm.yaml': manifest('ConfigMap', 'from-sub'),
  });
  assert.deepEqual(names(ok(render(vendored, 'chart', ['-n', 'prod']))), ['ConfigMap/from-sub', 'ConfigMap/settings']);

  // Packaged with helm itself, as `helm dependency build` leaves it.
  const packaged = makeRepo({
    'chart/Chart.yaml': CHART('c', dep),
    'chart/templates/cm.yaml': CM,
    'src/sub/Chart.yaml': CHART('sub'),
    'src/sub/templates/cm.yaml': manifest('ConfigMap', 'from-tgz'),
  });
  const pkg = spawnSync(
    join(TOOLS_BIN, 'helm'),
    ['package', join(packaged, 'src/sub'), '-d', join(packaged, 'chart/charts')],
    { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: packaged } },
  );
  assert.equal(pkg.status, 0, pkg.stderr);
  assert.ok(existsSync(join(packaged, 'chart/charts/sub-0.1.0.tgz')));
  assert.deepEqual(names(ok(render(packaged, 'chart', ['-n', 'prod']))), ['ConfigMap/from-tgz', 'ConfigMap/settings']);
});

test('helm: dependencies helm would skip or report without the fix are refused with how to vendor them', () => {
  requireTools();
  const cm = (name: string) => manifest('ConfigMap', name);
  const vendorFix = (dir: string) =>
    new RegExp(`Fix: run \`helm dependency build ${dir.replace(/\//g, '\\/')}\` and commit the charts/ folder`);

  // A vendored subchart folder whose own dependency is missing: helm renders without it, silently.
  const nested = makeRepo({
    'chart/Chart.yaml': CHART(
      'c',
      'dependencies:\n- name: sub\n  version: 0.1.0\n  repository: https://charts.example.com\n',
    ),
    'chart/templates/cm.yaml': cm('top'),
    'chart/charts/sub/Chart.yaml': CHART(
      'sub',
      'dependencies:\n- name: postgresql\n  version: 12.0.0\n  repository: https://charts.bitnami.com/bitnami\n',
    ),
    'chart/charts/sub/templates/cm.yaml': cm('sub'),
  });
  const helmAlone = spawnSync(join(TOOLS_BIN, 'helm'), ['template', 'x', join(nested, 'chart')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: nested },
  });
  assert.equal(helmAlone.status, 0, 'helm itself renders the chart without the nested dependency');
  const r = render(nested, 'chart', ['-n', 'prod']);
  failed(
    r,
    /^error\[render-failed\] chart\/charts\/sub\/Chart\.yaml: the chart depends on "postgresql" from https:\/\/charts\.bitnami\.com\/bitnami, which is not vendored in charts\//m,
  );
  assert.match(r.stderr, vendorFix('chart/charts/sub'));

  // apiVersion v1 charts declare dependencies in requirements.yaml.
  const v1 = makeRepo({
    'chart/Chart.yaml': 'name: redis-ha\nversion: 2.0\n',
    'chart/templates/cm.yaml': cm('top'),
    'chart/requirements.yaml':
      'dependencies:\n- name: redis-ha\n  version: 4.35.10\n  repository: https://dandydeveloper.github.io/charts\n',
  });
  failed(
    render(v1, 'chart', ['-n', 'prod']),
    /chart\/Chart\.yaml: the chart depends on "redis-ha" from https:\/\/dandydeveloper\.github\.io\/charts, which is not vendored/,
  );
  // helm 3 still reads requirements.yaml in a v2 chart (with a warning), and so do we.
  const v2 = makeRepo({
    'chart/Chart.yaml': CHART('c'),
    'chart/templates/cm.yaml': cm('top'),
    'chart/requirements.yaml': 'dependencies:\n- name: gone\n  repository: https://x\n',
  });
  failed(render(v2, 'chart', ['-n', 'prod']), /depends on "gone" from https:\/\/x, which is not vendored/);

  // A file:// dependency still has to be built into charts/ (helm template does not follow it).
  const fileDep = makeRepo({
    'chart/Chart.yaml': CHART('c', 'dependencies:\n- name: lib\n  version: 0.1.0\n  repository: file://../lib\n'),
    'chart/templates/cm.yaml': cm('top'),
    'lib/Chart.yaml': CHART('lib'),
    'lib/templates/cm.yaml': cm('lib'),
  });
  failed(
    render(fileDep, 'chart', ['-n', 'prod']),
    /the chart depends on "lib" from file:\/\/\.\.\/lib, which is not vendored in charts\//,
  );
  const fileOut = makeRepo({
    'chart/Chart.yaml': CHART(
      'c',
      'dependencies:\n- name: lib\n  version: 0.1.0\n  repository: file://../../elsewhere\n',
    ),
    'chart/templates/cm.yaml': cm('top'),
  });
  failed(
    render(fileOut, 'chart', ['-n', 'prod']),
    /chart\/Chart\.yaml: dependency lib "\.\.\/\.\.\/elsewhere" leads outside the repository/,
  );

  // "redis-ha-4.1.0.tgz" does not vendor the chart "redis".
  const prefix = makeRepo({
    'chart/Chart.yaml': CHART(
      'c',
      'dependencies:\n- name: redis\n  version: 1.0.0\n  repository: https://x\n- name: redis-ha\n  version: 4.1.0\n  repository: https://x\n',
    ),
    'chart/templates/cm.yaml': cm('top'),
    'chart/charts/redis-ha-4.1.0.tgz': 'not really a tgz',
  });
  failed(render(prefix, 'chart', ['-n', 'prod']), /depends on "redis" from https:\/\/x, which is not vendored/);

  // A vendored folder is matched by its chart name, as helm does, whatever the folder is called.
  const renamed = makeRepo({
    'chart/Chart.yaml': CHART('c', 'dependencies:\n- name: sub\n  version: 0.1.0\n  repository: https://x\n'),
    'chart/templates/cm.yaml': cm('top'),
    'chart/charts/sub-chart-folder/Chart.yaml': CHART('sub'),
    'chart/charts/sub-chart-folder/templates/cm.yaml': cm('sub'),
  });
  assert.deepEqual(names(ok(render(renamed, 'chart', ['-n', 'prod']))), ['ConfigMap/sub', 'ConfigMap/top']);
});

test('helm: helm-parameters values with commas reach the chart whole, as Argo CD passes them', () => {
  requireTools();
  const repo = makeRepo({
    'chart/Chart.yaml': CHART('c'),
    'chart/templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\ndata:\n{{- range $k, $v := .Values.p }}\n  {{ $k }}: {{ $v | toJson | quote }}\n{{- end }}\n',
  });
  const r = runCli(['generate'], {
    cwd: join(repo, 'chart'),
    cleanEnv: true,
    env: {
      ARGOCD_APP_NAME: 'a',
      ARGOCD_APP_NAMESPACE: 'prod',
      ARGOCD_APP_SOURCE_PATH: 'chart',
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        {
          map: {
            'p.hosts': 'a.example.com,b.example.com',
            'p.double': 'x,,y',
            'p.escaped': 'c\\,d',
            'p.list': '{e,f}',
            'p.plain': 'g',
          },
          name: 'helm-parameters',
        },
      ]),
    },
  });
  const [cm] = ok(r);
  assert.deepEqual(cm!.data, {
    double: '"x,,y"',
    escaped: '"c,d"',
    hosts: '"a.example.com,b.example.com"',
    list: '["e","f"]',
    plain: '"g"',
  });
});
