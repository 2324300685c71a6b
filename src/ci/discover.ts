// Discovery (issue 11): every Argo CD Application and ApplicationSet the repository's files define.
// Every *.yaml, *.yml and *.json file is read through the guarded reader; a file that is not YAML, or
// holds no argoproj.io object, is skipped without a finding (helm templates, CI configs, package.json).
// Files under a helm chart's templates/ folder are not read as objects: they only mean something once
// helm renders them, which the app that renders the chart does (its Applications are then found in
// that render, app-of-apps). The work is bounded: entries walked, files read, bytes per file.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asObject, isPlainObject, type JsonObject } from '../model/object';
import { parseManifests } from '../parse/parse-manifests';
import { entryExists, readRepoFile } from '../util/repo-file';
import { UsageError } from '../util/errors';
import { byCodeUnit } from '../util/compare';
import type { Place } from './report-model';

/** Entries (files and folders) walked before discovery gives up: a CI job must not hang on a huge tree. */
export const MAX_DISCOVERY_ENTRIES = 500_000;
/** YAML/JSON files read. */
export const MAX_DISCOVERY_FILES = 100_000;
/** Bytes of one file: an Application is small; a bigger file is not read (and said so with --verbose). */
export const MAX_DISCOVERY_FILE_BYTES = 4 * 1024 * 1024;

export type ArgoKind = 'Application' | 'ApplicationSet';

export interface FoundObject {
  kind: ArgoKind;
  body: JsonObject;
  definedIn: Place;
}

export interface Discovery {
  objects: FoundObject[];
  /** Repo-relative files whose text names argoproj.io (helm templates included): an app whose source
   * holds one may render Applications (used to decide which apps a shard must render to find children). */
  argoFiles: string[];
  /** Files not read and why (size, unreadable), for --verbose. */
  notes: string[];
}

/** Whether a parsed document is an argoproj.io Application or ApplicationSet. */
export function argoKind(v: unknown): ArgoKind | undefined {
  if (!isPlainObject(v)) return undefined;
  const apiVersion = v.apiVersion;
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith('argoproj.io/')) return undefined;
  return v.kind === 'Application' || v.kind === 'ApplicationSet' ? v.kind : undefined;
}

const YAML_FILE = /\.(ya?ml|json)$/i;

export function discoverArgoObjects(repoRoot: string): Discovery {
  const objects: FoundObject[] = [];
  const argoFiles: string[] = [];
  const notes: string[] = [];
  let entries = 0;
  let files = 0;
  // An explicit stack, sorted, so the order (and the report) does not depend on the file system.
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    const abs = rel ? join(repoRoot, rel) : repoRoot;
    let names;
    try {
      names = readdirSync(abs, { withFileTypes: true });
    } catch {
      notes.push(`${rel || '.'}: folder cannot be listed`);
      continue;
    }
    const chartTemplates = rel !== '' && entryExists(join(abs, 'Chart.yaml'));
    const dirs: string[] = [];
    for (const ent of names.sort((a, b) => byCodeUnit(a.name, b.name))) {
      if (++entries > MAX_DISCOVERY_ENTRIES)
        throw new UsageError(
          `the repository has more than ${MAX_DISCOVERY_ENTRIES} files and folders; ci stops rather than check part of it`,
        );
      if (ent.name === '.git') continue;
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      // Symlinked folders are not followed (Argo CD's directory walk does not either); a symlinked
      // file is read through the guarded reader, which refuses one leading out of the repository.
      if (ent.isDirectory()) {
        if (!(chartTemplates && ent.name === 'templates')) dirs.push(r);
        else markTemplates(repoRoot, r, argoFiles, notes);
        continue;
      }
      if (!(ent.isFile() || ent.isSymbolicLink()) || !YAML_FILE.test(ent.name)) continue;
      if (++files > MAX_DISCOVERY_FILES)
        throw new UsageError(
          `the repository has more than ${MAX_DISCOVERY_FILES} YAML and JSON files; ci stops rather than check part of it`,
        );
      readOne(repoRoot, r, objects, argoFiles, notes);
    }
    for (const d of dirs.reverse()) stack.push(d);
  }
  return { objects, argoFiles, notes };
}

function readText(repoRoot: string, rel: string, notes: string[]): string | undefined {
  try {
    return readRepoFile(repoRoot, join(repoRoot, rel), {
      shown: rel,
      kind: 'manifest',
      maxBytes: MAX_DISCOVERY_FILE_BYTES,
    });
  } catch (e) {
    notes.push(`${rel}: not read: ${(e as Error).message}`);
    return undefined;
  }
}

/** Bytes of a file over MAX_DISCOVERY_FILE_BYTES read again only to tell whether it names argoproj. */
export const MAX_DISCOVERY_SCAN_BYTES = 64 * 1024 * 1024;

function readOne(repoRoot: string, rel: string, out: FoundObject[], argoFiles: string[], notes: string[]): void {
  const text = readText(repoRoot, rel, notes);
  // A file over the limit was skipped, yet Argo CD applies a big file like any other (a directory app,
  // `kubectl apply -f`): one that names argoproj (or cannot be scanned) may hold an Application ci
  // would never check, so ci stops rather than pass without it.
  if (text === undefined && /over the .* limit/.test(notes[notes.length - 1] ?? '')) {
    let big: string | undefined;
    try {
      big = readRepoFile(repoRoot, join(repoRoot, rel), {
        shown: rel,
        kind: 'manifest',
        maxBytes: MAX_DISCOVERY_SCAN_BYTES,
      });
    } catch {
      big = undefined;
    }
    if (big === undefined || big.includes('argoproj'))
      throw new UsageError(
        `${rel}: over the ${MAX_DISCOVERY_FILE_BYTES / 1024 / 1024} MiB ci reads to find Applications, and it may define some (it names argoproj or cannot be scanned); ci stops rather than check part of the repository. Split the file`,
      );
  }
  // Most files of a repository are not Argo CD objects: do not parse what cannot be one. A backslash
  // may be an escape that spells the group without its text (`"argoproj\x2eio/v1alpha1"` in YAML,
  // `"argoproj\u002eio"` in JSON): such a file is parsed too, or its Application would escape ci.
  if (text === undefined) return;
  const namesGroup = text.includes('argoproj.io');
  if (!namesGroup && !text.includes('\\')) return;
  let docs;
  try {
    // Duplicate keys: go-yaml v2 (sigs.k8s.io/yaml, which Argo CD and kubectl read files with) keeps
    // the last, so a file with one is still an Application wherever it is applied from.
    docs = parseManifests([{ path: rel, text }], { lastKeyWins: true });
  } catch {
    if (namesGroup) argoFiles.push(rel);
    return; // not YAML (or beyond the parser's bounds): not an Argo CD object we can read
  }
  if (namesGroup || docs.some((d) => argoKind(d.value))) argoFiles.push(rel);
  for (const d of docs) {
    const kind = argoKind(d.value);
    if (!kind) continue;
    const body = d.value as JsonObject;
    // A document whose name is not a string is a template of some kind (a `{{ }}` read as a map).
    if (typeof asObject(body.metadata).name !== 'string') continue;
    out.push({ kind, body, definedIn: { file: d.source.file, line: d.source.line } });
  }
}

/** A chart's templates: not read as objects, only remembered as mentioning argoproj.io. */
function markTemplates(repoRoot: string, rel: string, argoFiles: string[], notes: string[]): void {
  const stack = [rel];
  let n = 0;
  while (stack.length && n < 10_000) {
    const r = stack.pop()!;
    let names;
    try {
      names = readdirSync(join(repoRoot, r), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const ent of names) {
      if (++n >= 10_000) break;
      const p = `${r}/${ent.name}`;
      if (ent.isDirectory()) stack.push(p);
      else if (ent.isFile()) {
        const text = readText(repoRoot, p, notes);
        if (text?.includes('argoproj.io')) argoFiles.push(p);
      }
    }
  }
}
