// Issue 14: the three ways to install the sidecar (the strategic-merge patch for a hand-made install,
// the argo-cd Helm chart's values, the kustomize Component) carry one container spec and one set of
// volumes; the policy ConfigMap is optional and SAFE_RENDER_POLICY names the file at its mount; the
// sidecar has requests and limits no lower than the measurement in docs/installation.md. The chart
// itself cannot be rendered here (no network), so its values are checked for the shape
// templates/argocd-repo-server/deployment.yaml of argoproj/argo-helm consumes; the Component is built
// with the real `kubectl kustomize` over a minimal repo-server Deployment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { DEFAULT_POLICY_PATH, POLICY_ENV } from '../src/config/platform-policy';
import { ROOT, readYaml, runTool, yamlDocs } from './helpers';

type Obj = Record<string, any>;

const PATCH = 'examples/argocd/repo-server-patch.yaml';
const COMPONENT = 'deploy/kustomize/component';
const VALUES = 'deploy/helm/values-safe-render.yaml';

/** The container and the volumes each install form adds, read from its file. */
function forms(): { name: string; container: Obj; volumes: Obj[] }[] {
  const fromPatch = (file: string) => {
    const spec = (readYaml(file) as Obj).spec.template.spec as Obj;
    assert.equal((spec.containers as Obj[]).length, 1, `${file}: one container`);
    return { name: file, container: spec.containers[0] as Obj, volumes: spec.volumes as Obj[] };
  };
  const values = readYaml(VALUES) as Obj;
  const extra = values.repoServer?.extraContainers as Obj[];
  assert.ok(Array.isArray(extra) && extra.length === 1, `${VALUES}: repoServer.extraContainers is a list of one`);
  assert.ok(Array.isArray(values.repoServer.volumes), `${VALUES}: repoServer.volumes is a list`);
  return [
    fromPatch(PATCH),
    fromPatch(`${COMPONENT}/repo-server-patch.yaml`),
    { name: VALUES, container: extra[0]!, volumes: values.repoServer.volumes as Obj[] },
  ];
}

function volume(volumes: Obj[], name: string): Obj {
  const v = volumes.find((x) => x.name === name);
  assert.ok(v, `volume ${name}`);
  return v;
}

/** A Kubernetes quantity in bytes (binary and decimal suffixes) or cores. */
function quantity(q: string | number): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|k|M|G)?$/.exec(String(q));
  assert.ok(m, `quantity ${q}`);
  const unit = { '': 1, m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 }[m[2] ?? '']!;
  return Number(m[1]) * unit;
}

test('the patch, the Component and the Helm values add the same container and the same volumes', () => {
  const [patch, ...others] = forms();
  for (const f of others) {
    assert.deepEqual(f.container, patch!.container, `${f.name}: the container of ${PATCH}`);
    assert.deepEqual(f.volumes, patch!.volumes, `${f.name}: the volumes of ${PATCH}`);
  }
  // Everything the three must carry is in the one they agree on.
  const c = patch!.container;
  for (const k of ['name', 'image', 'command', 'env', 'resources', 'securityContext', 'volumeMounts'])
    assert.ok(c[k] !== undefined, `the container sets ${k}`);
});

test('the policy ConfigMap is optional, and SAFE_RENDER_POLICY names the file at its mount', () => {
  const kustomization = readYaml('examples/argocd/kustomization.yaml') as Obj;
  const gen = (kustomization.configMapGenerator as Obj[]).find((g) => g.name === 'safe-render-policy')!;
  const key = posix.basename(gen.files[0] as string);
  for (const f of forms()) {
    const v = volume(f.volumes, 'safe-render-policy');
    assert.deepEqual(v.configMap, { name: 'safe-render-policy', optional: true }, `${f.name}: optional: true`);
    const mount = (f.container.volumeMounts as Obj[]).find((m) => m.name === v.name)!;
    assert.equal(mount.subPath, undefined, `${f.name}: no subPath, so a restored ConfigMap reaches the sidecar`);
    const env = (f.container.env as Obj[]).filter((e) => e.name === POLICY_ENV);
    assert.equal(env.length, 1, `${f.name}: ${POLICY_ENV} set once`);
    assert.equal(env[0]!.value, posix.join(mount.mountPath as string, key), `${f.name}: ${POLICY_ENV} at the mount`);
    assert.equal(env[0]!.value, DEFAULT_POLICY_PATH, `${f.name}: the same file safe-render reads by default`);
    assert.deepEqual(volume(f.volumes, 'safe-render-freeze').configMap, { name: 'safe-render-freeze', optional: true });
  }
});

test('the sidecar has requests and limits, and the memory limit covers the measured peak with headroom', () => {
  // docs/installation.md, "Resources", holds the measurement: rows `| ... | NNN MB |`; the largest
  // is the peak the limit must cover.
  const doc = readFileSync(join(ROOT, 'docs/installation.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Resources'));
  assert.ok(doc.includes('## Resources'), 'docs/installation.md has a Resources section');
  const peaks = [...section.slice(0, section.indexOf('\n## ', 4)).matchAll(/\|\s*(\d+) MB\s*\|/g)].map((m) =>
    Number(m[1]),
  );
  assert.ok(peaks.length >= 3, `the measurements are in the Resources table: ${peaks.join(', ')}`);
  const peak = Math.max(...peaks) * 1e6;
  for (const f of forms()) {
    const r = f.container.resources as Obj;
    for (const k of ['requests.cpu', 'requests.memory', 'limits.memory']) {
      const [a, b] = k.split('.');
      assert.ok(r?.[a!]?.[b!] !== undefined, `${f.name}: resources.${k}`);
    }
    const limit = quantity(r.limits.memory);
    assert.ok(quantity(r.requests.memory) <= limit, `${f.name}: the memory request is within the limit`);
    assert.ok(limit >= 1.5 * peak, `${f.name}: limit ${r.limits.memory} leaves 50% over the measured ${peak / 1e6} MB`);
    // Node's heap ceiling is explicit, and leaves half of the limit to the rest of the process, the
    // child tool and the cmp-server; a heap below the limit makes V8 fail the render before the kernel
    // kills the container.
    const heap = /--max-old-space-size=(\d+)/.exec(
      ((f.container.env as Obj[]).find((e) => e.name === 'NODE_OPTIONS')?.value as string) ?? '',
    );
    assert.ok(heap, `${f.name}: NODE_OPTIONS sets --max-old-space-size`);
    assert.ok(Number(heap[1]) * 2 ** 20 <= limit / 2, `${f.name}: the heap is at most half the memory limit`);
    assert.ok(Number(heap[1]) * 1e6 >= peak, `${f.name}: the heap alone could hold the measured peak`);
  }
});

test('the Helm values fit the argo-cd chart: names the chart does not define, no template braces', () => {
  const text = readFileSync(join(ROOT, VALUES), 'utf8');
  // The chart passes extraContainers through `tpl`: braces would be evaluated as a template.
  assert.doesNotMatch(text.replace(/#.*$/gm, ''), /\{\{/);
  const values = readYaml(VALUES) as Obj;
  assert.deepEqual(Object.keys(values), ['repoServer'], 'only repoServer is set');
  assert.deepEqual(Object.keys(values.repoServer as Obj).sort(), ['extraContainers', 'volumes']);
  // The volumes the chart's repo-server Deployment defines itself (argo-helm
  // charts/argo-cd/templates/argocd-repo-server/deployment.yaml): mounting var-files and plugins is
  // how the sidecar reaches argocd-cmp-server and the sockets; defining any of them again would make
  // the pod invalid.
  const chartVolumes = [
    'helm-working-dir',
    'plugins',
    'var-files',
    'tmp',
    'ssh-known-hosts',
    'tls-certs',
    'gpg-keys',
    'gpg-keyring',
    'argocd-repo-server-tls',
  ];
  const own = (values.repoServer.volumes as Obj[]).map((v) => v.name as string);
  for (const n of own) assert.ok(!chartVolumes.includes(n), `volume ${n} is the chart's own`);
  const c = (values.repoServer.extraContainers as Obj[])[0]!;
  for (const m of c.volumeMounts as Obj[])
    assert.ok(own.includes(m.name) || ['var-files', 'plugins'].includes(m.name), `mount ${m.name} has a volume`);
  assert.notEqual(
    (c.volumeMounts as Obj[]).find((m) => m.mountPath === '/tmp')?.name,
    'tmp',
    "its own /tmp, not the repo-server's",
  );
});

test('kubectl kustomize: the Component adds the sidecar to a repo-server Deployment and leaves the rest alone', () => {
  // The shape of argo-cd manifests/base/repo-server/argocd-repo-server-deployment.yaml, reduced to
  // what the Component meets.
  const repoServer = {
    name: 'argocd-repo-server',
    image: 'quay.io/argoproj/argocd:latest',
    volumeMounts: [
      { name: 'var-files', mountPath: '/var/run/argocd' },
      { name: 'plugins', mountPath: '/home/argocd/cmp-server/plugins' },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  const base = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'argocd-repo-server' },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
        spec: {
          containers: [repoServer],
          volumes: [
            { name: 'var-files', emptyDir: {} },
            { name: 'plugins', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-component-'));
  try {
    writeFileSync(join(dir, 'deployment.yaml'), JSON.stringify(base));
    // As an Argo CD install would use it: its own namespace, the Component by relative path.
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      `namespace: argocd\nresources: [deployment.yaml]\ncomponents: [${JSON.stringify(relative(dir, join(ROOT, COMPONENT)))}]\n`,
    );
    const r = runTool('kubectl', ['kustomize', dir]);
    assert.equal(r.code, 0, r.stderr);
    const docs = yamlDocs(r.stdout, 'kubectl kustomize') as Obj[];
    assert.equal(docs.length, 1);
    const d = docs[0]!;
    assert.equal(d.metadata.namespace, 'argocd');
    const spec = d.spec.template.spec as Obj;
    // A strategic merge puts the patch's list items first; the order of containers and volumes does
    // not matter to Kubernetes.
    const byName = (list: Obj[], name: string) => list.find((x) => x.name === name);
    assert.deepEqual((spec.containers as Obj[]).map((c) => c.name).sort(), ['argocd-repo-server', 'safe-render']);
    assert.deepEqual(
      byName(spec.containers, 'argocd-repo-server'),
      repoServer,
      'the repo-server container is unchanged',
    );
    const [patch] = forms();
    const sidecar = byName(spec.containers, 'safe-render')!;
    assert.deepEqual(sidecar, patch!.container, 'the sidecar as the patch defines it');
    assert.deepEqual(
      (sidecar.env as Obj[]).find((e) => e.name === POLICY_ENV),
      { name: POLICY_ENV, value: DEFAULT_POLICY_PATH },
    );
    assert.ok(sidecar.resources.limits.memory && sidecar.resources.requests.memory);
    const vols = spec.volumes as Obj[];
    assert.deepEqual(
      vols.map((v) => v.name).sort(),
      ['plugins', 'safe-render-freeze', 'safe-render-policy', 'safe-render-tmp', 'tmp', 'var-files'],
      "Argo CD's volumes kept, safe-render's added once",
    );
    for (const v of base.spec.template.spec.volumes) assert.deepEqual(byName(vols, v.name), v);
    assert.deepEqual(volume(vols, 'safe-render-policy').configMap, { name: 'safe-render-policy', optional: true });
    for (const m of sidecar.volumeMounts as Obj[]) volume(vols, m.name as string);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the Component's kustomization is a Component that applies only the patch beside it", () => {
  const k = readYaml(`${COMPONENT}/kustomization.yaml`) as Obj;
  assert.equal(k.apiVersion, 'kustomize.config.k8s.io/v1alpha1');
  assert.equal(k.kind, 'Component');
  assert.deepEqual(k.patches, [{ path: 'repo-server-patch.yaml' }]);
});
