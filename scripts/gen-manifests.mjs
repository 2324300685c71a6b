#!/usr/bin/env node
// Benchmark input for scripts/bench.mjs: a repository-shaped folder of Kubernetes manifests, written
// from text templates (so the files carry what real ones do: comments, quoted strings, block scalars,
// flow lists), and deterministic: the same arguments give the same bytes on every machine.
//
//   node scripts/gen-manifests.mjs --objects N --files M --out DIR [--seed S] [--concat FILE]
//
// N objects over M files (M is capped at N; about a third of the files hold several documents), in
// one folder per namespace plus cluster/ (cluster-scoped kinds), namespaces/ and no-namespace/
// (namespaced objects that leave metadata.namespace out, about one in ten), and DIR/kustomization.yaml
// listing every file. --concat FILE also writes every document, in file order, into one stream for the
// splitters (kubernetes-split-yaml, `safe-render split`); it has no comment-only document, at which
// kubernetes-split-yaml would stop. DIR must be absent or empty.
//
// The mix, per 100 objects: Namespace (one per 250 objects, at least 2), CustomResourceDefinition (one
// per 500, 1 to 100) and of the rest: Deployment 20, ConfigMap 20, Service 17, ServiceAccount 12, Role
// 9, RoleBinding 9, custom resources 6, ClusterRole 3, ClusterRoleBinding 2. Every identity is unique,
// and every name differs (so no splitter overwrites a file). The cluster-scoped kinds are exactly
// Namespace, CustomResourceDefinition, ClusterRole and ClusterRoleBinding (bench.mjs's safe-render.yaml
// names them).
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** @param {string} [msg] @returns {never} */
function usage(msg) {
  if (msg) console.error(`gen-manifests: ${msg}`);
  console.error('usage: node scripts/gen-manifests.mjs --objects N --files M --out DIR [--seed S] [--concat FILE]');
  process.exit(msg ? 2 : 0);
}

/** @param {string[]} argv */
function options(argv) {
  const o = { objects: 1000, files: 200, seed: 1, out: '', concat: '' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    /** @returns {string} */
    const next = () => (i + 1 < argv.length ? /** @type {string} */ (argv[++i]) : usage(`${flag} needs a value`));
    if (flag === '--objects' || flag === '--files' || flag === '--seed') {
      const n = Number(next());
      if (!Number.isInteger(n) || n < (flag === '--seed' ? 0 : 1)) usage(`${flag} takes a whole number`);
      o[/** @type {'objects' | 'files' | 'seed'} */ (flag.slice(2))] = n;
    } else if (flag === '--out') o.out = next();
    else if (flag === '--concat') o.concat = next();
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${flag}`);
  }
  if (!o.out) usage('--out is required');
  return o;
}

/** Small counter-based generator (SplitMix32 style): portable integer arithmetic only.
 * @param {number} seed */
function random(seed) {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  const next = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
  return {
    /** @param {number} n */
    below: (n) => Math.floor(next() * n),
    /** @template T @param {readonly T[]} list @returns {T} */
    one: (list) => /** @type {T} */ (list[Math.floor(next() * list.length)]),
    /** @param {number} p */
    odds: (p) => next() < p,
  };
}

/** @typedef {ReturnType<typeof random>} Rng */
/** @typedef {(r: Rng, name: string, ns: string, app: string, team: string, home: string) => string} Template */
/** @typedef {{ plural: string, singular: string, kind: string, group: string }} CrdDef */
/** @typedef {{ kind: string, ns: string, text: string }} Doc */

const APPS = [
  'checkout',
  'frontend',
  'ledger',
  'search',
  'mailer',
  'thumbs',
  'auth',
  'quotes',
  'ingest',
  'pricing',
  'catalog',
  'reviews',
  'geo',
  'stream',
  'backup',
  'export',
  'audit',
  'cache',
  'gateway',
  'notify',
  'reports',
  'ads',
];
const TEAMS = ['core', 'money', 'growth', 'data', 'identity', 'shop', 'infra', 'ml'];
const IMAGES = [
  'nginx:1.27.3',
  'ghcr.io/acme/app:v3.1.0',
  'registry.k8s.io/pause:3.10',
  'redis:7.4-alpine',
  'quay.io/acme/worker@sha256:9f2c6a1e0b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a',
  'postgres:16.6',
];

/** A label block (indented by `pad`).
 * @param {Rng} r @param {string} app @param {string} team @param {string} pad */
function labels(r, app, team, pad) {
  let s = `${pad}app.kubernetes.io/name: ${app}\n${pad}app.kubernetes.io/part-of: ${team}\n`;
  if (r.odds(0.5)) s += `${pad}app.kubernetes.io/version: "${1 + r.below(3)}.${r.below(30)}.${r.below(9)}"\n`;
  if (r.odds(0.3)) s += `${pad}tier: ${r.one(['web', 'api', 'batch'])}\n`;
  return s;
}

/** @param {Rng} r @param {string} name @param {string} ns @param {string} app @param {string} team */
function metadata(r, name, ns, app, team) {
  let s = `metadata:\n  name: ${name}\n`;
  if (ns) s += `  namespace: ${ns}\n`;
  s += `  labels:\n${labels(r, app, team, '    ')}`;
  if (r.odds(0.25)) s += `  annotations:\n    argocd.argoproj.io/sync-wave: "${r.below(4) - 1}"\n`;
  return s;
}

/** @type {Record<string, Template>} */
const KINDS = {
  Deployment(r, name, ns, app, team) {
    const args = r.odds(0.4) ? `          args: ["--listen=:8080", "--name=${name}", '--log=json']\n` : '';
    const volumes = r.odds(0.5)
      ? `      volumes:\n        - name: config\n          configMap:\n            name: ${app}-settings\n`
      : '';
    const mount = volumes ? `          volumeMounts:\n            - {name: config, mountPath: /etc/${app}}\n` : '';
    return `apiVersion: apps/v1
kind: Deployment
${metadata(r, name, ns, app, team)}spec:
  replicas: ${1 + r.below(4)} # the HPA may change this
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
      app.kubernetes.io/instance: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
        app.kubernetes.io/instance: ${name}
    spec:
      serviceAccountName: ${app}
      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: ${app}
          image: ${r.one(IMAGES)}
${args}          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: ${r.one(['info', 'debug', '"warn"'])}
            - name: WORKERS
              value: "${1 + r.below(8)}"
            - name: FEATURE_X
              value: 'off' # quoted: a bare off would be a boolean
          resources:
            requests: {cpu: ${50 * (1 + r.below(6))}m, memory: ${64 * (1 + r.below(8))}Mi}
            limits:
              memory: ${128 * (1 + r.below(8))}Mi
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 10
${mount}${volumes}`;
  },
  Service(r, name, ns, app, team) {
    const metrics = r.odds(0.2) ? `    - name: metrics\n      port: 9090\n      targetPort: 9090\n` : '';
    return `apiVersion: v1
kind: Service
${metadata(r, name, ns, app, team)}spec:
  type: ${r.odds(0.9) ? 'ClusterIP' : 'NodePort'}
  selector:
    app.kubernetes.io/name: ${app}
  ports:
    - name: http
      port: 80
      targetPort: http
${metrics}`;
  },
  ConfigMap(r, name, ns, app, team) {
    let data = `  mode: "0644"\n  retries: "${r.below(6)}"\n  enabled: 'yes'\n`;
    const pick = r.below(5);
    if (pick === 0)
      data += `  nginx.conf: |\n    server {\n      listen 8080;\n      server_name ${app}.internal;\n\n      # keep: "quotes", #, :, {}\n      location / { proxy_pass http://${app}:80; }\n    }\n`;
    else if (pick === 1)
      data += `  settings.json: |-\n    {\n      "service": "${app}",\n      "timeoutMs": ${100 * (1 + r.below(40))},\n      "flags": {"beta": ${r.odds(0.5)}}\n    }\n`;
    else if (pick === 2)
      data += `  app.properties: |\n    ${app}.pool=${4 + r.below(60)}\n    greeting=grüß dich, café ✓\n`;
    else if (pick === 3) data += `  motd: >-\n    Welcome to ${app}.\n    This folded text joins into one line.\n`;
    if (r.odds(0.15)) data += `  empty: ""\n`;
    return `apiVersion: v1
kind: ConfigMap
${metadata(r, name, ns, app, team)}data:
${data}`;
  },
  ServiceAccount(r, name, ns, app, team) {
    return `apiVersion: v1
kind: ServiceAccount
${metadata(r, name, ns, app, team)}automountServiceAccountToken: ${r.odds(0.3)}
`;
  },
  Role(r, name, ns, app, team) {
    return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
${metadata(r, name, ns, app, team)}rules:
${rules(r)}`;
  },
  RoleBinding(r, name, ns, app, team, home) {
    return `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
${metadata(r, name, ns, app, team)}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${app}-reader
subjects:
  - kind: ServiceAccount
    name: ${app}
    namespace: ${home}
`;
  },
  ClusterRole(r, name, _ns, app, team) {
    return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
${metadata(r, name, '', app, team)}rules:
${rules(r)}`;
  },
  ClusterRoleBinding(r, name, _ns, app, team, home) {
    return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
${metadata(r, name, '', app, team)}roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: ${app}, namespace: ${home}}
`;
  },
};

/** @param {Rng} r */
function rules(r) {
  let s = '';
  for (let i = 0, n = 1 + r.below(3); i < n; i++) {
    const group = r.one(['""', 'apps', 'batch']);
    const res = r.one(['[pods]', '[configmaps]', '[services, endpoints]', '[deployments, replicasets]', '[jobs]']);
    const verbs = r.one(['[get, list, watch]', '[get]', '["*"]', '[create, update, patch, delete]']);
    s += `  - apiGroups: [${group}]\n    resources: ${res}\n    verbs: ${verbs}\n`;
  }
  return s;
}

/** @param {Rng} r @param {CrdDef} def */
function crd(r, def) {
  let props = '';
  for (let i = 0, n = 3 + r.below(6); i < n; i++)
    props += `                field${i}: {type: ${r.one(['string', 'integer', 'boolean'])}}\n`;
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${def.plural}.${def.group}
  annotations:
    argocd.argoproj.io/sync-wave: "-5"
spec:
  group: ${def.group}
  scope: Namespaced
  names: {plural: ${def.plural}, singular: ${def.singular}, kind: ${def.kind}, listKind: ${def.kind}List}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              description: |
                The desired state of a ${def.kind}.
                Colons: and "quotes" stay as written.
              properties:
${props}`;
}

/** @param {Rng} r @param {string} name @param {string} ns @param {string} app @param {string} team @param {CrdDef} def */
function customResource(r, name, ns, app, team, def) {
  return `apiVersion: ${def.group}/v1
kind: ${def.kind}
${metadata(r, name, ns, app, team)}spec:
  owner: ${team}
  size: ${r.below(100)}
  paused: ${r.odds(0.2)}
  tags: [${app}, ${team}]
`;
}

/** @type {[string, number][]} */
const MIX = [
  ['Deployment', 20],
  ['ConfigMap', 20],
  ['Service', 17],
  ['ServiceAccount', 12],
  ['Role', 9],
  ['RoleBinding', 9],
  ['CR', 6],
  ['ClusterRole', 3],
  ['ClusterRoleBinding', 2],
];
const CLUSTER = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

/** Every document, in generation order.
 * @param {number} n @param {Rng} r @returns {Doc[]} */
function documents(n, r) {
  const namespaces = Array.from(
    { length: Math.max(2, Math.round(n / 250)) },
    (_, i) => `${TEAMS[i % TEAMS.length]}-${String(i).padStart(3, '0')}`,
  );
  const defs = Array.from({ length: Math.max(1, Math.min(100, Math.round(n / 500))) }, (_, i) => {
    const base = `${APPS[i % APPS.length]}${i >= APPS.length ? Math.floor(i / APPS.length) : ''}`;
    return {
      plural: `${base}jobs`,
      singular: `${base}job`,
      kind: `${base.charAt(0).toUpperCase()}${base.slice(1)}Job`,
      group: `${TEAMS[i % TEAMS.length]}.acme.example`,
    };
  });
  /** @type {Doc[]} */
  const docs = [];
  for (const ns of namespaces) {
    if (docs.length >= n) break;
    docs.push({
      kind: 'Namespace',
      ns: '',
      text: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    kubernetes.io/metadata.name: ${ns}\n`,
    });
  }
  for (const def of defs) {
    if (docs.length >= n) break;
    docs.push({ kind: 'CustomResourceDefinition', ns: '', text: crd(r, def) });
  }
  const total = MIX.reduce((s, [, w]) => s + w, 0);
  for (let seq = 0; docs.length < n; seq++) {
    let roll = r.below(total);
    const kind = /** @type {[string, number]} */ (MIX.find(([, w]) => (roll -= w) < 0))[0];
    const app = r.one(APPS);
    const team = r.one(TEAMS);
    const home = r.one(namespaces);
    const ns = CLUSTER.has(kind) ? '' : r.odds(0.1) ? '' : home;
    const id = String(seq).padStart(6, '0');
    if (kind === 'CR') {
      const def = r.one(defs);
      docs.push({ kind: def.kind, ns, text: customResource(r, `${app}-${id}`, ns, app, team, def) });
      continue;
    }
    const name =
      /** @type {Record<string, string>} */ ({
        ConfigMap: `${app}-${id}-settings`,
        Role: `${app}-${id}-reader`,
        RoleBinding: `${app}-${id}-reader`,
        ClusterRole: `${team}:${app}-${id}`,
        ClusterRoleBinding: `${team}:${app}-${id}:view`,
      })[kind] ?? `${app}-${id}`;
    docs.push({ kind, ns, text: /** @type {Template} */ (KINDS[kind])(r, name, ns, app, team, home) });
  }
  return docs;
}

/** Documents spread over files: each file gets one, about a third of them take the rest. */
/** @param {Doc[]} docs @param {number} m @param {Rng} r @param {number} seed */
function files(docs, m, r, seed) {
  const count = Math.min(m, docs.length);
  /** @type {number[]} */
  const sizes = new Array(count).fill(1);
  /** @type {number[]} */
  const bundles = [];
  for (let i = 0; i < count; i++) if (r.odds(1 / 3)) bundles.push(i);
  if (bundles.length === 0) bundles.push(0);
  for (let left = docs.length - count; left > 0; left--) {
    const b = /** @type {number} */ (bundles[r.below(bundles.length)]);
    sizes[b] = /** @type {number} */ (sizes[b]) + 1;
  }
  const out = [];
  let k = 0;
  for (let i = 0; i < count; i++) {
    const size = /** @type {number} */ (sizes[i]);
    const group = docs.slice(k, k + size);
    k += size;
    const first = /** @type {Doc} */ (group[0]);
    const folder =
      first.ns || (first.kind === 'Namespace' ? 'namespaces' : CLUSTER.has(first.kind) ? 'cluster' : 'no-namespace');
    const rel = `${folder}/${group.length === 1 ? `${first.kind.toLowerCase()}-${i}` : `bundle-${String(i).padStart(5, '0')}`}.yaml`;
    // A header comment sits on the first document (never alone before a `---`); some files start with `---`.
    const head = r.odds(0.2)
      ? `# generated for the safe-render bench (seed ${seed}, file ${i})\n`
      : r.odds(0.3)
        ? '---\n'
        : '';
    out.push({ rel, head, body: group.map((d) => d.text).join('---\n') });
  }
  return out;
}

const o = options(process.argv.slice(2));
const r = random(o.seed * 7919 + o.objects);
const list = files(documents(o.objects, r), o.files, r, o.seed);
if (existsSync(o.out) && readdirSync(o.out).length > 0) usage(`${o.out} is not empty`);
let bytes = 0;
for (const f of list) {
  const p = join(o.out, f.rel);
  mkdirSync(dirname(p), { recursive: true });
  const text = f.head + f.body;
  bytes += Buffer.byteLength(text);
  writeFileSync(p, text);
}
mkdirSync(o.out, { recursive: true });
writeFileSync(
  join(o.out, 'kustomization.yaml'),
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${list.map((f) => `  - ${f.rel}\n`).join('')}`,
);
if (o.concat) {
  mkdirSync(dirname(resolve(o.concat)), { recursive: true });
  writeFileSync(o.concat, list.map((f) => (f.head.startsWith('#') ? f.head : '') + f.body).join('---\n'));
}
console.error(
  `gen-manifests: ${o.objects} objects in ${list.length} files (${(bytes / 1e6).toFixed(1)} MB) -> ${o.out}`,
);
