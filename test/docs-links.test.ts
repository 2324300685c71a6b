// Issue 14, "the README, for the two other places": no link points outside the repository. The
// threat model and the Argo CD contract live in docs/, in the project's own words, so a clone
// (or the published repository) carries every page its documents cite.
//
// The rule checked here, for README.md and every Markdown file under docs/:
// - a relative link (inline `[text](target)`, a reference `[id]: target`, an HTML `href`/`src`) must
//   resolve to a file or folder inside the repository that exists;
// - an absolute file path (`/work/...`) is never a link;
// - a code span naming a Markdown file by a path that leaves the repository (`../shared/docs/x.md`)
//   counts as a link too: it is how a page cites another;
// - http(s) links stay allowed: they cite upstream projects (Argo CD's issues and source, kustomize,
//   helm), which are not ours to copy.
// Fenced code blocks are skipped: commands and examples, not citations. A proposed README section
// (docs/development/<name>-readme.md) resolves from the repository root, as it will in README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ROOT } from './helpers';

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Markdown files under `dir`, repository-relative, sorted. */
function markdownUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...markdownUnder(rel));
    else if (e.isFile() && e.name.endsWith('.md')) out.push(rel);
  }
  return out.sort();
}

/** Every link target of a Markdown file, outside fenced code blocks. */
function linksOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): Link[] {
  const links: Link[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((text, i) => {
    const f = /^\s*(```|~~~)/.exec(text);
    if (f) {
      fence = fence === undefined ? f[1] : fence === f[1] ? undefined : fence;
      return;
    }
    if (fence !== undefined) return;
    const add = (target: string) => links.push({ file, line: i + 1, target });
    const code = [...text.matchAll(/`([^`]*)`/g)].map((m) => m[1]!);
    const prose = text.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) add(m[1]!);
    const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
    if (ref) add(ref[1]!);
    for (const m of prose.matchAll(/\b(?:href|src)\s*=\s*"([^"]+)"/g)) add(m[1]!);
    for (const c of code) if (/^(\.\.\/|\/)\S*\.md(#\S*)?$/.test(c)) add(c);
  });
  return links;
}

/** A helper's proposed README section (`docs/development/<name>-readme.md`, the common brief): its
 * links are written for README.md, so they resolve from the repository root, and what they point at
 * may arrive with another branch; they must still stay inside the repository. */
const README_DRAFT = /^docs\/development\/[^/]+-readme\.md$/;

/** Why `link` points outside the repository or at nothing, or undefined when it is fine. */
function problem(link: Link): string | undefined {
  const t = link.target;
  if (/^[a-z][a-z0-9+.-]*:/i.test(t)) return /^(https?|mailto):/i.test(t) ? undefined : `scheme ${t}`;
  if (t.startsWith('#')) return undefined;
  if (t.startsWith('/')) return 'an absolute path, outside any clone of the repository';
  const path = decodeURIComponent(t.replace(/[#?].*$/, ''));
  const draft = README_DRAFT.test(link.file);
  const abs = resolve(ROOT, draft ? '.' : dirname(link.file), path);
  const rel = relative(ROOT, abs);
  if (rel === '..' || rel.startsWith(`..${sep}`)) return `leaves the repository (${rel})`;
  if (!draft && !existsSync(abs)) return 'points at nothing in the repository';
  return undefined;
}

function report(bad: { link: Link; why: string }[]): string {
  return bad.map(({ link, why }) => `${link.file}:${link.line}: ${link.target}: ${why}`).join('\n');
}

function check(files: string[]): { link: Link; why: string }[] {
  const bad: { link: Link; why: string }[] = [];
  for (const f of files)
    for (const link of linksOf(f)) {
      const why = problem(link);
      if (why) bad.push({ link, why });
    }
  return bad;
}

test('the link checker finds what it must (inline, reference, HTML, code-span citations) and skips fences', () => {
  const found = linksOf(
    'docs/page.md',
    [
      'see [a](../x.md) and [b](docs/y.md "title"), `../../shared/docs/c.md`, `npm test`',
      '[ref]: ../ref.md',
      '<a href="../h.md">h</a>',
      '```sh',
      '[c](../z.md) `../../shared/docs/d.md`',
      '```',
    ].join('\n'),
  ).map((l) => `${l.line}:${l.target}`);
  assert.deepEqual(found, ['1:../x.md', '1:docs/y.md', '1:../../shared/docs/c.md', '2:../ref.md', '3:../h.md']);
  const at = (target: string) => problem({ file: 'docs/page.md', line: 1, target });
  assert.match(at('../../shared/docs/threat-model.md')!, /leaves the repository/);
  assert.match(at('/work/shared/docs/x.md')!, /absolute path/);
  assert.match(at('nowhere.md')!, /points at nothing/);
  assert.equal(at('threat-model.md#principles'), undefined);
  assert.equal(at('https://github.com/argoproj/argo-cd/issues/24004'), undefined);
  assert.equal(at('#a-heading'), undefined);
  // A proposed README section resolves from the root, and may name what another branch adds.
  const draft = (target: string) => problem({ file: 'docs/development/x-readme.md', line: 1, target });
  assert.equal(draft('docs/threat-model.md'), undefined);
  assert.equal(draft('docs/rules/not-yet-merged.md'), undefined);
  assert.match(draft('../shared/docs/threat-model.md')!, /leaves the repository/);
});

test('docs/: every Markdown link stays inside the repository and points at something', () => {
  const files = markdownUnder('docs');
  assert.ok(files.includes('docs/threat-model.md') && files.includes('docs/argocd-contract.md'));
  const bad = check(files);
  assert.equal(bad.length, 0, `links that leave the repository or point at nothing:\n${report(bad)}`);
});

test('README.md: every link stays inside the repository (the threat model and the contract are in docs/)', () => {
  const bad = check(['README.md']);
  assert.equal(
    bad.length,
    0,
    `README.md links outside the repository; use docs/threat-model.md and docs/argocd-contract.md:\n${report(bad)}`,
  );
});
