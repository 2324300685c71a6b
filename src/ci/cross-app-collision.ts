// cross-app-collision (issue 11, "Checks across apps"): two or more apps render the same object. Argo CD
// finds the live object of a target by group, kind, namespace and name (`controller/state.go`, the key of
// `NormalizeTargetObjects`), and the tracking value on it (`util/argo/resource_tracking.go`) names one
// app instance. In `CompareAppState` (`controller/state.go`), an app whose target is live and tracked by
// another instance gets `SharedResourceWarning` (`<Kind>/<name> is part of applications <a> and <b>`);
// its sync applies the object and writes its own tracking, so the first app sees it OutOfSync and takes
// it back (with auto-sync, forever), and whichever app stops rendering it while it holds the tracking
// prunes it from under the other (gitops-engine `pkg/sync/sync_context.go` prunes every tracked live
// object absent from the target). Only `FailOnSharedResource=true` stops it, and only at sync time, after
// the merge: here it fails the pull request.
import type { Finding } from '../model/finding';
import type { SourceRef } from '../model/object';
import type { CiApp } from './report-model';
import { byCodeUnit } from '../util/compare';

/** At most this many apps are named in one finding's message, and this many places in its sources: a
 * hostile repository can have thousands of apps render one object, and a finding is one line. */
export const MAX_NAMED_APPS = 10;
export const MAX_SOURCES = 20;

/** Argo CD's in-cluster destination: `server: https://kubernetes.default.svc` and `name: in-cluster`
 * are the same cluster (`v1alpha1.KubernetesInternalAPIServerAddr` and `KubernetesInClusterName`;
 * `util/db/cluster.go` `localCluster` and `GetClusterServersByName`). */
const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** The cluster an app deploys to, as far as the Application says it: the same reference in two
 * clusters is two objects. Another name than `in-cluster` cannot be mapped to its server offline (the
 * mapping lives in the cluster Secrets), so `name: prod` and `server: https://prod` count as different
 * clusters; no destination at all is one shared unknown cluster, so that an app without it is compared
 * with every other app without it (fail closed). */
export function clusterKey(app: Pick<CiApp, 'destination'>): string {
  const d = app.destination;
  // Trailing slashes dropped, as Argo CD stores a cluster's server (`util/db/cluster.go` `SecretToCluster`).
  const server = d?.server ? d.server.replace(/\/+$/, '') : '';
  if (server) return `server:${server}`;
  if (d?.name) return d.name === 'in-cluster' ? `server:${IN_CLUSTER_SERVER}` : `name:${d.name}`;
  return '';
}

/** `apps/Deployment/prod/web` (lock/snapshot.ts objectRef) as findings show it, `apps/Deployment
 * prod/web` (model/identity.ts displayRef); a ref of another shape (a hostile merged report) as is. */
export function displayObjectRef(ref: string): string {
  const parts = ref.split('/');
  if (parts.length !== 3 && parts.length !== 4) return ref;
  const [group, kind] = parts as [string, string];
  const gk = group === 'core' ? kind : `${group}/${kind}`;
  return parts.length === 4 ? `${gk} ${parts[2]}/${parts[3]}` : `${gk} ${parts[2]}`;
}

interface Holder {
  app: CiApp;
  source: SourceRef;
}

/** One error per object rendered by two or more different apps (by `id`, Argo CD's name for the app).
 * Entries with the same id are one app: a multi-source app whose sources both render an object is the
 * app's own duplicate (Argo CD keeps the last copy, `NormalizeTargetObjects`), tracked by one app, and
 * not a fight between apps. One pass over every object into a map: linear in the objects. */
export function crossAppCollisions(apps: readonly CiApp[]): Finding[] {
  const byObject = new Map<string, Map<string, Holder>>();
  for (const app of apps) {
    for (const o of app.objects) {
      const key = `${clusterKey(app)}\u0000${o.ref}`;
      let holders = byObject.get(key);
      if (!holders) byObject.set(key, (holders = new Map()));
      // The first place per app: a second copy inside one app is that app's duplicate-object.
      if (!holders.has(app.id)) holders.set(app.id, { app, source: { file: o.file, line: o.line } });
    }
  }
  const out: Array<{ key: string; finding: Finding }> = [];
  for (const [key, holders] of byObject) {
    if (holders.size < 2) continue;
    const list = [...holders.values()].sort((a, b) => byCodeUnit(a.app.id, b.app.id));
    const ref = key.slice(key.indexOf('\u0000') + 1);
    const named = list
      .slice(0, MAX_NAMED_APPS)
      .map((h) => `${h.app.id} (${h.source.file}:${h.source.line})`)
      .join(', ');
    const more = list.length > MAX_NAMED_APPS ? ` and ${list.length - MAX_NAMED_APPS} more` : '';
    out.push({
      key,
      finding: {
        rule: 'cross-app-collision',
        severity: 'error',
        object: displayObjectRef(ref),
        sources: list.slice(0, MAX_SOURCES).map((h) => h.source),
        message:
          `rendered by ${list.length} apps: ${named}${more}; Argo CD tracks an object for one app only, so each ` +
          `sync takes it over from the other (SharedResourceWarning) and the app that stops rendering it prunes it`,
        fix:
          'keep the object in exactly one app: delete it from the others, or give each copy its own name ' +
          '(check for a copy-paste, a mistyped name or namespace, or two apps pointed at one path)',
      },
    });
  }
  return out.sort((a, b) => byCodeUnit(a.key, b.key)).map((x) => x.finding);
}

/** The InfluxData case outside any render (review of issue 11): one Application name defined by two
 * documents of one folder (two files, or one file twice), which a directory app, `kubectl apply -f` or
 * an `argocd app create -f` applies together. Argo CD keeps one Application of a name: the definitions
 * overwrite each other and the app's objects follow whichever was applied last (the others are pruned).
 * No render holds both, so duplicate-object and the collision above cannot see it. Only apps found in
 * files (no parent, no ApplicationSet) are compared, and a document without a repoURL is left out (a
 * kustomize patch of an Application, not one). Definitions in different folders may be meant for
 * different Argo CD instances (one folder per cluster), so they are not compared. */
export function duplicateApplications(apps: readonly CiApp[]): Finding[] {
  const byFolder = new Map<string, Map<string, CiApp>>();
  for (const app of apps) {
    if (app.parent !== undefined || app.appSet !== undefined) continue;
    if (app.skipped?.includes('(no repoURL)')) continue;
    const file = app.definedIn.file;
    const key = `${app.id}\u0000${file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.'}`;
    let places = byFolder.get(key);
    if (!places) byFolder.set(key, (places = new Map()));
    const place = `${file}:${app.definedIn.line}`;
    if (!places.has(place)) places.set(place, app);
  }
  const out: Array<{ key: string; finding: Finding }> = [];
  for (const [key, places] of byFolder) {
    if (places.size < 2) continue;
    const list = [...places.entries()].sort(([a], [b]) => byCodeUnit(a, b));
    const id = key.slice(0, key.indexOf('\u0000'));
    out.push({
      key,
      finding: {
        rule: 'cross-app-collision',
        severity: 'error',
        object: `argoproj.io/Application ${id}`,
        sources: list.slice(0, MAX_SOURCES).map(([, a]) => ({ ...a.definedIn })),
        message:
          `the Application is defined ${list.length} times in one folder: ${list
            .slice(0, MAX_NAMED_APPS)
            .map(([p]) => p)
            .join(', ')}${list.length > MAX_NAMED_APPS ? ` and ${list.length - MAX_NAMED_APPS} more` : ''}; ` +
          'Argo CD keeps one Application of a name, so whichever is applied last wins and prunes what the other deployed',
        fix: 'keep one definition: give each Application its own name (check for a copy-paste or a mistyped name), or delete the extra copy',
      },
    });
  }
  return out.sort((a, b) => byCodeUnit(a.key, b.key)).map((x) => x.finding);
}
