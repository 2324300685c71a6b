// Issue 8 §1 (argument injection into the tools) and §7 (the kustomization pre-walk reads YAML as
// kustomize does), issue 10 (kustomize's --helm-command), through the real helm and kustomize.
// Every hostile value tries to become a helm flag: `--post-renderer=<script>` would run the script
// (it creates a marker file) over the chart's output. Before the fix, a release-name parameter, a
// helmCharts releaseName and the same hidden behind a merge key, a case-folded key or an inline
// generator config all created the marker; now each is one render-failed line and the marker never
// appears, while legitimate names, versions and paths still render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, parseJsonStream, render, requireTools, runCli, type RunResult } from './helpers';

/** A script that leaves a marker when run: the proof that helm ran a post-renderer. */
function evilScript(): { script: string; marker: string } {
  const dir = makeRepo({});
  const marker = join(dir, 'PWNED');
  const script = join(dir, 'evil.sh');
  writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\ncat\n`);
  chmodSync(script, 0o755);
  return { script, marker };
}

/** Exit 2, nothing on stdout, exactly one line on stderr (render-failed or a usage error). */
function refused(r: RunResult, message: RegExp, note = ''): void {
  assert.equal(r.code, 2, `${note}: expected exit 2, got ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '', `${note}: a refusal prints nothing on stdout`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${note}: one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^(error\[render-failed\]|safe-render: error:)/, note);
  assert.match(r.stderr, message, note);
  assert.ok(r.stderr.length < 1000, `${note}: the message is short (the value is truncated)`);
}

function ok(r: RunResult): Record<string, unknown>[] {
  assert.equal(r.code, 0, r.stderr);
  return parseJsonStream(r.stdout);
}

/** Values that a tool could read as a flag, or that are otherwise not what it accepts. */
function hostile(script: string): string[] {
  return [
    `--post-renderer=${script}`,
    '--post-renderer', // the next argument would be its value
    '-h',
    '-',
    ' spaced',
    'rel\n--post-renderer',
    'a=b',
    'Upper',
    'under_score',
    'trailing-',
    'x'.repeat(54), // helm: at most 53
    `${'x'.repeat(300)}`,
  ];
}

const CHART = 'apiVersion: v2\nname: web\nversion: 0.1.0\n';
const CM =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  ns: {{ .Release.Namespace | quote }}\n  tag: {{ .Values.tag | default "none" | quote }}\n  leak: {{ .Values.leak | default "none" | quote }}\n';

function helmRepo(extra: Record<string, string> = {}): string {
  return makeRepo({ 'app/Chart.yaml': CHART, 'app/values.yaml': 'tag: v1\n', 'app/templates/cm.yaml': CM, ...extra });
}

const generateEnv = (extra: Record<string, string>) => ({
  ARGOCD_APP_NAME: 'web',
  ARGOCD_APP_NAMESPACE: 'prod',
  ARGOCD_APP_SOURCE_PATH: 'app',
  ...extra,
});

// ---------------------------------------------------------------------------------------------------
// helm engine

test('helm: a release name that is not one helm accepts is refused, from the parameter, safe-render.yaml or the app name', () => {
  requireTools();
  const { script, marker } = evilScript();
  for (const v of hostile(script)) {
    const note = JSON.stringify(v);
    const param = render(helmRepo(), 'app', ['-n', 'prod', '--param', `release-name=${v}`]);
    refused(param, /release name .*is not a valid helm release name/, `parameter ${note}`);
    assert.ok(!param.stderr.includes('x'.repeat(100)), 'a long value is truncated in the message');
    refused(
      render(helmRepo({ 'app/safe-render.yaml': `helm:\n  releaseName: ${JSON.stringify(v)}\n` }), 'app', [
        '-n',
        'prod',
      ]),
      /is not a valid helm release name/,
      `config ${note}`,
    );
    if (!v.includes('\n') && !v.includes('_')) {
      // The application name is the default release name (after the last "_").
      const gen = runCli(['generate'], {
        cwd: join(helmRepo(), 'app'),
        cleanEnv: true,
        env: generateEnv({ ARGOCD_APP_NAME: `team_${v}` }),
      });
      refused(gen, /release name \(the application name\) .*is not a valid helm release name/, `app name ${note}`);
    }
  }
  assert.ok(!existsSync(marker), 'helm ran the post-renderer');
});

test('helm: legitimate release names render: dots, digits, 53 characters, after `--`', () => {
  requireTools();
  for (const name of ['my-rel.v2', '1st', 'a'.repeat(53)]) {
    const [cm] = ok(render(helmRepo(), 'app', ['-n', 'prod', '--param', `release-name=${name}`]));
    assert.equal((cm!.metadata as { name: string }).name, `${name}-cm`);
  }
});

test('helm: namespace, kube version and API versions from Argo CD are checked and cannot become flags', () => {
  requireTools();
  const { script, marker } = evilScript();
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ ARGOCD_APP_NAMESPACE: `--post-renderer=${script}` }, /destination namespace .* is not a valid namespace/],
    [{ ARGOCD_APP_NAMESPACE: 'Prod' }, /is not a valid namespace/],
    [{ ARGOCD_APP_NAMESPACE: 'a'.repeat(64) }, /is not a valid namespace/],
    [{ KUBE_VERSION: `--post-renderer=${script}` }, /kube version .* is not a Kubernetes version/],
    [{ KUBE_VERSION: '1.29 --post-renderer' }, /is not a Kubernetes version/],
    [{ KUBE_API_VERSIONS: `v1,--post-renderer=${script}` }, /API version .* is not an API version/],
    [{ KUBE_API_VERSIONS: 'v1,apps/v1 x' }, /is not an API version/],
    [{ KUBE_API_VERSIONS: 'v1,"apps/v1"' }, /is not an API version/],
  ];
  for (const [env, message] of cases) {
    refused(
      runCli(['generate'], { cwd: join(helmRepo(), 'app'), cleanEnv: true, env: generateEnv(env) }),
      message,
      JSON.stringify(env),
    );
  }
  assert.ok(!existsSync(marker), 'helm ran the post-renderer');
  // What Argo CD really sends renders.
  const [cm] = ok(
    runCli(['generate'], {
      cwd: join(helmRepo(), 'app'),
      cleanEnv: true,
      env: generateEnv({
        KUBE_VERSION: '1.29.3',
        KUBE_API_VERSIONS: 'v1,v1/ConfigMap,apps/v1,apps/v1/Deployment,cert-manager.io/v1',
      }),
    }),
  );
  assert.equal((cm!.data as { ns: string }).ns, 'prod');
  assert.equal(
    ok(render(helmRepo(), 'app', ['-n', 'prod', '--kube-version', 'v1.28.5-gke.1217000', '--api-versions', 'v1']))[0]!
      .kind,
    'ConfigMap',
  );
});

test('helm: --set keys are helm value paths; a value is one argument whatever it starts with', () => {
  requireTools();
  const { script, marker } = evilScript();
  for (const key of ['--post-renderer', `--post-renderer=${script}`, '-h', 'a,b', 'a=b', 'a b', 'tag\n', '']) {
    const params = JSON.stringify([{ name: 'helm-parameters', map: { [key]: script } }]);
    refused(
      runCli(['generate'], {
        cwd: join(helmRepo(), 'app'),
        cleanEnv: true,
        env: generateEnv({ ARGOCD_APP_PARAMETERS: params }),
      }),
      /helm parameter name .* is not a helm value path/,
      JSON.stringify(key),
    );
  }
  // A value that looks like a flag is the value: `--set=tag=--post-renderer=...` is one argument.
  const params = JSON.stringify([{ name: 'helm-parameters', map: { tag: `--post-renderer=${script}` } }]);
  const [cm] = ok(
    runCli(['generate'], {
      cwd: join(helmRepo(), 'app'),
      cleanEnv: true,
      env: generateEnv({ ARGOCD_APP_PARAMETERS: params }),
    }),
  );
  assert.equal((cm!.data as { tag: string }).tag, `--post-renderer=${script}`);
  assert.ok(!existsSync(marker), 'helm ran the post-renderer');
});

test('helm: a values file path with a comma, which helm would split into a second file anywhere, is refused', () => {
  requireTools();
  const outside = makeRepo({ 'values.yaml': 'leak: outside-secret\n' });
  const outsideValues = join(outside, 'values.yaml');
  // The repository holds both halves: app/v (a values file) and app/v,<outside path> (so the whole path exists).
  const repo = helmRepo({ 'app/v': 'tag: v2\n', [`app/v,${outsideValues}`]: 'tag: v3\n' });
  const r = render(repo, 'app', ['-n', 'prod', '--param', `values-files[]=v,${outsideValues}`]);
  refused(r, /values file .* contains ",", which helm reads as a list of files/);
  assert.doesNotMatch(r.stderr, /outside-secret/);
  for (const f of ['--post-renderer=x', '-f'])
    refused(render(repo, 'app', ['-n', 'prod', '--param', `values-files[]=${f}`]), /does not exist/, f);
  assert.equal(
    (ok(render(repo, 'app', ['-n', 'prod', '--param', 'values-files[]=v']))[0]!.data as { tag: string }).tag,
    'v2',
  );
});

// ---------------------------------------------------------------------------------------------------
// kustomize helmCharts: kustomize builds helm's argv from the kustomization

const SUB_CHART = {
  'app/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
  'app/charts/sub/values.yaml': 'tag: v1\n',
  'app/charts/sub/templates/cm.yaml': CM,
  'app/safe-render.yaml': 'kustomize:\n  enableHelm: true\n',
};

function kustRepo(kustomization: string, extra: Record<string, string> = {}): string {
  return makeRepo({ ...SUB_CHART, 'app/kustomization.yaml': kustomization, ...extra });
}

const y = (v: string) => JSON.stringify(v);

test('kustomize: a helmCharts releaseName helm would read as a flag is refused before kustomize runs', () => {
  requireTools();
  const { script, marker } = evilScript();
  for (const v of hostile(script)) {
    refused(
      render(kustRepo(`helmCharts:\n- name: sub\n  releaseName: ${y(v)}\n`), 'app', ['-n', 'prod']),
      /helmCharts\[0\]\.releaseName .*is not a valid helm release name/,
      y(v),
    );
  }
  assert.ok(!existsSync(marker), 'helm ran the post-renderer');
});

test("kustomize: every other helmCharts field that reaches helm's argv is checked", () => {
  requireTools();
  const { script, marker } = evilScript();
  const flag = y(`--post-renderer=${script}`);
  const cases: Array<[string, RegExp, Record<string, string>?]> = [
    [`namespace: ${flag}`, /helmCharts\[0\]\.namespace .* is not a valid namespace/],
    ['namespace: "Prod"', /is not a valid namespace/],
    [`version: ${flag}`, /helmCharts\[0\]\.version .* is not a chart version/],
    [`kubeVersion: ${flag}`, /helmCharts\[0\]\.kubeVersion .* is not a Kubernetes version/],
    [`apiVersions: [v1, ${flag}]`, /helmCharts\[0\]\.apiVersions .* is not an API version/],
    ['nameTemplate: "a\\nb"', /helmCharts\[0\]\.nameTemplate .* contains control characters/],
    [
      'valuesFile: "v,/etc/hostname"',
      /helmCharts\[0\]\.valuesFile .* contains ","/,
      { 'app/v,/etc/hostname': 'x: 1\n' },
    ],
    [
      'additionalValuesFiles: ["v,/etc/hostname"]',
      /helmCharts\[0\]\.additionalValuesFiles .* contains ","/,
      { 'app/v,/etc/hostname': 'x: 1\n' },
    ],
    [
      'additionalValuesFiles: ["https://example.com/values.yaml"]',
      /additionalValuesFiles "https:\/\/example\.com\/values\.yaml" is remote/,
    ],
    [
      'additionalValuesFiles: ["../../../../../../etc/hostname"]',
      /additionalValuesFiles "[./]+etc\/hostname" leads outside the repository/,
    ],
    ['repo: https://charts.example.com', /helmCharts\[0\]\.repo "https:\/\/charts\.example\.com" downloads the chart/],
    ['repo: oci://registry.example.com/charts', /helmCharts\[0\]\.repo .* downloads the chart/],
  ];
  for (const [field, message, extra] of cases) {
    refused(
      render(kustRepo(`helmCharts:\n- name: sub\n  releaseName: rel\n  ${field}\n`, extra), 'app', ['-n', 'prod']),
      message,
      field,
    );
  }
  // Where the chart is: name and chartHome stay in the repository, configHome is not the repository's.
  const outside = makeRepo({
    'evil/Chart.yaml': 'apiVersion: v2\nname: evil\nversion: 0.1.0\n',
    'evil/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-outside\n',
  });
  refused(
    render(kustRepo(`helmCharts:\n- name: ../../../../../../..${outside}/evil\n  releaseName: rel\n`), 'app', [
      '-n',
      'prod',
    ]),
    /helmCharts\[0\]\.name ".*evil" leads outside the repository/,
  );
  refused(
    render(
      kustRepo(`helmGlobals:\n  chartHome: ${y(outside)}\nhelmCharts:\n- name: evil\n  releaseName: rel\n`),
      'app',
      ['-n', 'prod'],
    ),
    /helmCharts\[0\]\.chartHome ".*" leads outside the repository/,
  );
  refused(
    render(kustRepo('helmGlobals:\n  configHome: helm-config\nhelmCharts:\n- name: sub\n  releaseName: rel\n'), 'app', [
      '-n',
      'prod',
    ]),
    /sets helm's configuration home/,
  );
  assert.ok(!existsSync(marker), 'helm ran the post-renderer');
});

test('kustomize: a legitimate helmCharts entry with every checked field renders', () => {
  requireTools();
  const repo = kustRepo(
    [
      'helmGlobals:\n  chartHome: charts',
      'helmCharts:',
      '- name: sub\n  releaseName: rel.v2\n  namespace: team-a\n  version: 0.1.0\n  valuesFile: values/base.yaml\n  additionalValuesFiles: [values/prod.yaml]',
      '  kubeVersion: 1.29.3\n  apiVersions: [v1, apps/v1/Deployment]\n  includeCRDs: true\n',
    ].join('\n'),
    { 'app/values/base.yaml': 'tag: base\n', 'app/values/prod.yaml': 'tag: prod\n' },
  );
  const [cm] = ok(render(repo, 'app', ['-n', 'prod']));
  assert.equal((cm!.metadata as { name: string }).name, 'rel.v2-cm');
  assert.deepEqual(cm!.data, { ns: 'team-a', tag: 'prod', leak: 'none' });
});

test('kustomize: a chart configured by a merge key, an alias, a case-folded key, an inline or file generator, or the deprecated field is checked too', () => {
  requireTools();
  const { script, marker } = evilScript();
  const flag = y(`--post-renderer=${script}`);
  const gen = (release: string) =>
    `apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata:\n  name: x\nname: sub\nreleaseName: ${release}\n`;
  const cases: Array<[string, RegExp, Record<string, string>?]> = [
    [`<<: {helmCharts: [{name: sub, releaseName: ${flag}}]}\n`, /helmCharts\[0\]\.releaseName/],
    [
      `base: &c {name: sub, releaseName: rel}\n`.replace('base: ', 'x-base: ') +
        `helmCharts:\n- <<: *c\n  releaseName: ${flag}\n`,
      /helmCharts\[0\]\.releaseName/,
    ],
    [
      `helmCharts:\n- &c {name: sub, releaseName: rel}\n- <<: [*c]\n  releaseName: ${flag}\n`,
      /helmCharts\[1\]\.releaseName/,
    ],
    [`HelmCharts:\n- Name: sub\n  RELEASENAME: ${flag}\n`, /helmCharts\[0\]\.releaseName/],
    // Go folds "ſ" (U+017F) to "s": kustomize reads releaſeName as releaseName.
    [`helmCharts:\n- name: sub\n  relea\u017feName: ${flag}\n`, /helmCharts\[0\]\.releaseName/],
    [
      `helmChartInflationGenerator:\n- chartName: sub\n  releaseName: ${flag}\n`,
      /helmChartInflationGenerator\[0\]\.releaseName/,
    ],
    [
      `helmChartInflationGenerator:\n- chartName: sub\n  chartRepoUrl: https://charts.example.com\n`,
      /helmChartInflationGenerator\[0\]\.repo .* downloads the chart/,
    ],
    [
      `generators:\n- ${y(`{apiVersion: builtin, kind: HelmChartInflationGenerator, metadata: {name: x}, name: sub, releaseName: ${flag}}`)}\n`,
      /generators\[0\] \(inline\).*releaseName/,
    ],
    [`generators:\n- |\n${gen(flag).replace(/^/gm, '  ')}`, /generators\[0\] \(inline\).*releaseName/],
    ['generators: [helm.yaml]\n', /generators "helm\.yaml".*releaseName/, { 'app/helm.yaml': gen(flag) }],
    [
      'generators: [gen]\n',
      /generators "gen" is a kustomization/,
      { 'app/gen/kustomization.yaml': 'resources: [helm.yaml]\n', 'app/gen/helm.yaml': gen('rel') },
    ],
  ];
  for (const [kustomization, message, extra] of cases) {
    refused(render(kustRepo(kustomization, extra), 'app', ['-n', 'prod']), message, kustomization);
  }
  assert.ok(!existsSync(marker), 'helm ran the post-renderer');
  // The same shapes with legitimate values render.
  assert.equal(
    ok(render(kustRepo('generators: [helm.yaml]\n', { 'app/helm.yaml': gen('from-gen') }), 'app', ['-n', 'prod']))
      .length,
    1,
  );
  // (a kustomization refuses unknown fields, so the anchor sits on one it knows: metadata)
  assert.equal(
    ok(render(kustRepo('metadata: &c {name: sub}\nhelmCharts:\n- <<: *c\n  releaseName: rel\n'), 'app', ['-n', 'prod']))
      .length,
    1,
  );
});

test('kustomize: a remote resource hidden behind a merge key, an alias or a case-folded key is refused', () => {
  requireTools();
  const cases = [
    '<<: {resources: ["https://example.com/cm.yaml"]}\n',
    'x-list: &r ["https://example.com/cm.yaml"]\nresources: *r\n',
    'x-one: &u https://example.com/cm.yaml\nresources: [*u]\n',
    'Resources: ["https://example.com/cm.yaml"]\n',
    'resources: [cm.yaml]\n<<: {resources: ["https://example.com/cm.yaml"]}\n',
    'components: []\n<<: [{bases: ["github.com/org/repo/base"]}]\n',
    // YAML that is not a resource (no kind) is a path to kustomize, not an inline config.
    'generators: ["https://example.com/x: y"]\n',
  ];
  for (const k of cases) {
    refused(
      render(kustRepo(k, { 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' }), 'app', [
        '-n',
        'prod',
      ]),
      /is remote; the sidecar has no network/,
      k,
    );
  }
  // And a merge key or alias that stays in the repository renders as kustomize reads it.
  const [cm] = ok(
    render(
      kustRepo('<<: &base {resources: [cm.yaml]}\n', {
        'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merged\n',
      }),
      'app',
      ['-n', 'prod'],
    ),
  );
  assert.equal((cm!.metadata as { name: string }).name, 'merged');
});

test('kustomize: a multi-word engines.helmCommand is refused for helm inflation; one word is passed whole', () => {
  requireTools();
  const repo = kustRepo('helmCharts:\n- name: sub\n  releaseName: rel\n');
  const policy = join(repo, 'policy.yaml');
  for (const command of ['[helm, --debug]', '[env, helm]', '["-helm"]']) {
    writeFileSync(policy, `default:\n  engines:\n    helmCommand: ${command}\n`);
    refused(
      render(repo, 'app', ['-n', 'prod', '--policy', policy]),
      /engines\.helmCommand .* kustomize's --helm-command takes one executable/,
      command,
    );
  }
  writeFileSync(policy, 'default:\n  engines:\n    helmCommand: [helm]\n');
  assert.equal(ok(render(repo, 'app', ['-n', 'prod', '--policy', policy])).length, 1);
  // The helm engine takes a command of several words as it is.
  const chart = helmRepo();
  writeFileSync(join(chart, 'policy.yaml'), 'default:\n  engines:\n    helmCommand: [env, helm]\n');
  assert.equal(ok(render(chart, 'app', ['-n', 'prod', '--policy', join(chart, 'policy.yaml')])).length, 1);
});
