// `safe-render migrate PATH` (issue 13), run as the built bundle: a folder's multi-object files become
// one object per file, in place, each document's text kept, kustomization resources rewritten in place,
// everything that is not a plain manifest left alone and listed; and the app renders the same objects
// after as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { makeRepo, render, runCli, type RunResult } from './helpers';
import { gitRepo, REPO_URL } from './ci-repo';

function migrate(dir: string, ...flags: string[]): RunResult {
  return runCli(['migrate', dir, ...flags], { cwd: dir });
}

/** Every file under `dir` (not .git) with its bytes, to prove what changed and what did not. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.name === '.git') continue;
      if (e.isSymbolicLink()) out[relative(dir, p)] = `-> link`;
      else if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

function renderOk(repo: string, app: string, flags: string[] = []): string {
  const r = render(repo, app, ['--namespace', 'prod', ...flags]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

const sortedLines = (s: string) => s.split('\n').filter(Boolean).sort().join('\n');

test('migrate: a plain folder is split in place, every document keeps its exact text, and it renders the same objects', () => {
  const multi = [
    '# Team web: everything in one file',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web   # the name people grep for',
    'spec:',
    "  replicas: '3'",
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          args:',
    '            - |',
    '              --- not a separator inside a block scalar when indented',
    '              line two',
    '---',
    '',
    '# the service, kept with its comment',
    'kind: Service',
    'apiVersion: v1',
    'metadata: {name: web, labels: {"a": "b"}}',
    'spec:',
    '  ports: [{port: 80}]',
    '...',
    '---',
    '# trailing note',
    '',
  ].join('\n');
  const repo = makeRepo({
    'apps/web/all.yaml': multi,
    'apps/web/crlf.yml': `${cm('one')}---\r\n${cm('two')}`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r'),
    'apps/web/single.yaml': cm('alone'),
  });
  const before = renderOk(repo, 'apps/web', ['--output', 'json']);
  const r = migrate(join(repo, 'apps'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^safe-render migrate \S+: split 2 files into 4, edited 0 kustomizations, left 0 paths alone; 1 file already held one object or none\n/,
  );
  assert.match(
    r.stdout,
    /web\/all\.yaml -> 2 files\n {4}deployment-web\.yaml {2}\(Deployment web\)\n {4}service-web\.yaml {2}\(Service web\)/,
  );
  const t = tree(join(repo, 'apps/web'));
  assert.deepEqual(Object.keys(t).sort(), [
    'configmap-one.yml',
    'configmap-two.yml',
    'deployment-web.yaml',
    'service-web.yaml',
    'single.yaml',
  ]);
  // The leading comment goes with the first object; separators and the `...` marker go; the trailing
  // comment stays with the last object; everything else is byte for byte.
  assert.equal(t['deployment-web.yaml'], `${multi.split('\n---\n')[0]}\n${multi.split('\n---\n')[1]}\n`);
  assert.equal(
    t['service-web.yaml'],
    '# the service, kept with its comment\nkind: Service\napiVersion: v1\nmetadata: {name: web, labels: {"a": "b"}}\nspec:\n  ports: [{port: 80}]\n# trailing note\n',
  );
  assert.equal(t['configmap-one.yml'], cm('one').replace(/\n/g, '\r\n'));
  assert.equal(t['configmap-two.yml'], cm('two').replace(/\n/g, '\r\n'));
  assert.equal(t['single.yaml'], cm('alone'));
  // The same objects, each byte for byte (a plain folder is read in file-name order, so the order of
  // the stream follows the new names; Argo CD does not depend on it).
  const after = renderOk(repo, 'apps/web', ['--output', 'json']);
  assert.equal(sortedLines(after), sortedLines(before));
  // Nothing left to do the second time.
  const again = migrate(join(repo, 'apps'));
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /split 0 files into 0/);
});

test('migrate: kustomization resources are replaced in place, in order, comments kept; the kustomize render is byte-identical', () => {
  const kustomization = [
    '# overlay for prod',
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'namespace: prod   # every object here',
    'resources:',
    '  - first.yaml',
    '  - ./bundle.yaml # the old bundle',
    '  - sub/more.yaml',
    "  - 'last.yaml'",
    'patches:',
    '  - path: patch.yaml',
    'patchesStrategicMerge:',
    '  - psm.yaml',
    '',
  ].join('\n');
  const repo = makeRepo({
    'app/kustomization.yaml': kustomization,
    'app/first.yaml': cm('first'),
    'app/bundle.yaml': `${cm('b1')}---\n${cm('b2')}---\n${cm('b3')}`,
    'app/sub/more.yaml': `${cm('m1')}---\n${cm('m2')}`,
    'app/last.yaml': cm('last'),
    'app/patch.yaml': `${cm('b1', 'data: {x: "1"}\n')}`,
    'app/psm.yaml': `${cm('b2', 'data: {y: "2"}\n')}---\n${cm('b3', 'data: {z: "3"}\n')}`,
    'app/unused.yaml': `${cm('u1')}---\n${cm('u2')}`,
  });
  const before = renderOk(repo, 'app');
  const r = migrate(join(repo, 'app'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /edited 1 kustomization/);
  assert.match(r.stdout, /psm\.yaml: kustomization\.yaml uses it in `patchesStrategicMerge`, not as a resources entry/);
  assert.match(r.stdout, /unused\.yaml: in a kustomize folder, but not listed in kustomization\.yaml resources/);
  assert.equal(
    readFileSync(join(repo, 'app/kustomization.yaml'), 'utf8'),
    kustomization.replace(
      '  - ./bundle.yaml # the old bundle\n  - sub/more.yaml\n',
      '  - ./configmap-b1.yaml # the old bundle\n  - ./configmap-b2.yaml\n  - ./configmap-b3.yaml\n  - sub/configmap-m1.yaml\n  - sub/configmap-m2.yaml\n',
    ),
  );
  assert.ok(!existsSync(join(repo, 'app/bundle.yaml')));
  assert.ok(!existsSync(join(repo, 'app/sub/more.yaml')));
  assert.ok(existsSync(join(repo, 'app/psm.yaml')));
  assert.ok(existsSync(join(repo, 'app/unused.yaml')));
  assert.equal(renderOk(repo, 'app'), before);
});

test('migrate: a flow-style resources list is edited in place too', () => {
  const repo = makeRepo({
    'app/kustomization.yml': 'resources: [a.yaml, "b.yaml"]  # both\n',
    'app/a.yaml': `${cm('a1')}---\n${cm('a2')}`,
    'app/b.yaml': `${cm('b1')}---\n${cm('b2')}`,
  });
  const before = renderOk(repo, 'app');
  const r = migrate(join(repo, 'app'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    readFileSync(join(repo, 'app/kustomization.yml'), 'utf8'),
    'resources: [configmap-a1.yaml, configmap-a2.yaml, "configmap-b1.yaml", "configmap-b2.yaml"]  # both\n',
  );
  assert.equal(renderOk(repo, 'app'), before);
});

test('migrate: what is not a plain manifest is left alone and listed', () => {
  const files: Record<string, string> = {
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
    'chart/templates/two.yaml': `${cm('{{ .Release.Name }}-a')}---\n${cm('b')}`,
    'chart/values.yaml': 'a: 1\n---\nb: 2\n',
    'plain/safe-render.yaml': 'recurse: true\n',
    'plain/.safe-render/index': 'x\n',
    'plain/tpl.yaml': `${cm('{{ x }}')}---\n${cm('b')}`,
    'plain/notobj.yaml': `${cm('a')}---\n- just\n- a list\n`,
    'plain/one.yaml': `# only one\n---\n${cm('one')}`,
    'filtered/safe-render.yaml': 'include: ["bundle.yaml"]\n',
    'filtered/bundle.yaml': `${cm('f1')}---\n${cm('f2')}`,
  };
  const repo = makeRepo(files);
  const before = tree(repo);
  const r = migrate(repo);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(tree(repo), before, 'nothing is touched');
  for (const line of [
    'chart/: a Helm chart (Chart.yaml)',
    "plain/safe-render.yaml: safe-render's own configuration",
    "plain/.safe-render/: safe-render's own folder",
    'plain/tpl.yaml: Go template syntax',
    'plain/notobj.yaml: the document at line 6 is not a Kubernetes object',
    'filtered/bundle.yaml: filtered/safe-render.yaml selects files by name (include/exclude)',
  ])
    assert.ok(r.stdout.includes(`  ${line}`), `${line}\n${r.stdout}`);
  assert.match(r.stdout, /1 file already held one object or none/);
});

test('migrate: new names are readable, collision-proof (namespace, then a counter) and never overwrite, even by case', () => {
  const repo = makeRepo({
    'a/Bundle.yaml': [
      cm('web'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: other\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: "x/../../etc"\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: taken\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  generateName: gen-\n',
    ].join('---\n'),
    'a/Secret-Taken.yaml': '# an existing file, differing only in case\n',
  });
  const r = migrate(repo, '--dry-run');
  assert.equal(r.code, 0, r.stderr);
  const names = [...r.stdout.matchAll(/^ {4}(\S+) {2}\(/gm)].map((m) => m[1]);
  assert.deepEqual(names, [
    'configmap-web.yaml',
    'configmap-other-web.yaml',
    'service-x-etc.yaml',
    'secret-taken-2.yaml',
    'secret-gen.yaml',
  ]);
  assert.deepEqual(
    Object.keys(tree(repo)).sort(),
    ['a/Bundle.yaml', 'a/Secret-Taken.yaml'],
    '--dry-run writes nothing',
  );
  assert.match(r.stdout, /nothing was written \(--dry-run\)\n$/);
  const w = migrate(repo);
  assert.equal(w.code, 0, w.stderr);
  assert.equal(readFileSync(join(repo, 'a/Secret-Taken.yaml'), 'utf8'), '# an existing file, differing only in case\n');
  assert.ok(!existsSync(join(repo, 'a/Bundle.yaml')));
  assert.equal(readdirSync(join(repo, 'a')).length, 6);
});

test('migrate: symbolic links are never followed nor replaced; a huge file is left alone', () => {
  const outside = makeRepo({ 'victim.yaml': `${cm('v1')}---\n${cm('v2')}` });
  const repo = makeRepo({ 'app/real.yaml': cm('r') });
  symlinkSync(join(outside, 'victim.yaml'), join(repo, 'app/link.yaml'));
  symlinkSync(outside, join(repo, 'app/linked-dir'));
  symlinkSync('real.yaml', join(repo, 'app/inside-link.yaml'));
  writeFileSync(
    join(repo, 'app/huge.yaml'),
    `${cm('h1')}---\n${cm('h2', `data:\n  x: "${'a'.repeat(17 * 1024 * 1024)}"\n`)}`,
  );
  const r = migrate(repo);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /app\/link\.yaml: a symbolic link: migrate never follows nor replaces a link/);
  assert.match(r.stdout, /app\/linked-dir: a symbolic link/);
  assert.match(r.stdout, /app\/huge\.yaml: file is 17\.0 MiB, over the 16 MiB limit/);
  assert.equal(readFileSync(join(outside, 'victim.yaml'), 'utf8'), `${cm('v1')}---\n${cm('v2')}`);
  assert.ok(lstatSync(join(repo, 'app/link.yaml')).isSymbolicLink());
  assert.deepEqual(readdirSync(outside).sort(), ['.git', 'victim.yaml']);
});

test('migrate: usage errors are exit 2 with one line and nothing written', () => {
  const repo = makeRepo({ 'a.yaml': `${cm('a')}---\n${cm('b')}` });
  for (const args of [['migrate'], ['migrate', 'nope'], ['migrate', 'a.yaml'], ['migrate', '.', '--bogus']]) {
    const r = runCli(args, { cwd: repo });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.ok(existsSync(join(repo, 'a.yaml')));
  const help = runCli(['migrate', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: safe-render migrate PATH/);
});

test('migrate: a folder at a new name counts as taken (src/migrate/apply.test.ts covers a failed write)', () => {
  const repo = makeRepo({ 'ro/bundle.yaml': `${cm('a')}---\n${cm('b')}` });
  mkdirSync(join(repo, 'ro/configmap-a.yaml'));
  const r = migrate(repo);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\n {4}configmap-a-2\.yaml {2}\(ConfigMap a\)\n/);
  assert.ok(lstatSync(join(repo, 'ro/configmap-a.yaml')).isDirectory());
});

test('migrate: a file a kustomization above the folder names is left alone (migrate edits nothing outside PATH)', () => {
  const repo = makeRepo({
    'kustomization.yaml': 'resources:\n  - apps/bundle.yaml\n',
    'apps/bundle.yaml': `${cm('a')}---\n${cm('b')}`,
    'apps/other.yaml': `${cm('c')}---\n${cm('d')}`,
  });
  const r = migrate(join(repo, 'apps'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /\n {2}bundle\.yaml: \.\.\/kustomization\.yaml, outside the migrated folder, names it; migrate that folder instead\n/,
  );
  assert.ok(existsSync(join(repo, 'apps/bundle.yaml')));
  assert.ok(!existsSync(join(repo, 'apps/other.yaml')));
  // From the repository root the same file is split and the kustomization follows.
  const before = renderOk(repo, '.');
  assert.equal(migrate(repo).code, 0);
  assert.equal(
    readFileSync(join(repo, 'kustomization.yaml'), 'utf8'),
    'resources:\n  - apps/configmap-a.yaml\n  - apps/configmap-b.yaml\n',
  );
  assert.equal(renderOk(repo, '.'), before);
});

test('migrate: a `Kustomization` file and a byte-order mark; resources reached through a merge key are not edited', () => {
  const repo = makeRepo({
    'k/Kustomization': 'resources:\n- bom.yaml\n',
    'k/bom.yaml': `\ufeff${cm('x')}---\n${cm('z')}`,
    'm/kustomization.yaml': 'common: &c\n  resources: [a.yaml]\n<<: *c\n',
    'm/a.yaml': `${cm('a')}---\n${cm('b')}`,
  });
  const before = renderOk(repo, 'k');
  const r = migrate(repo);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    readFileSync(join(repo, 'k/Kustomization'), 'utf8'),
    'resources:\n- configmap-x.yaml\n- configmap-z.yaml\n',
  );
  // The mark is not part of any document: the first new file starts with the object.
  assert.equal(readFileSync(join(repo, 'k/configmap-x.yaml'), 'utf8'), cm('x'));
  assert.equal(renderOk(repo, 'k'), before);
  assert.match(
    r.stdout,
    /\n {2}m\/a\.yaml: m\/kustomization\.yaml cannot be edited in place: `resources` is not one plain list/,
  );
  assert.ok(existsSync(join(repo, 'm/a.yaml')));
});

test('migrate: new files keep the old file mode, an edited kustomization keeps its own; names read as numbers keep their text', () => {
  const repo = makeRepo({
    'k/kustomization.yaml': 'resources: [b.yaml]\n',
    'k/b.yaml': `${cm('1')}---\n${cm('true')}`,
  });
  chmodSync(join(repo, 'k/b.yaml'), 0o600);
  chmodSync(join(repo, 'k/kustomization.yaml'), 0o640);
  const r = migrate(repo);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    readFileSync(join(repo, 'k/kustomization.yaml'), 'utf8'),
    'resources: [configmap-1.yaml, configmap-true.yaml]\n',
  );
  assert.equal(lstatSync(join(repo, 'k/configmap-1.yaml')).mode & 0o777, 0o600);
  assert.equal(lstatSync(join(repo, 'k/configmap-true.yaml')).mode & 0o777, 0o600);
  assert.equal(lstatSync(join(repo, 'k/kustomization.yaml')).mode & 0o777, 0o640);
});

test('migrate: an object that would be named safe-render.yaml (kind Safe, name render) gets another name, and the app renders the same', () => {
  const safe = (name: string) => `apiVersion: example.com/v1\nkind: Safe\nmetadata:\n  name: ${name}\n`;
  const repo = makeRepo({ 'apps/web/all.yaml': `${safe('render')}---\n${safe('renders')}---\n${cm('b')}` });
  const before = renderOk(repo, 'apps/web');
  const r = migrate(join(repo, 'apps/web'));
  assert.equal(r.code, 0, r.stderr);
  // Refused name: never the folder's configuration file. Allowed: any other name made the same way.
  assert.deepEqual(readdirSync(join(repo, 'apps/web')).sort(), [
    'configmap-b.yaml',
    'safe-render-2.yaml',
    'safe-renders.yaml',
  ]);
  assert.equal(sortedLines(renderOk(repo, 'apps/web')), sortedLines(before));
});

// Argo CD Applications of the repository that select files by name (directory.include/exclude, in
// spec.source or spec.sources[], or generated by an ApplicationSet): a file is split only when every
// new name is selected exactly as the old one (Argo CD's glob), else it stays, listed with the reason.
const directoryApp = (name: string, directory: string, path = 'apps/web', url = REPO_URL) =>
  `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: web}
  source:
    repoURL: ${url}
    path: ${path}
    directory: ${directory}
`;
const WEB = `${cm('web-config')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n`;
const SPLIT_WEB = ['configmap-web-config.yaml', 'service-web.yaml'];

/** migrate --dry-run then migrate of apps/web in a real repository (origin = REPO_URL) holding `files`. */
function migrateWeb(files: Record<string, string>): { dry: RunResult; run: RunResult; files: string[]; dir: string } {
  const { dir } = gitRepo({ 'apps/web/all.yaml': WEB, ...files });
  const dry = migrate(join(dir, 'apps/web'), '--dry-run');
  const run = migrate(join(dir, 'apps/web'));
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(run.code, 0, run.stderr);
  return { dry, run, files: readdirSync(join(dir, 'apps/web')).sort(), dir };
}

test('migrate: an Application with directory.include naming the file keeps it, listed (dry run too); include *.yaml lets it split', () => {
  const kept = migrateWeb({ 'argocd/web.yaml': directoryApp('web', '{include: all.yaml}') });
  assert.deepEqual(kept.files, ['all.yaml']);
  assert.equal(readFileSync(join(kept.dir, 'apps/web/all.yaml'), 'utf8'), WEB);
  const why =
    /\n {2}all\.yaml: Application web selects files by name \(directory\.include: all\.yaml\); a new name would fall out of it \(configmap-web-config\.yaml\)\n/;
  assert.match(kept.dry.stdout, why);
  assert.match(kept.run.stdout, why);
  assert.match(kept.dry.stdout, /would split 0 files into 0, would edit 0 kustomizations, left 1 path alone/);

  const split = migrateWeb({ 'argocd/web.yaml': directoryApp('web', "{include: '*.yaml'}") });
  assert.deepEqual(split.files, SPLIT_WEB);
  assert.match(split.dry.stdout, /would split 1 file into 2/);
  // The same app in spec.sources[] of another repository does not count.
  const other = migrateWeb({
    'argocd/web.yaml': directoryApp('web', '{include: all.yaml}', 'apps/web', 'https://git.example.com/other.git'),
  });
  assert.deepEqual(other.files, SPLIT_WEB);
});

test('migrate: an exclude that would catch a new name keeps the file; one that catches none lets it split', () => {
  const kept = migrateWeb({ 'argocd/web.yaml': directoryApp('web', "{exclude: 'service-*.yaml'}") });
  assert.deepEqual(kept.files, ['all.yaml']);
  for (const out of [kept.dry.stdout, kept.run.stdout])
    assert.match(
      out,
      /all\.yaml: Application web selects files by name \(directory\.exclude: service-\*\.yaml\); a new name would fall into it \(service-web\.yaml\)/,
    );
  const split = migrateWeb({ 'argocd/web.yaml': directoryApp('web', "{exclude: 'secret-*.yaml'}") });
  assert.deepEqual(split.files, SPLIT_WEB);
});

test('migrate: recurse decides: a non-recursive app of the parent folder does not read apps/web; a recursive one does', () => {
  const parent = migrateWeb({ 'argocd/all.yaml': directoryApp('all', '{include: web/all.yaml}', 'apps') });
  assert.deepEqual(parent.files, SPLIT_WEB);
  const recursive = migrateWeb({
    'argocd/all.yaml': directoryApp('all', '{recurse: true, include: web/all.yaml}', 'apps'),
  });
  assert.deepEqual(recursive.files, ['all.yaml']);
  assert.match(recursive.run.stdout, /Application all selects files by name \(directory\.include: web\/all\.yaml\)/);
});

const appSet = (name: string, generator: string, path: string, directory: string) =>
  `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
  namespace: argocd
spec:
  goTemplate: true
  generators:
${generator}
  template:
    metadata:
      name: '{{.path.basename}}'
    spec:
      project: default
      destination: {server: https://kubernetes.default.svc, namespace: web}
      source:
        repoURL: ${REPO_URL}
        path: '${path}'
        directory: ${directory}
`;

test('migrate: an ApplicationSet (git directories generator) is evaluated offline: the app it generates decides', () => {
  const gen = `  - git:\n      repoURL: ${REPO_URL}\n      revision: HEAD\n      directories: [{path: 'apps/*'}]`;
  const kept = migrateWeb({ 'argocd/set.yaml': appSet('apps', gen, '{{.path.path}}', '{include: all.yaml}') });
  assert.deepEqual(kept.files, ['all.yaml']);
  for (const out of [kept.dry.stdout, kept.run.stdout])
    assert.match(
      out,
      /all\.yaml: Application web \(ApplicationSet apps\) selects files by name \(directory\.include: all\.yaml\); a new name would fall out of it/,
    );
  const split = migrateWeb({ 'argocd/set.yaml': appSet('apps', gen, '{{.path.path}}', "{include: '*.yaml'}") });
  assert.deepEqual(split.files, SPLIT_WEB);
});

test('migrate: an ApplicationSet that cannot be evaluated offline: a literal template is judged as is, a templated one keeps every file', () => {
  // The cluster generator lists the clusters Argo CD knows: nothing offline tells which exist.
  const clusters = (path: string, directory: string) =>
    appSet('clusters', '  - clusters: {}', path, directory).replace("'{{.path.basename}}'", "'{{.name}}-web'");
  // The template's path and globs hold no parameter: every Application it generates reads apps/web alike.
  const literal = migrateWeb({ 'argocd/set.yaml': clusters('apps/web', '{include: all.yaml}') });
  assert.deepEqual(literal.files, ['all.yaml']);
  assert.match(
    literal.dry.stdout,
    /all\.yaml: ApplicationSet clusters \(each Application it generates\) selects files by name \(directory\.include: all\.yaml\); a new name would fall out of it/,
  );
  assert.deepEqual(migrateWeb({ 'argocd/set.yaml': clusters('apps/web', "{include: '*.yaml'}") }).files, SPLIT_WEB);
  // A templated path could be any folder.
  const kept = migrateWeb({ 'argocd/set.yaml': clusters('apps/{{.name}}', "{include: '*.yaml'}") });
  assert.deepEqual(kept.files, ['all.yaml']);
  for (const out of [kept.dry.stdout, kept.run.stdout])
    assert.match(
      out,
      /all\.yaml: ApplicationSet clusters could not be evaluated offline \(clusters: .*\) and may generate an Application that selects files by name; migrate does not guess/,
    );
  // One whose template selects nothing by name does not stop migrate.
  assert.deepEqual(migrateWeb({ 'argocd/set.yaml': clusters('apps/{{.name}}', '{recurse: false}') }).files, SPLIT_WEB);
});

test('migrate: a file holding +argocd:skip-file-rendering stays (Argo CD skips the whole file)', () => {
  const dir = makeRepo({ 'app/all.yaml': `# +argocd:skip-file-rendering\n${WEB}` });
  const r = migrate(join(dir, 'app'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /all\.yaml: holds \+argocd:skip-file-rendering: Argo CD skips the whole file/);
  assert.deepEqual(readdirSync(join(dir, 'app')), ['all.yaml']);
});

test('migrate: outside a Git repository an Application that selects by name keeps every file, and the summary says why', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'safe-render-no-git-')));
  try {
    writeFileSync(join(dir, 'all.yaml'), WEB);
    mkdirSync(join(dir, 'argocd'));
    writeFileSync(join(dir, 'argocd/web.yaml'), directoryApp('web', "{include: '*.yaml'}"));
    const r = migrate(dir, '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /all\.yaml: Application web selects files by name \(directory\.include: \*\.yaml\), and without the repository migrate cannot tell which folder it renders; migrate does not guess/,
    );
    assert.match(r.stdout, /\nnote:\n {2}no Git repository around the folder \(no \.git above it\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migrate: without an origin remote every Application counts as this repository; --repo-url names it', () => {
  const files = { 'apps/web/all.yaml': WEB, 'argocd/web.yaml': directoryApp('web', '{include: all.yaml}') };
  const kept = makeRepo(files);
  const r = migrate(join(kept, 'apps/web'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(join(kept, 'apps/web')), ['all.yaml']);
  assert.match(
    r.stdout,
    /\nnote:\n {2}the repository's URL is not known \(git names no origin remote; give it with --repo-url\)/,
  );
  const split = makeRepo(files);
  const s = migrate(join(split, 'apps/web'), '--repo-url', 'https://git.example.com/mine.git');
  assert.equal(s.code, 0, s.stderr);
  assert.deepEqual(readdirSync(join(split, 'apps/web')).sort(), SPLIT_WEB);
  assert.doesNotMatch(s.stdout, /note:/);
});
