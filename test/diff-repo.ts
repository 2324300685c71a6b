// The repository of issue 12's "Done when", built as a real Git repository with two commits: the base
// (locked: every app's lock written and committed) and the change, which bumps an image tag, removes
// a ConfigMap, renames a Deployment, changes a Secret's value and re-points a child Application of an
// app-of-apps at another path. The Secret's values are exported so tests can grep every output for them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, REPO_URL } from './ci-repo';
import { runCli, writeFiles, type RunResult } from './helpers';

export { REPO_URL };
export const SECRET_OLD = 'hunter2-old-Zq81';
export const SECRET_NEW = 'hunter2-new-Kx47';
export const TOKEN_OLD = 'tok-old-value-9e1';
export const TOKEN_NEW = 'tok-new-value-7c3';
const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Every form a Secret value could leak in: plain and base64, old and new. */
export const SECRET_FORMS = [SECRET_OLD, SECRET_NEW, TOKEN_OLD, TOKEN_NEW].flatMap((s) => [s, b64(s)]);

const made: string[] = [];
process.on('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

export function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: repo,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();
}

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

const configMap = (name: string, data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  value: ${JSON.stringify(data)}
`;

const secret = (password: string, token: string) => `apiVersion: v1
kind: Secret
metadata:
  name: creds
type: Opaque
data:
  password: ${b64(password)}
stringData:
  token: ${token}
`;

export const application = (name: string, path: string, ns: string) => app(name, path, ns);

/** The apps as `ci` sees them: name, folder, destination namespace. */
export const APPS = {
  root: { path: 'argocd/apps', ns: 'argocd' },
  web: { path: 'apps/web', ns: 'prod' },
  child: { path: 'apps/child', ns: 'child' },
} as const;

export function diff(repo: string, args: readonly string[], env: Record<string, string | undefined> = {}): RunResult {
  return runCli(['diff', ...args], { cwd: repo, env });
}

export interface DiffRepo {
  repo: string;
  base: string;
  head: string;
  /** TMPDIR of every run: scratch folders land here, so tests can see they are gone. */
  scratch: string;
}

/** Base: locked and committed on `main`. Head: the change, committed on `change` (checked out). */
export function diffRepo(): DiffRepo {
  const repo = tmp('safe-render-diff-e2e-');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'remote', 'add', 'origin', REPO_URL);
  writeFiles(repo, {
    'argocd/root.yaml': application('root', APPS.root.path, APPS.root.ns),
    'argocd/apps/web.yaml': application('web', APPS.web.path, APPS.web.ns),
    'argocd/apps/child.yaml': application('child', APPS.child.path, APPS.child.ns),
    'apps/web/web.yaml': deployment('web', 'registry.example.com/web:1.0.0'),
    'apps/web/api.yaml': deployment('api', 'registry.example.com/api:3.1.0'),
    'apps/web/config.yaml': configMap('settings', 'blue'),
    'apps/web/secret.yaml': secret(SECRET_OLD, TOKEN_OLD),
    'apps/child/cm.yaml': configMap('child-settings', 'v1'),
    'apps/child-v2/cm.yaml': configMap('child-settings', 'v2'),
    '.gitignore': 'ignored.yaml\n',
  });
  for (const [name, a] of Object.entries(APPS)) {
    const r = runCli(
      ['lock', a.path, '--app', name, '--namespace', a.ns, '--project', 'default', '--repo-url', REPO_URL],
      {
        cwd: repo,
      },
    );
    if (r.code !== 0) throw new Error(`lock ${name}: ${r.stderr}`);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base: three apps, locked');
  const base = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'checkout', '-q', '-b', 'change');
  rmSync(join(repo, 'apps/web/config.yaml'));
  rmSync(join(repo, 'apps/web/api.yaml'));
  writeFiles(repo, {
    'apps/web/web.yaml': deployment('web', 'registry.example.com/web:1.1.0'),
    'apps/web/api-v2.yaml': deployment('api-v2', 'registry.example.com/api:3.1.0'),
    'apps/web/secret.yaml': secret(SECRET_NEW, TOKEN_NEW),
    'argocd/apps/child.yaml': application('child', 'apps/child-v2', APPS.child.ns),
  });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'the change');
  const head = git(repo, 'rev-parse', 'HEAD');
  return { repo, base, head, scratch: tmp('safe-render-diff-tmp-') };
}
