import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discoverArgoObjects } from './discover';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'safe-render-discover-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const APP = (name: string) => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n`;

test('discovery: Applications and ApplicationSets of YAML and JSON files, with file and line, in a stable order', () => {
  const dir = repo({
    'b/apps.yaml': `# two apps\n${APP('one')}---\napiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: set\n`,
    'a/app.json': JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'j' } }),
    'a/other.yml': 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: p\n',
    'c/list.yaml': `apiVersion: v1\nkind: List\nitems:\n- apiVersion: argoproj.io/v1alpha1\n  kind: Application\n  metadata:\n    name: in-list\n`,
  });
  try {
    const d = discoverArgoObjects(dir);
    assert.deepEqual(
      d.objects.map((o) => [
        o.kind,
        String((o.body.metadata as { name: string }).name),
        o.definedIn.file,
        o.definedIn.line,
      ]),
      [
        ['Application', 'j', 'a/app.json', 1],
        ['Application', 'one', 'b/apps.yaml', 2],
        ['ApplicationSet', 'set', 'b/apps.yaml', 7],
        ['Application', 'in-list', 'c/list.yaml', 4],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('discovery skips silently: .git, chart templates, files that do not parse, templated names, other files', () => {
  const dir = repo({
    '.git/x.yaml': APP('in-git'),
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'chart/templates/app.yaml': APP('{{ .Values.name }}'),
    'broken.yaml': `${APP('x')}  : [\n`,
    'templated.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ x }}\n',
    'notes.txt': APP('txt'),
  });
  try {
    const d = discoverArgoObjects(dir);
    assert.deepEqual(d.objects, []);
    // The chart's template is remembered as mentioning argoproj.io (a shard renders its app to find children).
    assert.ok(d.argoFiles.includes('chart/templates/app.yaml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('discovery never reads through a symlink out of the repository, and says so with --verbose', () => {
  const outside = repo({ 'secret.yaml': APP('outside') });
  const dir = repo({});
  symlinkSync(join(outside, 'secret.yaml'), join(dir, 'link.yaml'));
  try {
    const d = discoverArgoObjects(dir);
    assert.deepEqual(d.objects, []);
    assert.match(d.notes.join('\n'), /^link\.yaml: not read: .*outside the repository/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});
