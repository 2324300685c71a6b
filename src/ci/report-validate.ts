// A CI report read back from JSON (`ci merge`, issue 11): the files are artifacts of other CI jobs, so
// every field is checked for its type and bounded before it is used, and the value returned is built
// field by field (nothing of the input, not an unknown key nor a `__proto__`, is carried over as is).
import { isRuleId } from '../model/rule-catalog';
import type { Finding } from '../model/finding';
import type { SourceRef } from '../model/object';
import type { PluginParameter } from '../context/app-context';
import type { NativePreview, NativeTool } from './native-source';
import {
  CI_REPORT_VERSION,
  type AppVerdict,
  type CiApp,
  type CiObject,
  type CiReport,
  type NotEvaluated,
} from './report-model';

/** Bounds on what one report may hold: far above a real monorepo (thousands of apps, each with
 * hundreds of objects), low enough that a hostile file cannot make the merge take the machine. */
export const LIMITS = {
  string: 16_384,
  apps: 100_000,
  objectsPerApp: 100_000,
  /** Objects over every app of one report. */
  objects: 2_000_000,
  findingsPerApp: 10_000,
  sourcesPerFinding: 1_000,
  notEvaluated: 100_000,
  lockedApps: 100_000,
  repositoryFindings: 100_000,
} as const;

class Invalid extends Error {}

type Obj = Record<string, unknown>;

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function fail(path: string, what: string, v: unknown): never {
  throw new Invalid(`${path}: ${what}, not ${show(v)}`);
}

function obj(v: unknown, path: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, 'expected an object', v);
  return v as Obj;
}

/** An own field only: `toString` or `constructor` must not read Object.prototype. */
const field = (o: Obj, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

function str(o: Obj, k: string, path: string, opt: true): string | undefined;
function str(o: Obj, k: string, path: string, opt?: false): string;
function str(o: Obj, k: string, path: string, opt = false): string | undefined {
  const v = field(o, k);
  if (v === undefined && opt) return undefined;
  if (typeof v !== 'string') fail(`${path}.${k}`, 'expected a string', v);
  if (v.length > LIMITS.string) fail(`${path}.${k}`, `longer than ${LIMITS.string} characters`, v.slice(0, 20));
  return v;
}

function int(o: Obj, k: string, path: string, opt: true): number | undefined;
function int(o: Obj, k: string, path: string, opt?: false): number;
function int(o: Obj, k: string, path: string, opt = false): number | undefined {
  const v = field(o, k);
  if (v === undefined && opt) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    fail(`${path}.${k}`, 'expected a non-negative integer', v);
  return v;
}

function num(o: Obj, k: string, path: string): number {
  const v = field(o, k);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${path}.${k}`, 'expected a non-negative number', v);
  return v;
}

function arr<T>(o: Obj, k: string, path: string, max: number, each: (v: unknown, p: string) => T): T[] {
  const v = field(o, k);
  if (!Array.isArray(v)) fail(`${path}.${k}`, 'expected an array', v);
  if (v.length > max) fail(`${path}.${k}`, `more than ${max} entries`, v.length);
  return v.map((x, i) => each(x, `${path}.${k}[${i}]`));
}

function place(v: unknown, path: string): SourceRef {
  const o = obj(v, path);
  return { file: str(o, 'file', path), line: int(o, 'line', path) };
}

function finding(v: unknown, path: string): Finding {
  const o = obj(v, path);
  const rule = str(o, 'rule', path);
  if (!isRuleId(rule)) fail(`${path}.rule`, 'expected a rule id of this safe-render', rule);
  const severity = str(o, 'severity', path);
  if (severity !== 'error' && severity !== 'warning') fail(`${path}.severity`, 'expected error or warning', severity);
  const object = str(o, 'object', path, true);
  return {
    rule,
    severity,
    ...(object !== undefined ? { object } : {}),
    sources: arr(o, 'sources', path, LIMITS.sourcesPerFinding, place),
    message: str(o, 'message', path),
    fix: str(o, 'fix', path),
  };
}

function ciObject(v: unknown, path: string): CiObject {
  const o = obj(v, path);
  return { ref: str(o, 'ref', path), file: str(o, 'file', path), line: int(o, 'line', path) };
}

const NATIVE_TOOLS: readonly string[] = ['directory', 'kustomize', 'helm'];

/** A plugin parameter as the native preview maps it (CiApp.native.parameters). */
function parameter(v: unknown, path: string): PluginParameter {
  const o = obj(v, path);
  const out: PluginParameter = { name: str(o, 'name', path) };
  const s = str(o, 'string', path, true);
  if (s !== undefined) out.string = s;
  if (field(o, 'array') !== undefined) out.array = arr(o, 'array', path, LIMITS.findingsPerApp, (x, p) => text(x, p));
  if (field(o, 'map') !== undefined) {
    const m = obj(field(o, 'map'), `${path}.map`);
    const entries = Object.keys(m);
    if (entries.length > LIMITS.findingsPerApp)
      fail(`${path}.map`, `more than ${LIMITS.findingsPerApp} entries`, entries.length);
    out.map = Object.fromEntries(entries.map((k) => [text(k, `${path}.map`), str(m, k, `${path}.map`)]));
  }
  return out;
}

function text(v: unknown, path: string): string {
  return str({ v }, 'v', path);
}

function nativePreview(v: unknown, path: string): NativePreview {
  const o = obj(v, path);
  const tool = str(o, 'tool', path);
  if (!NATIVE_TOOLS.includes(tool)) fail(`${path}.tool`, `expected one of ${NATIVE_TOOLS.join(', ')}`, tool);
  return {
    tool: tool as NativeTool,
    parameters: arr(o, 'parameters', path, LIMITS.findingsPerApp, parameter),
    notMapped: arr(o, 'notMapped', path, LIMITS.findingsPerApp, text),
    namespace: str(o, 'namespace', path),
    project: str(o, 'project', path),
    targetRevision: str(o, 'targetRevision', path),
  };
}

const VERDICTS: readonly AppVerdict[] = ['passed', 'refused', 'failed', 'skipped'];

function ciApp(v: unknown, path: string): CiApp {
  const o = obj(v, path);
  const id = str(o, 'id', path);
  if (id === '') fail(`${path}.id`, 'expected a non-empty app id', id);
  const verdict = str(o, 'verdict', path) as AppVerdict;
  if (!VERDICTS.includes(verdict)) fail(`${path}.verdict`, `expected one of ${VERDICTS.join(', ')}`, verdict);
  const del = obj(field(o, 'deletions'), `${path}.deletions`);
  const sha256 = str(o, 'sha256', path, true);
  if (sha256 !== undefined && !/^[0-9a-f]{64}$/.test(sha256)) fail(`${path}.sha256`, 'expected 64 hex digits', sha256);
  const dest = field(o, 'destination');
  let destination: CiApp['destination'];
  if (dest !== undefined) {
    const d = obj(dest, `${path}.destination`);
    const server = str(d, 'server', `${path}.destination`, true);
    const name = str(d, 'name', `${path}.destination`, true);
    destination = { ...(server !== undefined ? { server } : {}), ...(name !== undefined ? { name } : {}) };
  }
  const opt = {
    skipped: str(o, 'skipped', path, true),
    parent: str(o, 'parent', path, true),
    appSet: str(o, 'appSet', path, true),
    sourceIndex: int(o, 'sourceIndex', path, true),
    destination,
    sourcePath: str(o, 'sourcePath', path, true),
    engine: str(o, 'engine', path, true),
    sha256,
    bytes: int(o, 'bytes', path, true),
    native: field(o, 'native') === undefined ? undefined : nativePreview(field(o, 'native'), `${path}.native`),
  };
  const app: CiApp = {
    id,
    appName: str(o, 'appName', path),
    verdict,
    definedIn: place(field(o, 'definedIn'), `${path}.definedIn`),
    objects: arr(o, 'objects', path, LIMITS.objectsPerApp, ciObject),
    deletions: {
      pending: int(del, 'pending', `${path}.deletions`),
      accepted: int(del, 'accepted', `${path}.deletions`),
    },
    findings: arr(o, 'findings', path, LIMITS.findingsPerApp, finding),
    durationMs: num(o, 'durationMs', path),
  };
  for (const [k, val] of Object.entries(opt)) if (val !== undefined) Object.assign(app, { [k]: val });
  return app;
}

function notEvaluated(v: unknown, path: string): NotEvaluated {
  const o = obj(v, path);
  return {
    appSet: str(o, 'appSet', path),
    generator: str(o, 'generator', path),
    why: str(o, 'why', path),
    definedIn: place(field(o, 'definedIn'), `${path}.definedIn`),
  };
}

/** The value as a CiReport of this version, or a message naming the first field that is not. */
export function validateCiReport(value: unknown): CiReport | { error: string } {
  try {
    const o = obj(value, 'the report');
    if (field(o, 'kind') !== 'safe-render-ci')
      fail('kind', 'expected "safe-render-ci" (a safe-render ci JSON report)', field(o, 'kind'));
    const version = field(o, 'version');
    if (version !== CI_REPORT_VERSION)
      fail(
        'version',
        `expected ${CI_REPORT_VERSION} (reports of another safe-render version cannot be merged)`,
        version,
      );
    const repo = obj(field(o, 'repo'), 'repo');
    const sh = field(o, 'shard');
    let shard: CiReport['shard'];
    if (sh !== undefined) {
      const s = obj(sh, 'shard');
      shard = { index: int(s, 'index', 'shard'), count: int(s, 'count', 'shard') };
    }
    const exitCode = field(o, 'exitCode');
    if (exitCode !== 0 && exitCode !== 1) fail('exitCode', 'expected 0 or 1', exitCode);
    const locked = field(o, 'lockedApps');
    const maxDeletions = int(o, 'maxDeletions', 'the report', true);
    const report: CiReport = {
      kind: 'safe-render-ci',
      version: CI_REPORT_VERSION,
      tool: str(o, 'tool', 'the report'),
      repo: { url: str(repo, 'url', 'repo'), revision: str(repo, 'revision', 'repo') },
      ...(shard ? { shard } : {}),
      apps: arr(o, 'apps', 'the report', LIMITS.apps, ciApp),
      notEvaluated: arr(o, 'notEvaluated', 'the report', LIMITS.notEvaluated, notEvaluated),
      ...(locked !== undefined
        ? {
            lockedApps: arr(o, 'lockedApps', 'the report', LIMITS.lockedApps, (v, p) => {
              if (typeof v !== 'string' || v.length > LIMITS.string) fail(p, 'expected an app name', v);
              return v;
            }),
          }
        : {}),
      ...(maxDeletions !== undefined ? { maxDeletions } : {}),
      findings: arr(o, 'findings', 'the report', LIMITS.repositoryFindings, finding),
      exitCode,
      durationMs: num(o, 'durationMs', 'the report'),
    };
    const objects = report.apps.reduce((n, a) => n + a.objects.length, 0);
    if (objects > LIMITS.objects) fail('apps', `more than ${LIMITS.objects} objects in all`, objects);
    return report;
  } catch (e) {
    if (e instanceof Invalid) return { error: e.message.replace(/^the report\./, '') };
    throw e;
  }
}
