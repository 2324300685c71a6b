// `safe-render diff` on a real repository of the corpus (issue 12): argocd-example-apps copied into a
// temporary Git repository, its sock-shop app (kustomize, 29 objects) locked, then a commit that bumps
// the front-end image and drops the queue-master Service from the kustomization. The diff shows
// exactly those two changes and refuses the unaccepted deletion; after `lock` in the working tree it
// is accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/helpers';
import { git } from '../test/diff-repo';
import { CORPUS, requireCorpusAndTools } from './corpus';

test('argocd-example-apps sock-shop: an image bump and a removed Service, between two commits and against the working tree', () => {
  requireCorpusAndTools();
  const repo = mkdtempSync(join(tmpdir(), 'safe-render-corpus-diff-'));
  try {
    cpSync(join(CORPUS, 'argoproj__argocd-example-apps'), repo, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    const app = ['sock-shop', '--namespace', 'sock-shop'];
    assert.equal(runCli(['lock', ...app], { cwd: repo }).code, 0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'corpus, sock-shop locked');
    const dep = join(repo, 'sock-shop/base/front-end-dep.yaml');
    writeFileSync(dep, readFileSync(dep, 'utf8').replace('front-end:0.3.12', 'front-end:0.3.13'));
    const kust = join(repo, 'sock-shop/kustomization.yaml');
    writeFileSync(kust, readFileSync(kust, 'utf8').replace('  - base/queue-master-svc.yaml\n', ''));
    git(repo, 'commit', '-q', '-am', 'front-end 0.3.13; drop the queue-master Service');

    const r = runCli(['diff', ...app, '--base', 'HEAD~1', '--head', 'HEAD'], { cwd: repo });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^sock-shop: \+0 -1 ~1 objects \(head refused\)$/m);
    assert.match(r.stdout, /^- removed Service sock-shop\/queue-master$/m);
    assert.match(r.stdout, /^~ changed apps\/Deployment sock-shop\/front-end$/m);
    assert.match(r.stdout, /^-\s+image: weaveworksdemos\/front-end:0\.3\.12$/m);
    assert.match(r.stdout, /^\+\s+image: weaveworksdemos\/front-end:0\.3\.13$/m);
    assert.match(r.stderr, /^error\[unacknowledged-deletion\] core\/Service\/sock-shop\/queue-master: /m);

    // The deletion accepted in the working tree (lock rewritten, not committed): the head is accepted.
    assert.equal(runCli(['lock', ...app], { cwd: repo }).code, 0);
    const ok = runCli(['diff', ...app, '--base', 'HEAD~1', '--format', 'json'], { cwd: repo });
    assert.equal(ok.code, 0, ok.stderr);
    const v = JSON.parse(ok.stdout) as { apps: Array<{ deletions: unknown; summary: unknown }> };
    assert.deepEqual(v.apps[0]!.deletions, [{ ref: 'core/Service/sock-shop/queue-master', accepted: true }]);
    assert.deepEqual(v.apps[0]!.summary, { removed: 1, added: 0, changed: 1, unchanged: 27 });
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
