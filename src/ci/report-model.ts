// The CI report (issue 11): what `safe-render ci` found, app by app, in one JSON-able value. Every
// output format (terminal summary, json, sarif, junit, markdown, github annotations) is written from
// it, and `ci merge` reads shards' JSON reports back into it, so it carries what the cross-app checks
// need (each app's object identities and deletions), never Secret data.
import type { Finding } from '../model/finding';
import type { NativePreview } from './native-source';

/** Bumped when a field changes meaning; `ci merge` refuses reports of another version. */
export const CI_REPORT_VERSION = 1;

/** passed: rendered, no error finding. refused: rendered, an error finding. failed: the render
 * failed (render-failed). skipped: not a plugin app of this repository (see `skipped`). */
export type AppVerdict = 'passed' | 'refused' | 'failed' | 'skipped';

/** Where an app is defined: the file and line of its Application (or of the ApplicationSet that
 * generated it), repo-relative with forward slashes. */
export interface Place {
  file: string;
  line: number;
}

/** One object an app renders, for the cross-app checks: `ref` is lock/snapshot's objectRef
 * (`group/Kind/namespace/name`, the identity Argo CD tracks), `file`/`line` where it was rendered from. */
export interface CiObject {
  ref: string;
  file: string;
  line: number;
}

export interface CiApp {
  /** Argo CD's name for it: `name` in the control-plane namespace, `namespace/name` outside it. Unique
   * per report; the shard key. */
  id: string;
  /** ARGOCD_APP_NAME as the sidecar gets it: `name`, or `namespace_name` outside the control plane. */
  appName: string;
  verdict: AppVerdict;
  /** Why it was not checked (another repository, another tool or plugin, a generator not evaluated). */
  skipped?: string;
  definedIn: Place;
  /** The id of the app whose render holds this Application (app-of-apps); absent for apps found in files. */
  parent?: string;
  /** `namespace/name` of the ApplicationSet that generated it, when one did. */
  appSet?: string;
  /** Which of `spec.sources` this entry renders (multi-source apps give one entry per plugin source of
   * this repository); absent for `spec.source`. */
  sourceIndex?: number;
  /** The Application's `spec.destination` as written (cross-app-collision: the same object reference in
   * two different clusters is two objects). Absent when unknown: then it counts as the same cluster. */
  destination?: { server?: string; name?: string };
  /** ARGOCD_APP_SOURCE_PATH, repo-relative. */
  sourcePath?: string;
  engine?: string;
  /** Identities of what it rendered (empty when skipped or failed). */
  objects: CiObject[];
  /** Objects the app's lock holds that this render no longer has: pending (not accepted) and accepted
   * since the base revision when one is known. Summed across apps for the repository-wide budget. */
  deletions: { pending: number; accepted: number };
  /** Every finding of this app (its own rules), as the sidecar would print them. */
  findings: Finding[];
  /** sha256 (hex) of the exact bytes `generate` would print for it (the JSON stream), and their length. */
  sha256?: string;
  bytes?: number;
  /** `ci --include-native`: the app uses Argo CD's own tool (`native.tool`) and was rendered as
   * safe-render renders the same folder, with the tool settings mapped to plugin parameters
   * (`native.parameters`) and those that could not be named in `native.notMapped`. A preview of what
   * adopting the plugin would say, not a check of what Argo CD renders today. */
  native?: NativePreview;
  /** Wall time of its render and checks. */
  durationMs: number;
}

/** A generator of an ApplicationSet that `ci` could not evaluate offline (cluster, SCM, plugin...). */
export interface NotEvaluated {
  /** `namespace/name` of the ApplicationSet. */
  appSet: string;
  generator: string;
  why: string;
  definedIn: Place;
}

export interface CiReport {
  kind: 'safe-render-ci';
  version: typeof CI_REPORT_VERSION;
  /** safe-render's own version, so a merge of shards built by different bundles is visible. */
  tool: string;
  /** This repository as the apps name it (normalised), and the commit checked (HEAD). */
  repo: { url: string; revision: string };
  /** Present on a shard's report: `index` is 1-based. */
  shard?: { index: number; count: number };
  /** Every app found, checked or skipped, sorted by id. In a shard's report, only that shard's apps. */
  apps: CiApp[];
  notEvaluated: NotEvaluated[];
  /** The apps of `.safe-render/index` (ARGOCD_APP_NAMEs), carried so that `ci merge` can report a lock
   * no app generates any more (lock-orphaned); absent when the run did not read the index. */
  lockedApps?: string[];
  /** The repository-wide deletion budget the run used, carried so that `ci merge` recomputes with it. */
  maxDeletions?: number;
  /** Findings about the repository as a whole: cross-app rules, the repository-wide deletion budget,
   * locks no app generates any more. */
  findings: Finding[];
  /** 0 when every checked app passed and no repository finding is an error, else 1. */
  exitCode: 0 | 1;
  durationMs: number;
}
