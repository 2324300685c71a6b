// Test helpers: every test runs the built bundle as a child process, the way Argo CD runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from '../src/util/k8s-yaml';

/** The project root: build/<...>/x.test.mjs -> the folder holding package.json. */
export const ROOT = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
})();

export const BUNDLE = join(ROOT, 'dist/safe-render.cjs');
export const TOOLS_BIN = join(ROOT, '.tools/bin');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Replace the environment instead of adding to it. */
  cleanEnv?: boolean;
  timeoutMs?: number;
}

/** Runs `node dist/safe-render.cjs ...args` without a shell and without stdin. */
export function runCli(args: readonly string[], opts: RunOptions = {}): RunResult {
  // The unpacked kubectl and helm come first, so every machine renders with the same real tools.
  const PATH = `${TOOLS_BIN}:${process.env.PATH ?? ''}`;
  const base: Record<string, string | undefined> = opts.cleanEnv ? { PATH } : { ...process.env, PATH };
  const env: Record<string, string | undefined> = { ...base, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BUNDLE, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    timeout: opts.timeoutMs ?? 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempRepos = new Set<string>();

/** A throw-away repository: `files` maps repo-relative paths to contents. Creates `.git/` so the
 * folder is its own repository root. Removed when the test process ends. */
export function makeRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-test-'));
  mkdirSync(join(dir, '.git'));
  writeFiles(dir, files);
  // One exit listener for all repos: one per repo trips Node's MaxListenersExceededWarning after ten.
  if (tempRepos.size === 0)
    process.on('exit', () => tempRepos.forEach((d) => rmSync(d, { recursive: true, force: true })));
  tempRepos.add(dir);
  return dir;
}

/** Throw-away repositories of this test process, removed by one exit listener. */

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = resolve(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** `render` of `appPath` inside `repo` with the given flags. */
export function render(repo: string, appPath: string, flags: readonly string[] = []): RunResult {
  return runCli(['render', appPath, ...flags], { cwd: repo });
}

/** Parses a JSON stream (one object per line) as Argo CD's stage 1 does for `{`-prefixed output. */
export function parseJsonStream(s: string): Record<string, unknown>[] {
  return s
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The findings for `rule` at `severity`, each in the one-line form of formatFinding (`head. Fix: ...
 * (runbook: ...)`): a refusal prints each head on its own line and the fix once after the findings that
 * share it (issue 14, report/refusal.ts), so each head is joined with the fix line that follows it, as a
 * script would. `headLines` gives the heads as printed. */
export function findingLines(stderr: string, rule: string, severity: 'error' | 'warning' = 'error'): string[] {
  const out: string[] = [];
  let pending: number[] = [];
  for (const l of stderr.split('\n')) {
    if (/^(error|warning)\[[a-z-]+\]/.test(l)) {
      pending.push(out.length);
      out.push(l);
    } else if (l.startsWith('  Fix: ') || l.startsWith('  (runbook: ')) {
      for (const i of pending) out[i] = `${out[i]}. ${l.trim()}`;
      pending = [];
    }
  }
  return out.filter((l) => l.startsWith(`${severity}[${rule}]`));
}

/** The lines of stderr that are finding heads for `rule` at `severity`, as printed. */
export function headLines(stderr: string, rule: string, severity: 'error' | 'warning' = 'error'): string[] {
  return stderr.split('\n').filter((l) => l.startsWith(`${severity}[${rule}]`));
}

/** Small YAML manifest builders, so tests read as the objects they are about. */
export function manifest(
  kind: string,
  name: string,
  extra: { apiVersion?: string; namespace?: string; body?: string; annotations?: Record<string, string> } = {},
): string {
  const apiVersion = extra.apiVersion ?? defaultApiVersion(kind);
  const lines = [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', `  name: ${JSON.stringify(name)}`];
  if (extra.namespace) lines.push(`  namespace: ${extra.namespace}`);
  if (extra.annotations) {
    lines.push('  annotations:');
    for (const [k, v] of Object.entries(extra.annotations)) lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  if (extra.body) lines.push(extra.body.trimEnd());
  return `${lines.join('\n')}\n`;
}

function defaultApiVersion(kind: string): string {
  return (
    (
      {
        Deployment: 'apps/v1',
        StatefulSet: 'apps/v1',
        ClusterRole: 'rbac.authorization.k8s.io/v1',
        ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
        Role: 'rbac.authorization.k8s.io/v1',
        CustomResourceDefinition: 'apiextensions.k8s.io/v1',
        Ingress: 'networking.k8s.io/v1',
        Application: 'argoproj.io/v1alpha1',
      } as Record<string, string>
    )[kind] ?? 'v1'
  );
}

/** JSON with object keys sorted, so objects compare by content whatever order a tool wrote keys in. */
export { canonicalJson } from '../src/util/canonical-json';

/** The path of a tool unpacked by `npm run tools`. A missing tool fails the test (never skips it),
 * with the command that fixes it. */
export function toolPath(name: 'kubectl' | 'helm'): string {
  const p = join(TOOLS_BIN, name);
  if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm run tools\``);
  return p;
}

/** Runs an unpacked tool without a shell. */
export function runTool(name: 'kubectl' | 'helm', args: readonly string[], opts: { cwd?: string } = {}): RunResult {
  const r = spawnSync(toolPath(name), args, {
    cwd: opts.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every non-empty document of a YAML stream, read with Kubernetes' YAML rules. A syntax error,
 * a duplicate key or anything else Kubernetes would reject throws, naming `source`. */
export function yamlDocs(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, K8S_YAML);
  if (!Array.isArray(docs)) throw new Error(`${source}: not a YAML stream`);
  const out: unknown[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${source}: ${d.errors[0]!.message}`);
    const v = d.toJS(K8S_TO_JS) as unknown;
    if (v != null) out.push(v);
  }
  return out;
}

/** The one document of a YAML file under ROOT. */
export function readYaml(rel: string): Record<string, unknown> {
  const docs = yamlDocs(readFileSync(join(ROOT, rel), 'utf8'), rel);
  if (docs.length !== 1 || typeof docs[0] !== 'object' || Array.isArray(docs[0]))
    throw new Error(`${rel}: expected exactly one YAML object, got ${docs.length} documents`);
  return docs[0] as Record<string, unknown>;
}

export interface DockerInstruction {
  /** Upper-cased instruction: FROM, RUN, COPY, ENV, ... */
  op: string;
  /** The rest of the logical line, continuations joined with a space. */
  args: string;
  /** 0 for the first FROM's stage, 1 for the next, ... */
  stage: number;
  line: number;
}

/** Dockerfile instructions as Docker reads them: comment lines dropped (also inside continuations),
 * lines ending in `\` joined to the next. Enough for checks on paths, versions and users. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let stage = -1;
  let buf = '';
  let start = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (/^\s*#/.test(raw)) continue;
    if (buf === '' && raw.trim() === '') continue;
    if (buf === '') start = i + 1;
    const cont = /\\\s*$/.test(raw);
    buf += `${buf ? ' ' : ''}${raw.replace(/\\\s*$/, '').trim()}`;
    if (cont && i < lines.length - 1) continue;
    const m = /^(\S+)\s*(.*)$/.exec(buf.trim());
    buf = '';
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    if (op === 'FROM') stage++;
    out.push({ op, args: m[2]!.replace(/\s+/g, ' ').trim(), stage, line: start });
  }
  return out;
}

/** `KEY=value KEY2="v 2"` (ENV and LABEL syntax) as a map. */
export function parseKeyValues(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][\w.-]*)=("((?:[^"\\]|\\.)*)"|\S*)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out[m[1]!] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2]!;
  return out;
}

/** The real kubectl (kustomize) and helm the engine tests run. Missing tools fail the test, never skip it. */
export function requireTools(): void {
  for (const bin of ['kubectl', 'helm']) {
    if (!existsSync(join(TOOLS_BIN, bin))) {
      throw new Error(
        `${join(TOOLS_BIN, bin)} is missing: run \`npm run tools\` (it unpacks kubectl with kustomize and helm into .tools/bin)`,
      );
    }
  }
}

/** True when `pid` no longer runs (gone, or a zombie waiting to be reaped by an init that may never do it). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
