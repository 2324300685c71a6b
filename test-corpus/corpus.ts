// Shared pieces of the corpus parity tests: where the corpus is, its indexes, a small process pool
// (the suite spawns about a thousand processes on two cores), and object-set comparison.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { K8S_TO_JS, K8S_YAML } from '../src/util/k8s-yaml';
import { BUNDLE, canonicalJson, ROOT, TOOLS_BIN } from '../test/helpers';

/** The read-only corpus next to the project (/work/shared/corpus beside /work/<worktree>);
 * SAFE_RENDER_CORPUS names it from a worktree elsewhere (/work/wt/<name>). */
export const CORPUS = process.env.SAFE_RENDER_CORPUS || join(ROOT, '..', 'shared', 'corpus');
export const KUBECTL = join(TOOLS_BIN, 'kubectl');
export const HELM = join(TOOLS_BIN, 'helm');

/** The corpus and the tools must be there: a missing one fails the suite, it never skips. */
export function requireCorpusAndTools(): void {
  assert.ok(
    existsSync(join(CORPUS, 'apps.tsv')),
    `the corpus is missing: ${CORPUS}/apps.tsv not found (the corpus tests compare against /work/shared/corpus and never skip)`,
  );
  for (const bin of [KUBECTL, HELM]) assert.ok(existsSync(bin), `${bin} is missing: run \`npm run tools\``);
}

export function readTsv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const cols = header!.split('\t');
  return rows.map((r) => {
    const cells = r.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

export interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One child process, no shell, no stdin, output collected. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const TOOL_ENV = { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}` };

/** The built bundle, with the unpacked kubectl and helm first on PATH (as test/helpers runCli). */
export function safeRender(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Proc> {
  return run(process.execPath, [BUNDLE, ...args], { cwd, env: { ...TOOL_ENV, ...env } });
}

/** The reference render. GOGC=off only spares the short-lived reference process its garbage
 * collection (a quarter of its CPU on two cores); the output is the same. */
export function kubectlKustomize(dir: string, flags: readonly string[] = []): Promise<Proc> {
  return run(KUBECTL, ['kustomize', dir, ...flags], { env: { ...TOOL_ENV, GOGC: 'off' } });
}

export function helmTemplate(args: readonly string[], cwd: string, home: string): Promise<Proc> {
  return run(HELM, ['template', ...args], {
    cwd,
    env: {
      PATH: TOOL_ENV.PATH,
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    },
  });
}

/** Runs `fn` over `items`, `n` at a time, results in input order. */
export async function pool<T, R>(
  items: readonly T[],
  n: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** Parallelism for the pools: one more than the cores (each job waits on a child), 3 to 5. */
export const POOL = Math.max(3, Math.min(5, availableParallelism() + 1));

/** YAML from a tool, read as Kubernetes reads it (the same options safe-render parses with). */
export function parseYamlStream(text: string, what: string): unknown[] {
  const docs = parseAllDocuments(text, K8S_YAML);
  const list = Array.isArray(docs) ? docs : [docs];
  const values: unknown[] = [];
  for (const d of list) {
    assert.equal(d.errors.length, 0, `${what}: ${d.errors.map((e) => e.message).join('; ')}`);
    const v = d.toJS(K8S_TO_JS) as unknown;
    if (v !== null && v !== undefined) values.push(v);
  }
  return values;
}

export function parseJsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/** Objects as a set: canonical JSON (keys sorted), sorted, duplicates merged (safe-render emits an
 * identical copy once, and order is the tools' business). */
export function objectSet(objs: readonly unknown[]): string[] {
  return [...new Set(objs.map(canonicalJson))].sort();
}

/** A readable difference of two object sets, for assertion messages. */
export function setDiff(expected: readonly string[], actual: readonly string[]): string {
  const e = new Set(expected);
  const a = new Set(actual);
  const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}...` : s);
  const missing = expected.filter((x) => !a.has(x)).map((x) => `  - ${clip(x)}`);
  const extra = actual.filter((x) => !e.has(x)).map((x) => `  + ${clip(x)}`);
  return [
    `${missing.length} missing from safe-render, ${extra.length} extra`,
    ...missing.slice(0, 5),
    ...extra.slice(0, 5),
  ].join('\n');
}

/** Temporary copies of corpus repository folders, each made its own repository root with `.git/`. */
export function copyRepos(folders: readonly string[]): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'safe-render-corpus-'));
  for (const f of folders) {
    cpSync(join(CORPUS, f), join(root, f), { recursive: true });
    mkdirSync(join(root, f, '.git'), { recursive: true });
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** `error[rule]` lines of a refusal, as `rule` ids, sorted and unique. */
export function refusedRules(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/^error\[([a-z-]+)\]/gm)].map((m) => m[1]!))].sort();
}

/** The kind of every object, for a permissive clusterScoped list (a bare Kind matches any group). */
export function kindsOf(objs: readonly unknown[]): string[] {
  const kinds = new Set<string>();
  for (const o of objs) {
    const kind = (o as { kind?: unknown }).kind;
    if (typeof kind === 'string' && kind !== '') kinds.add(kind);
  }
  return [...kinds].sort();
}

export function elapsed(start: number): string {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}
