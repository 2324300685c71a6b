import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySources } from './classify-sources';
import { mapNativeSettings, pluginSourceOf } from './native-source';

const ROOT = '/nonexistent-root';
const o = { repoURL: 'https://github.com/acme/platform.git', pluginName: 'safe-render', repoRoot: ROOT };

test('mapNativeSettings: the simple tool settings become plugin parameters, every other one is named', () => {
  assert.deepEqual(
    mapNativeSettings({ path: 'a', directory: { recurse: true, include: '*.yaml', jsonnet: {} } }, 'directory', ROOT),
    {
      parameters: [
        { name: 'recurse', string: 'true' },
        { name: 'include', array: ['*.yaml'] },
      ],
      notMapped: [],
    },
  );
  const helm = mapNativeSettings(
    {
      path: 'a',
      helm: {
        releaseName: 'web',
        valueFiles: ['v.yaml'],
        parameters: [{ name: 'image.tag', value: '1', forceString: true }],
        values: 'a: 1',
        skipCrds: true,
      },
    },
    'helm',
    ROOT,
  );
  assert.deepEqual(helm.parameters, [
    { name: 'release-name', string: 'web' },
    { name: 'values-files', array: ['v.yaml'] },
    { name: 'helm-parameters', map: { 'image.tag': '1' } },
  ]);
  assert.deepEqual(helm.notMapped, ['helm.parameters[].forceString (--set-string)', 'helm.values', 'helm.skipCrds']);
  // A value file of another source ($ref) or a URL has no plugin counterpart.
  assert.deepEqual(mapNativeSettings({ helm: { valueFiles: ['$values/x.yaml'] } }, 'helm', ROOT), {
    parameters: [],
    notMapped: ['helm.valueFiles ($ref or URL)'],
  });
  assert.deepEqual(
    mapNativeSettings({ kustomize: { images: ['nginx:1'], namePrefix: 'p-', namespace: 'x' } }, 'kustomize', ROOT),
    {
      parameters: [
        { name: 'kustomize-images', array: ['nginx:1'] },
        { name: 'name-prefix', string: 'p-' },
      ],
      notMapped: ['kustomize.namespace'],
    },
  );
});

test('pluginSourceOf: the same repository and path, this plugin, no tool section', () => {
  assert.deepEqual(
    pluginSourceOf({ repoURL: 'r', path: 'a', targetRevision: 'HEAD', helm: { releaseName: 'x' } }, 'safe-render', [
      { name: 'release-name', string: 'x' },
    ]),
    {
      repoURL: 'r',
      path: 'a',
      targetRevision: 'HEAD',
      plugin: { name: 'safe-render', parameters: [{ name: 'release-name', string: 'x' }] },
    },
  );
});

test("classifySources with includeNative: this repository's native sources are previewed, charts, ref sources and other repositories stay skipped", () => {
  const n = { ...o, includeNative: true };
  const [dir] = classifySources({ source: { repoURL: o.repoURL, path: 'a', directory: { recurse: true } } }, n);
  assert.equal(dir!.skipped, undefined);
  assert.equal(dir!.native?.tool, 'directory');
  assert.deepEqual(dir!.source, {
    repoURL: o.repoURL,
    path: 'a',
    plugin: { name: 'safe-render', parameters: [{ name: 'recurse', string: 'true' }] },
  });
  const why = (source: Record<string, unknown>) => classifySources({ source }, n)[0]!.skipped;
  assert.equal(why({ repoURL: o.repoURL, chart: 'x' }), 'another tool: helm (a chart from a Helm repository)');
  assert.match(why({ repoURL: 'https://github.com/other/x', path: 'a' })!, /^another repository/);
  assert.match(why({ repoURL: o.repoURL, path: 'a', plugin: { name: 'other' } })!, /^another plugin/);
  const multi = classifySources(
    {
      sources: [
        { repoURL: o.repoURL, ref: 'values' },
        { repoURL: o.repoURL, path: 'b', helm: {} },
      ],
    },
    n,
  );
  assert.deepEqual(
    multi.map((c) => [c.sourceIndex, c.native?.tool]),
    [[1, 'helm']],
  );
  // Without the flag nothing changes.
  assert.equal(
    classifySources({ source: { repoURL: o.repoURL, path: 'a' } }, o)[0]!.skipped,
    'another tool: directory',
  );
});
