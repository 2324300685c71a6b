import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySources } from './classify-sources';

const o = { repoURL: 'https://github.com/acme/platform.git', pluginName: 'safe-render', repoRoot: '/nonexistent-root' };
const src = (extra: Record<string, unknown>) => ({ repoURL: 'git@github.com:acme/other.git', path: 'a', ...extra });

test('classifySources: a source of this repository naming the plugin is checked; URLs compared as Argo CD does', () => {
  const checked = classifySources(
    { source: { repoURL: 'HTTPS://github.com/acme/platform', path: 'a', plugin: { name: 'safe-render' } } },
    o,
  );
  assert.deepEqual(
    checked.map((c) => c.skipped),
    [undefined],
  );
});

test('classifySources: the reason a source is skipped', () => {
  const why = (source: Record<string, unknown>, opts = o) => classifySources({ source }, opts)[0]!.skipped;
  assert.equal(why(src({ plugin: { name: 'safe-render' } })), 'another repository (git@github.com:acme/other.git)');
  const ours = { repoURL: o.repoURL, path: 'a' };
  assert.equal(why({ ...ours, helm: {} }), 'another tool: helm');
  assert.equal(why({ ...ours, kustomize: {} }), 'another tool: kustomize');
  assert.equal(why(ours), 'another tool: directory');
  assert.equal(why({ ...ours, chart: 'x' }), 'another tool: helm (a chart from a Helm repository)');
  assert.equal(
    why({ ...ours, plugin: {} }),
    'plugin chosen by discovery (no plugin.name); ci checks plugin.name: safe-render',
  );
  assert.equal(why({ ...ours, plugin: { name: 'cdk8s' } }), 'another plugin (cdk8s)');
  assert.equal(why({ ...ours, plugin: { name: 'cdk8s' } }, { ...o, pluginName: 'cdk8s' }), undefined);
});

test('classifySources: a sidecar with spec.version is named <name>-<version>; that is this plugin too (review of issue 11)', () => {
  const why = (name: string) =>
    classifySources({ source: { repoURL: o.repoURL, path: 'a', plugin: { name } } }, o)[0]!.skipped;
  assert.equal(why('safe-render-v1.2'), undefined);
  assert.equal(why('safe-render-'), 'another plugin (safe-render-)');
  assert.equal(why('safe-renderer'), 'another plugin (safe-renderer)');
});

test('classifySources: spec.sources wins over spec.source; one entry per checked source with its index', () => {
  const plugin = { repoURL: o.repoURL, path: 'x', plugin: { name: 'safe-render' } };
  const r = classifySources(
    { source: plugin, sources: [{ repoURL: 'https://charts.example', chart: 'c' }, plugin, { ...plugin, path: 'y' }] },
    o,
  );
  assert.deepEqual(
    r.map((c) => [c.sourceIndex, c.source.path, c.skipped]),
    [
      [1, 'x', undefined],
      [2, 'y', undefined],
    ],
  );
  const none = classifySources(
    { sources: [{ repoURL: 'https://charts.example', chart: 'c' }, { repoURL: o.repoURL }] },
    o,
  );
  assert.equal(none.length, 1);
  assert.match(
    none[0]!.skipped!,
    /^no source checked: another repository \(https:\/\/charts\.example\); another tool: directory$/,
  );
});
