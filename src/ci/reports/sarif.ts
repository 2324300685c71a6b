// The SARIF 2.1.0 report (issue 11), for GitHub code scanning and every SARIF viewer: one rule per
// catalog entry, one result per finding, located at the file and line the finding names so that the
// annotation lands on the offending line of the pull request.
import { createHash } from 'node:crypto';
import type { Finding } from '../../model/finding';
import type { SourceRef } from '../../model/object';
import { CATALOG, RULE_IDS, runbookPath, type RuleId } from '../../model/rule-catalog';
import type { CiApp, CiReport } from '../report-model';
import { absoluteBase, findingLine, placesOf } from './common';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The base every artifact URI is relative to: the repository's root as the CI job checked it out.
 * GitHub's upload action resolves it to the checkout path. */
const SRCROOT = '%SRCROOT%';
/** SARIF keeps at most this many locations per result meaningful; GitHub reads at most 10 (its
 * documented limit), and the message names them all anyway. */
const MAX_LOCATIONS = 10;

export interface SarifOptions {
  /** An absolute URI the runbook path `docs/rules/<id>.md` is appended to, e.g.
   * `https://github.com/ORG/safe-render/blob/v1.2.0/`. */
  runbookBase?: string;
}

/** `duplicate-object` -> `DuplicateObject`: SARIF's `name` is an identifier people read. */
function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase());
}

function ruleDescriptor(id: RuleId, base: string | undefined): Record<string, unknown> {
  const e = CATALOG[id];
  const runbook = runbookPath(id);
  const link = base ? `${base}${runbook}` : undefined;
  return {
    id,
    name: pascal(id),
    shortDescription: { text: e.title },
    fullDescription: { text: e.description },
    ...(link ? { helpUri: link } : {}),
    // Without a base the runbook is named as a repository path in the help text only: `helpUri` must
    // be absolute, and a path relative to a checkout that is not safe-render's would not resolve anyway.
    help: {
      text: `${e.description}. Runbook: ${link ?? runbook}`,
      markdown: `${e.description}. Runbook: ${link ? `[${runbook}](${link})` : `\`${runbook}\``}`,
    },
    properties: { tags: ['safe-render', e.origin] },
  };
}

function location(s: SourceRef): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(s.file), uriBaseId: SRCROOT },
      region: { startLine: Math.max(1, Math.trunc(s.line) || 1) },
    },
  };
}

/** A repo-relative path as a relative URI reference: each segment percent-encoded (a space, `#`, `?`,
 * `%` or a non-ASCII letter in a file name would otherwise change what the URI names). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function artifactUri(file: string): string {
  return file
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/^\.\//, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** Stable per (rule, app, object), so code scanning keeps one alert for one problem across runs and
 * commits even when lines move; the first file stands in for the object when a finding names none. */
function fingerprint(f: Finding, app: CiApp | undefined): string {
  const what = f.object ?? f.sources[0]?.file ?? '';
  return createHash('sha256')
    .update(JSON.stringify([f.rule, app?.id ?? '', what]))
    .digest('hex');
}

/** `safe-render-ci/` or `safe-render-ci/shard-2-of-3/`, then the revision: GitHub takes what comes
 * before the last `/` as the analysis category, so each shard's upload is its own analysis and does not
 * replace another shard's. */
function automationId(r: CiReport): string {
  const category = r.shard ? `safe-render-ci/shard-${r.shard.index}-of-${r.shard.count}` : 'safe-render-ci';
  return `${category}/${r.repo.revision}`;
}

export function sarifReport(r: CiReport, opts: SarifOptions = {}): string {
  const base = absoluteBase(opts.runbookBase);
  const ruleIndex = new Map(RULE_IDS.map((id, i) => [id, i]));
  // GitHub refuses a result without a location (github/codeql-action#1738): a repository finding
  // that names no file is placed at the first checked app's Application.
  const fallback = r.apps.find((a) => a.verdict !== 'skipped') ?? r.apps[0];
  const results: Record<string, unknown>[] = [];
  const add = (f: Finding, app: CiApp | undefined) => {
    let places = placesOf(f, app);
    if (!places.length && fallback) places = [fallback.definedIn];
    const index = ruleIndex.get(f.rule);
    results.push({
      ruleId: f.rule,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: f.severity === 'error' ? 'error' : 'warning',
      message: { text: findingLine(f, app) },
      ...(places.length ? { locations: places.slice(0, MAX_LOCATIONS).map(location) } : {}),
      partialFingerprints: { 'safeRenderFinding/v1': fingerprint(f, app) },
      properties: {
        ...(app ? { app: app.id } : { scope: 'repository' }),
        ...(f.object ? { object: f.object } : {}),
        fix: f.fix,
      },
    });
  };
  for (const f of r.findings) add(f, undefined);
  for (const app of r.apps) for (const f of app.findings) add(f, app);

  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'safe-render',
        version: r.tool,
        rules: RULE_IDS.map((id) => ruleDescriptor(id, base)),
      },
    },
    automationDetails: { id: automationId(r) },
    ...(URL.canParse(r.repo.url) && /^[a-z][a-z0-9+.-]*:/i.test(r.repo.url)
      ? {
          versionControlProvenance: [
            { repositoryUri: r.repo.url, revisionId: r.repo.revision, mappedTo: { uriBaseId: SRCROOT } },
          ],
        }
      : {}),
    invocations: [
      {
        // The tool ran to its end; the verdict is in the results and the exit code.
        executionSuccessful: true,
        exitCode: r.exitCode,
        toolExecutionNotifications: r.notEvaluated.map((n) => ({
          level: 'note',
          message: {
            text: `ApplicationSet ${n.appSet}: generator ${n.generator} not evaluated: ${n.why}`,
          },
          locations: [location(n.definedIn)],
        })),
      },
    ],
    results,
    columnKind: 'utf16CodeUnits',
  };
  return `${JSON.stringify({ $schema: SCHEMA, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}
