// Issue 9 §3: the tools read only the repository. helm follows symlinks anywhere in a chart folder
// (templates, files read by .Files.Get/.Files.Glob, subcharts), so before the fix an outside file's
// content came out in a ConfigMap through the helm engine and through kustomize's helmCharts. Each
// attack below printed the outside secret with the previous bundle; now it is one render-failed
// line naming the link, and the secret never appears. Links that stay in the repository still render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRepo, parseJsonStream, render, requireTools, type RunResult } from './helpers';

const SECRET = 'outside-secret-c4f1';

function outsideFiles(): { file: string; dir: string; chart: string } {
  const o = makeRepo({
    'secret.txt': `${SECRET}\n`,
    'dir/a.txt': `${SECRET}\n`,
    'dir/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-outside-dir\ndata:\n  s: ${SECRET}\n`,
    'chart/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-outside-chart\ndata:\n  s: ${SECRET}\n`,
  });
  return { file: join(o, 'secret.txt'), dir: join(o, 'dir'), chart: join(o, 'chart') };
}

function refusedLink(r: RunResult, link: string, note: string): void {
  assert.equal(r.code, 2, `${note}: expected exit 2, got ${r.code}\n${r.stderr}${r.stdout}`);
  assert.equal(r.stdout, '', note);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${note}: one line\n${r.stderr}`);
  assert.ok(
    r.stderr.startsWith(`error[render-failed] ${link}: symlink leads outside the repository`),
    `${note}: names the link ${link}\n${r.stderr}`,
  );
  assert.ok(!r.stderr.includes(SECRET) && !r.stdout.includes(SECRET), `${note}: the outside content came out`);
}

function ok(r: RunResult): Record<string, unknown>[] {
  assert.equal(r.code, 0, r.stderr);
  return parseJsonStream(r.stdout);
}

const FILES_GET =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: files\ndata:\n  f: {{ .Files.Get "data/f.txt" | quote }}\n  glob: {{ range $p, $_ := .Files.Glob "data/**" }}{{ $p }} {{ end }}\n';

/** A chart at app/ (helm engine) or app/charts/sub (kustomize helmCharts) with links planted by `plant`. */
function chartRepo(engine: 'helm' | 'kustomize'): { repo: string; chart: string } {
  const chart = engine === 'helm' ? 'app' : 'app/charts/sub';
  const repo = makeRepo({
    [`${chart}/Chart.yaml`]: `apiVersion: v2\nname: ${engine === 'helm' ? 'app' : 'sub'}\nversion: 0.1.0\n`,
    [`${chart}/values.yaml`]: '{}\n',
    [`${chart}/templates/files.yaml`]: FILES_GET,
    [`${chart}/data/ok.txt`]: 'inside\n',
    ...(engine === 'kustomize'
      ? {
          'app/kustomization.yaml': 'helmCharts:\n- name: sub\n  releaseName: rel\n',
          'app/safe-render.yaml': 'kustomize:\n  enableHelm: true\n',
        }
      : {}),
  });
  return { repo, chart };
}

for (const engine of ['helm', 'kustomize'] as const) {
  test(`${engine}: a link in the chart folder that leaves the repository is refused before helm reads it`, () => {
    requireTools();
    const o = outsideFiles();
    const plants: Array<[string, string, string]> = [
      ['a file read by .Files.Get', 'data/f.txt', o.file],
      ['a file found by .Files.Glob', 'data/g.txt', o.file],
      ['a hidden file', 'data/.hidden', o.file],
      ['a template', 'templates/leak.yaml', join(o.dir, 'cm.yaml')],
      ['the templates folder itself', 'templates', o.dir],
      ['a folder of data', 'data/sub', o.dir],
      ['a subchart in charts/', 'charts/lib', o.chart],
      ['a dangling link out (the target may appear later)', 'data/later.txt', '/nonexistent-c4f1/secret'],
      ['a relative link up and out', 'data/up.txt', '../../../../../../../../../../../../etc/hostname'],
    ];
    for (const [what, rel, target] of plants) {
      const { repo, chart } = chartRepo(engine);
      if (rel === 'templates') {
        // replace the folder by the link
        rmSync(join(repo, chart, 'templates'), { recursive: true });
      }
      mkdirSync(join(repo, chart, rel, '..'), { recursive: true });
      symlinkSync(target, join(repo, chart, rel));
      refusedLink(render(repo, 'app', ['-n', 'prod']), `${chart}/${rel}`, `${engine}: ${what}`);
    }
    // A link inside the repository that leads to a folder holding a link out is refused too.
    const { repo, chart } = chartRepo(engine);
    mkdirSync(join(repo, 'shared'));
    symlinkSync(o.file, join(repo, 'shared/f.txt'));
    symlinkSync(`${'../'.repeat(chart.split('/').length + 1)}shared`, join(repo, chart, 'data/shared'));
    refusedLink(render(repo, 'app', ['-n', 'prod']), 'shared/f.txt', `${engine}: a link out behind a link in`);
  });

  test(`${engine}: links that stay in the repository still render`, () => {
    requireTools();
    const { repo, chart } = chartRepo(engine);
    const up = '../'.repeat(chart.split('/').length + 1);
    mkdirSync(join(repo, 'shared/tpl'), { recursive: true });
    writeFileSync(join(repo, 'shared/f.txt'), 'shared-inside\n');
    writeFileSync(
      join(repo, 'shared/tpl/cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: linked-template\n',
    );
    symlinkSync(`${up}shared/f.txt`, join(repo, chart, 'data/f.txt'));
    symlinkSync(`${up}shared/tpl/cm.yaml`, join(repo, chart, 'templates/linked.yaml'));
    const objs = ok(render(repo, 'app', ['-n', 'prod']));
    const files = objs.find((o) => (o.metadata as { name: string }).name === 'files')!.data as { f: string };
    assert.equal(files.f, 'shared-inside\n');
    assert.ok(objs.some((o) => (o.metadata as { name: string }).name === 'linked-template'));
    if (engine === 'kustomize') {
      // Also when name-prefix makes safe-render edit a copy: relative links keep pointing into the copy.
      const prefixed = ok(render(repo, 'app', ['-n', 'prod', '--param', 'name-prefix=p-']));
      assert.ok(prefixed.some((o) => (o.metadata as { name: string }).name === 'p-linked-template'));
    }
  });
}

test('kustomize: a remote chart (helmCharts repo) is refused before any download, and a vendored one renders', () => {
  requireTools();
  for (const repoUrl of [
    'https://charts.example.com',
    'oci://registry.example.com/charts',
    'http://10.0.0.1:8080',
    'file:///tmp/charts',
  ]) {
    const { repo } = chartRepo('kustomize');
    writeFileSync(
      join(repo, 'app/kustomization.yaml'),
      `helmCharts:\n- name: absent\n  releaseName: rel\n  version: 1.0.0\n  repo: ${JSON.stringify(repoUrl)}\n`,
    );
    const r = render(repo, 'app', ['-n', 'prod']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^error\[render-failed\] app\/kustomization\.yaml: helmCharts\[0\]\.repo ".*" downloads the chart; safe-render renders only what is in the repository/,
    );
    // The refusal is ours, before kustomize ran helm pull (whose error would name the repository index).
    assert.doesNotMatch(r.stderr, /index\.yaml|kubectl kustomize|dial tcp/);
  }
  assert.equal(ok(render(chartRepo('kustomize').repo, 'app', ['-n', 'prod'])).length, 1);
});

test('kustomize: a kustomization file that links outside the repository is refused without quoting it', () => {
  requireTools();
  const outside = makeRepo({ 'k.yaml': `resources: [\n${SECRET}: [\n` });
  const repo = makeRepo({
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    'app/kustomization.yaml': 'resources: [../base]\n',
  });
  symlinkSync(join(outside, 'k.yaml'), join(repo, 'base/kustomization.yaml'));
  const r = render(repo, 'app', ['-n', 'prod']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error\[render-failed\] base\/kustomization\.yaml: leads outside the repository/);
  assert.ok(!r.stderr.includes(SECRET));
});
