// Parity on real repositories: every `plain` app of the shared corpus (../shared/corpus/apps.tsv)
// renders to the same objects that `kubectl kustomize` reads from the same files, or is refused with
// a finding that the table below shows to be right.
//
// For each app, its own manifest files (non-recursive, not hidden, .yaml/.yml/.json, as the render
// selects them) are copied to a temp dir twice: once with a permissive safe-render.yaml (every
// namespace and every kind allowed, so namespace-escape and cluster-scoped, tested elsewhere, stay out
// of the way) for `safe-render render`, and once with a kustomization.yaml listing the same files for
// `kubectl kustomize`. The kustomize output is read twice and both readings must equal safe-render's
// JSON stream as a multiset (kustomize reorders objects and keys):
// - with the `yaml` package and safe-render's own options (K8S_YAML), as Argo CD's YAML reading;
// - with Kubernetes' own reader (sigs.k8s.io/yaml via helm's fromYaml, see test/k8s-reader.ts), which
//   does not share safe-render's parser: with the first reading alone, a scalar misread by both sides
//   (`command: [kustomize, build, .]` in argo-cd's cmp-kustomize became `null`) looked like parity.
//
// The corpus is never copied into the project; CI runs this only where it exists, and here a missing
// corpus is a failure, not a skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isMap, isScalar, parseAllDocuments, type Document, type Scalar } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from '../src/util/k8s-yaml';
import { findingLines, parseJsonStream, ROOT, runCli, TOOLS_BIN } from '../test/helpers';
import { kubernetesReads, splitYamlStream } from '../test/k8s-reader';

const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
const KUBECTL = join(TOOLS_BIN, 'kubectl');
const NAMESPACE = 'corpus-parity';
const MANIFEST_EXT = /\.(ya?ml|json)$/i;

type Obj = Record<string, unknown>;

/** What the files are when they are not simply rendered by both tools. */
interface Refused {
  outcome: 'refused';
  why: string;
  exit: 1 | 2;
  /** Each error line safe-render prints starts with one of these, in order (rule, object, file:line). */
  errors: string[];
  /** What `kubectl kustomize` does with the same files: the error it fails with, or 'renders'. */
  kustomize: RegExp | 'renders';
  /** More evidence that refusing is right, beyond kustomize's verdict. */
  check?: (app: AppRun) => void;
}

interface MatchPerFile {
  outcome: 'match-per-file';
  why: string;
}

interface MatchGenerateName {
  outcome: 'match-generate-name';
  why: string;
}

type Expectation = Refused | MatchPerFile | MatchGenerateName;

/** Apps that do not simply match. Every other plain app must render exactly what kustomize reads. */
const EXPECTED: Record<string, Expectation> = {
  'argoproj__argo-cd/manifests': {
    outcome: 'match-per-file',
    why: 'alternative install bundles (install, core-install, namespace-install) repeat the same objects; kustomize refuses any repeat, safe-render merges identical copies with a duplicate-object warning',
  },
  'argoproj__argo-cd/manifests/ha': {
    outcome: 'match-per-file',
    why: 'the HA install and namespace-install bundles repeat the same objects (as above)',
  },
  'argoproj__argocd-example-apps/helm-hooks': {
    outcome: 'match-generate-name',
    why: 'a hook Job has only metadata.generateName, which Argo CD accepts (a fresh name per sync) and kustomize refuses',
  },
  'argoproj__argocd-example-apps/sync-waves': {
    outcome: 'match-generate-name',
    why: 'a PreSync hook Job has only metadata.generateName (as above)',
  },
  'argoproj__argo-cd/test/e2e/testdata/declarative-apps': {
    outcome: 'refused',
    why: 'Go-template inputs of the e2e tests (`name: {{.Name}}`), not manifests: `{{...}}` is a YAML mapping used as a map key',
    exit: 2,
    errors: ['error[render-failed] app.yaml:4: a map key is a mapping, which Kubernetes cannot read'],
    kustomize: /missing metadata\.name in object \{\{argoproj\.io\/v1alpha1 Application\}/,
    check: (app) => {
      for (const file of app.files) {
        assert.throws(
          () => kubernetesReads(splitYamlStream(app.text(file))),
          /invalid map key/,
          `Kubernetes refuses ${file} too`,
        );
      }
    },
  },
  'argoproj__argo-cd/test/e2e/testdata/duplicated-resources': {
    outcome: 'refused',
    why: 'the e2e fixture for duplicates: three copies of the cluster-scoped ClusterDummy (its CRD is in the render) differ only in metadata.namespace, which a cluster-scoped object does not have',
    exit: 1,
    errors: [
      'error[duplicate-object] argoproj.io/ClusterDummy cluster-dummy-crd-instance (duplicates-cluster.yaml:41, duplicates-cluster.yaml:47, duplicates-cluster.yaml:54): defined 3 times with different content',
    ],
    kustomize:
      /may not add resource with an already registered id: ClusterDummy\.v1alpha1\.argoproj\.io\/cluster-dummy-crd-instance/,
    check: (app) => {
      const docs = app.docs('duplicates-cluster.yaml');
      const crd = docs.find(
        (d) =>
          d.kind === 'CustomResourceDefinition' &&
          (d.spec as Obj).names &&
          ((d.spec as Obj).names as Obj).kind === 'ClusterDummy',
      );
      assert.equal(
        (crd?.spec as Obj | undefined)?.scope,
        'Cluster',
        'the CRD in the same file makes ClusterDummy cluster-scoped',
      );
      const copies = docs.filter(
        (d) => d.kind === 'ClusterDummy' && (d.metadata as Obj).name === 'cluster-dummy-crd-instance',
      );
      assert.deepEqual(
        copies.map((d) => (d.metadata as Obj).namespace),
        [undefined, 'default', 'kube-system'],
      );
    },
  },
  'argoproj__argo-cd/test/e2e/testdata/ksonnet': {
    outcome: 'refused',
    why: 'app.yaml is a ksonnet project file (kind: ksonnet.io/app, apiVersion: 0.1.0, no metadata), not a Kubernetes object, and it is the only file',
    exit: 1,
    errors: [
      // The API server reads apiVersion first (schema.ParseGroupVersion): `0.1.0` is no version (issue 9 §1).
      'error[invalid-object] "ksonnet.io/app" (unnamed) (app.yaml:1): apiVersion 0.1.0 has a version that is not a valid API version',
      'error[empty-render]: the render has no objects',
    ],
    kustomize: /missing metadata\.name in object \{\{0\.1\.0 ksonnet\.io\/app\}/,
    check: (app) => {
      const [doc] = app.docs('app.yaml');
      assert.equal(doc?.metadata, undefined);
      assert.ok(doc?.environments, 'a ksonnet app lists environments');
    },
  },
  'argoproj__argo-cd/test/e2e/testdata/multiple-source-values': {
    outcome: 'refused',
    why: 'values.yaml is a Helm values file (`replicas: 3`) for a multi-source Application, next to the manifest',
    exit: 1,
    errors: ['error[invalid-object] (values.yaml:1): apiVersion is missing'],
    kustomize: /accumulating resources from 'values\.yaml': missing Resource metadata/,
    check: (app) => assert.deepEqual(app.docs('values.yaml'), [{ replicas: 3 }]),
  },
  'kubernetes-sigs__kustomize/examples/validationTransformer': {
    outcome: 'refused',
    why: 'valid.yaml and invalid.yaml are two versions of ConfigMap cm for a kustomize demo that uses one at a time; together they are a real duplicate',
    exit: 1,
    errors: [
      `error[duplicate-object] ConfigMap ${NAMESPACE}/cm (invalid.yaml:1, valid.yaml:1): defined 2 times with different content`,
    ],
    kustomize: /may not add resource with an already registered id: ConfigMap\.v1\.\[noGrp\]\/cm/,
    check: (app) => assert.notDeepEqual(app.docs('valid.yaml'), app.docs('invalid.yaml')),
  },
  'mitchross__talos-argocd-proxmox/infrastructure/controllers/argocd/apps/appsets': {
    outcome: 'refused',
    why: 'four ApplicationSets with git generators and no preserveResourcesOnDeletion: the render cannot check offline that the generators match something, and if they ever return nothing every app they made is deleted (argo-cd#9227)',
    exit: 1,
    errors: ['database', 'infrastructure', 'monitoring', 'my-apps'].map(
      (n) =>
        `error[appset-may-shrink] argoproj.io/ApplicationSet argocd/${n} (${n}-appset.yaml:1): cannot be checked offline (git generator reads another repository (https://github.com/mitchross/talos-argocd-proxmox.git)) and syncPolicy.preserveResourcesOnDeletion is not true`,
    ),
    kustomize: 'renders',
    check: (app) => {
      for (const o of app.kustomizeObjects()!) {
        assert.equal(o.kind, 'ApplicationSet');
        const spec = o.spec as Obj;
        assert.ok(JSON.stringify(spec.generators).includes('"git"'));
        assert.notEqual((spec.syncPolicy as Obj | undefined)?.preserveResourcesOnDeletion, true);
      }
    },
  },
  'mitchross__talos-argocd-proxmox/my-apps/development/posthog/data-layer': {
    outcome: 'refused',
    why: 'Deployment kafka has `annotations:` twice in one metadata: kustomize merges the two maps, Kubernetes (sigs.k8s.io/yaml) keeps only the last, so the file means two different objects',
    exit: 2,
    errors: ['error[render-failed] kafka.yaml:37: invalid YAML: Map keys must be unique'],
    kustomize: 'renders',
    check: (app) => {
      const kafka = (objs: Obj[]) => objs.find((o) => o.kind === 'Deployment' && (o.metadata as Obj).name === 'kafka');
      const byKustomize = (kafka(app.kustomizeObjects()!)!.metadata as Obj).annotations;
      const byKubernetes = (kafka(kubernetesReads(splitYamlStream(app.text('kafka.yaml'))))!.metadata as Obj)
        .annotations;
      assert.deepEqual(byKubernetes, { 'argocd.argoproj.io/sync-wave': '0' });
      assert.deepEqual(byKustomize, { 'argocd.argoproj.io/sync-wave': '0', 'coroot.com/slo-latency-threshold': '10s' });
    },
  },
  'redhat-cop__gitops-catalog/openshift-pipelines-tasks/newman/tests': {
    outcome: 'refused',
    why: 'newman-test-collection.json is a Postman collection that the pipeline test mounts, not a Kubernetes object',
    exit: 1,
    errors: ['error[invalid-object] (newman-test-collection.json:1): apiVersion is missing'],
    kustomize: /accumulating resources from 'newman-test-collection\.json': missing Resource metadata/,
    check: (app) => {
      const [doc] = app.docs('newman-test-collection.json');
      assert.match(
        String((doc?.info as Obj | undefined)?.schema),
        /^https:\/\/schema\.getpostman\.com\/json\/collection\//,
      );
      assert.equal(doc?.apiVersion, undefined);
    },
  },
  'theepicsaxguy__homelab/k8s/infrastructure/auth/authentik/recover': {
    outcome: 'refused',
    why: 'a heredoc at column 0 inside a `|` script ends the block scalar early, so 12-post-cluster-configuration-job.yaml is not valid YAML; kustomize stops earlier, on a real duplicate (Cluster authentik-postgresql in 04- and 11-cluster-recovery.yaml)',
    exit: 2,
    errors: [
      'error[render-failed] 12-post-cluster-configuration-job.yaml:115: invalid YAML: Implicit keys need to be on a single line',
    ],
    kustomize:
      /may not add resource with an already registered id: Cluster\.v1\.postgresql\.cnpg\.io\/authentik-postgresql\.auth/,
    check: (app) => {
      const file = '12-post-cluster-configuration-job.yaml';
      assert.match(
        app.kustomize([file]).stderr,
        /MalformedYAMLError: yaml: line \d+: could not find expected ':' in File: 12-post-cluster-configuration-job\.yaml/,
      );
      assert.throws(() => kubernetesReads(splitYamlStream(app.text(file))), /Kubernetes cannot read/);
    },
  },
};

// ---------------------------------------------------------------------------------------------------

interface Row {
  path: string;
  kind: string;
}

function plainApps(): Row[] {
  const lines = readFileSync(join(CORPUS, 'apps.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const header = lines[0]!.split('\t');
  const col = (name: string) => {
    const i = header.indexOf(name);
    assert.ok(i >= 0, `apps.tsv has no "${name}" column`);
    return i;
  };
  const [pathCol, kindCol] = [col('path'), col('kind')];
  return lines
    .slice(1)
    .map((l) => l.split('\t'))
    .map((c) => ({ path: c[pathCol]!, kind: c[kindCol]! }))
    .filter((r) => r.kind === 'plain');
}

/** The files `safe-render render` reads in a plain directory, by default: own files only. */
function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && MANIFEST_EXT.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Order-independent identity of an object: JSON with keys sorted at every level. */
function canonical(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x !== null && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, sort((x as Obj)[k])]),
      );
    return x;
  };
  return JSON.stringify(sort(v));
}

function label(o: Obj): string {
  const m = (o.metadata ?? {}) as Obj;
  return `${String(o.kind)} ${m.namespace ? `${String(m.namespace)}/` : ''}${String(m.name ?? `${String(m.generateName)}*`)}`;
}

/** Same multiset of objects, or a failure that names what differs. */
function assertSameObjects(actual: Obj[], expected: Obj[], what: string): void {
  const counts = new Map<string, number>();
  for (const o of expected) counts.set(canonical(o), (counts.get(canonical(o)) ?? 0) + 1);
  const extra: Obj[] = [];
  for (const o of actual) {
    const c = counts.get(canonical(o)) ?? 0;
    if (c === 0) extra.push(o);
    else counts.set(canonical(o), c - 1);
  }
  const missing = expected.filter((o) => {
    const c = counts.get(canonical(o)) ?? 0;
    if (c > 0) counts.set(canonical(o), c - 1);
    return c > 0;
  });
  if (extra.length === 0 && missing.length === 0) return;
  const sample = extra[0] ?? missing[0]!;
  const twin = (extra[0] ? missing : extra).find((o) => label(o) === label(sample));
  assert.fail(
    [
      `safe-render emitted ${actual.length} objects, ${what} has ${expected.length}`,
      `  only from safe-render: ${extra.map(label).join(', ') || '-'}`,
      `  only from ${what}: ${missing.map(label).join(', ') || '-'}`,
      `  ${extra[0] ? 'safe-render' : what}: ${canonical(sample).slice(0, 2000)}`,
      ...(twin ? [`  ${extra[0] ? what : 'safe-render'}: ${canonical(twin).slice(0, 2000)}`] : []),
    ].join('\n'),
  );
}

function readYamlStream(text: string, where: string): Obj[] {
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(text, K8S_YAML) as unknown as Document.Parsed[]) {
    assert.equal(doc.errors.length, 0, `${where}: ${doc.errors[0]?.message}`);
    const v = doc.toJS(K8S_TO_JS) as Obj | null;
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/** Documents of a source file as JS values, tolerating duplicate keys; for the table's checks. */
function readSourceDocs(text: string): Obj[] {
  return (parseAllDocuments(text, { ...K8S_YAML, uniqueKeys: false }) as unknown as Document.Parsed[])
    .filter((d) => d.errors.length === 0)
    .map((d) => d.toJS(K8S_TO_JS) as Obj)
    .filter((v) => v !== null && v !== undefined);
}

const GENERATED_NAME = 'safe-render-parity-generated-name';

/** Gives every top-level object that has only metadata.generateName a placeholder metadata.name, by
 * inserting one line before `generateName:` in the text, so kustomize reads everything else as is. */
function nameGenerateNameObjects(text: string): { text: string; count: number } {
  const inserts: Array<[number, string]> = [];
  for (const doc of parseAllDocuments(text, K8S_YAML) as unknown as Document.Parsed[]) {
    const meta = isMap(doc.contents) ? doc.contents.get('metadata', true) : undefined;
    if (!isMap(meta) || meta.has('name') || !meta.has('generateName')) continue;
    assert.ok(!meta.flow, 'metadata must be a block mapping to insert a name');
    const key = meta.items.find((p) => isScalar(p.key) && p.key.value === 'generateName')!.key as Scalar;
    const offset = key.range![0];
    const column = offset - (text.lastIndexOf('\n', offset - 1) + 1);
    inserts.push([offset, `name: ${GENERATED_NAME}-${inserts.length}\n${' '.repeat(column)}`]);
  }
  let out = text;
  for (const [offset, s] of [...inserts].reverse()) out = out.slice(0, offset) + s + out.slice(offset);
  return { text: out, count: inserts.length };
}

function dropGeneratedNames(objs: Obj[]): Obj[] {
  for (const o of objs) {
    const m = o.metadata as Obj;
    if (typeof m.name === 'string' && m.name.startsWith(GENERATED_NAME)) delete m.name;
  }
  return objs;
}

/** One app: its files, copied into a temp dir, and the two tools run on them. */
class AppRun {
  readonly dir: string;
  readonly files: string[];
  private readonly tmp: string;
  private kustomized?: { code: number | null; stdout: string; stderr: string };

  constructor(readonly path: string) {
    this.dir = join(CORPUS, path);
    this.files = manifestFiles(this.dir);
    this.tmp = mkdtempSync(join(tmpdir(), 'safe-render-corpus-'));
  }

  text(file: string): string {
    return readFileSync(join(this.dir, file), 'utf8');
  }

  docs(file: string): Obj[] {
    return readSourceDocs(this.text(file));
  }

  /** `safe-render render` with every namespace and kind allowed; the app dir is the repository root,
   * so findings name files as they are named in the app. */
  render(): { code: number | null; stdout: string; stderr: string } {
    const app = join(this.tmp, 'safe-render');
    mkdirSync(app);
    for (const f of this.files) copyFileSync(join(this.dir, f), join(app, f));
    // Listing a namespaced kind is harmless: cluster-scoped only looks at cluster-scoped objects.
    const kinds = new Set<string>();
    const collect = (v: unknown) => {
      if (v === null || typeof v !== 'object') return;
      if (typeof (v as Obj).kind === 'string') kinds.add((v as Obj).kind as string);
      if (Array.isArray((v as Obj).items)) ((v as Obj).items as unknown[]).forEach(collect);
    };
    for (const f of this.files) this.docs(f).forEach(collect);
    writeFileSync(
      join(app, 'safe-render.yaml'),
      `${JSON.stringify({ namespaces: ['*'], clusterScoped: [...kinds].sort() }, null, 2)}\n`,
    );
    return runCli(['render', app, '--namespace', NAMESPACE, '--app', 'corpus-parity', '--repo-root', app]);
  }

  /** `kubectl kustomize` over a kustomization.yaml that lists `files` (all of the app's by default). */
  kustomize(files: readonly string[] = this.files, rewrite?: (text: string) => string) {
    const dir = mkdtempSync(join(this.tmp, 'kustomize-'));
    for (const f of files) writeFileSync(join(dir, f), rewrite ? rewrite(this.text(f)) : this.text(f));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${files.map((f) => `- ${JSON.stringify(f)}\n`).join('')}`,
    );
    const r = spawnSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** kustomize on all files, once. */
  kustomizeAll() {
    this.kustomized ??= this.kustomize();
    return this.kustomized;
  }

  /** The objects kustomize renders from all files, or undefined when it fails. */
  kustomizeObjects(): Obj[] | undefined {
    const k = this.kustomizeAll();
    return k.code === 0 ? readYamlStream(k.stdout, 'kubectl kustomize output') : undefined;
  }

  cleanup(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Both readings of kustomize's output must equal what safe-render emitted. */
function assertParity(
  emitted: Obj[],
  kustomizeOutputs: string[],
  fix: (objs: Obj[]) => Obj[] = (o) => o,
  merge = false,
): void {
  const byYaml = kustomizeOutputs.flatMap((out) => fix(readYamlStream(out, 'kubectl kustomize output')));
  const byKubernetes = kustomizeOutputs.flatMap((out) => fix(kubernetesReads(splitYamlStream(out))));
  const unique = (objs: Obj[]) => (merge ? [...new Map(objs.map((o) => [canonical(o), o])).values()] : objs);
  assert.ok(byYaml.length > 0, 'kustomize rendered no objects');
  assertSameObjects(emitted, unique(byYaml), 'kubectl kustomize (read with K8S_YAML)');
  assertSameObjects(emitted, unique(byKubernetes), 'kubectl kustomize (read by sigs.k8s.io/yaml)');
}

// ---------------------------------------------------------------------------------------------------

const corpusPresent = existsSync(join(CORPUS, 'apps.tsv'));
const rows = corpusPresent ? plainApps() : [];

test('the shared corpus is present', () => {
  assert.ok(corpusPresent, `no corpus at ${CORPUS} (expected <project root>/../shared/corpus with apps.tsv)`);
  assert.ok(rows.length > 0, 'apps.tsv lists no plain apps');
});

test('every expectation in the table names a plain app of apps.tsv', () => {
  const plain = new Set(rows.map((r) => r.path));
  assert.deepEqual(
    Object.keys(EXPECTED).filter((p) => !plain.has(p)),
    [],
  );
});

for (const { path } of rows) {
  const expected = EXPECTED[path];
  test(`${path}: ${expected?.outcome ?? 'match'}`, () => {
    const app = new AppRun(path);
    try {
      assert.ok(app.files.length > 0, 'the app has no manifest files');
      assert.ok(
        !app.files.includes('safe-render.yaml') && !app.files.some((f) => /^kustomization\.ya?ml$/i.test(f)),
        'a plain app has no config or kustomization of its own',
      );
      const r = app.render();
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error['));
      const duplicates = [
        ...findingLines(r.stderr, 'duplicate-object'),
        ...findingLines(r.stderr, 'duplicate-object', 'warning'),
      ];

      if (expected?.outcome === 'refused') {
        assert.equal(r.code, expected.exit, r.stderr);
        assert.equal(r.stdout, '');
        assert.equal(errors.length, expected.errors.length, `error lines:\n${errors.join('\n')}`);
        expected.errors.forEach((want, i) =>
          assert.ok(errors[i]!.startsWith(want), `error ${i}:\n  got:  ${errors[i]}\n  want: ${want}...`),
        );
        const k = app.kustomizeAll();
        if (expected.kustomize === 'renders') assert.equal(k.code, 0, k.stderr);
        else {
          assert.notEqual(k.code, 0, 'kubectl kustomize renders these files');
          assert.match(k.stderr, expected.kustomize);
        }
        expected.check?.(app);
        return;
      }

      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(errors, []);
      const emitted = parseJsonStream(r.stdout);

      if (expected?.outcome === 'match-per-file') {
        // kustomize refuses the directory as a whole, but renders each file; safe-render must emit
        // their union with identical copies merged, and say so.
        const all = app.kustomizeAll();
        assert.notEqual(all.code, 0, 'kustomize renders the whole directory: this app is a plain match now');
        assert.match(all.stderr, /may not add resource with an already registered id/);
        const outputs = app.files.map((f) => {
          const k = app.kustomize([f]);
          assert.equal(k.code, 0, `${f}: ${k.stderr}`);
          return k.stdout;
        });
        assertParity(emitted, outputs, undefined, true);
        assert.ok(
          duplicates.length > 0 && duplicates.every((l) => l.startsWith('warning[')),
          'identical copies are reported as duplicate-object warnings',
        );
        return;
      }

      if (expected?.outcome === 'match-generate-name') {
        const all = app.kustomizeAll();
        assert.notEqual(all.code, 0, 'kustomize renders the generateName objects now: this app is a plain match');
        assert.match(all.stderr, /missing metadata\.name in object/);
        let named = 0;
        const k = app.kustomize(app.files, (text) => {
          const rewritten = nameGenerateNameObjects(text);
          named += rewritten.count;
          return rewritten.text;
        });
        assert.equal(k.code, 0, k.stderr);
        assert.ok(named > 0, 'no object with only generateName found');
        assert.ok(
          emitted.some((o) => (o.metadata as Obj).generateName !== undefined && (o.metadata as Obj).name === undefined),
        );
        assertParity(emitted, [k.stdout], dropGeneratedNames);
        assert.deepEqual(duplicates, []);
        return;
      }

      const k = app.kustomizeAll();
      assert.equal(
        k.code,
        0,
        `kubectl kustomize fails on these files; add this app to the table if that is expected:\n${k.stderr}`,
      );
      assertParity(emitted, [k.stdout]);
      assert.deepEqual(duplicates, [], 'kustomize rendered these files, so no object repeats');
    } finally {
      app.cleanup();
    }
  });
}
