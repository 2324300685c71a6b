// What `split` reads (issue 13): a file, a folder of manifests (recursive, .yaml/.yml/.json, hidden
// entries skipped, symlinks only inside the folder), or standard input; each document with the text
// it will be written as. YAML documents keep their own text (parse/document-texts.ts); JSON values and
// List items, which have no YAML text of their own, are written as YAML. Every file goes through the
// guarded reader and the parser's bounds, and a parse error is the parser's message with file:line.
import { readSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isPlainObject, type ParsedDoc, type SourceFile } from '../model/object';
import { parseManifests } from '../parse/parse-manifests';
import { documentTexts, jsonValueTexts } from '../parse/document-texts';
import { checkDocumentCount, MAX_DOCUMENTS, MAX_TOTAL_BYTES } from '../render/limits';
import { listFiles, readSources } from '../render/read-tree';
import { toYaml } from '../emit/streams';
import { RenderFailure, UsageError } from '../util/errors';
import { readRepoFile } from '../util/repo-file';
import { byCodeUnit } from '../util/compare';

export const STDIN_NAME = '<stdin>';
const MANIFEST_EXT = /\.(ya?ml|json)$/i;

export interface SplitDoc extends ParsedDoc {
  /** What the object's file will hold. */
  content: string;
}

export interface InputFiles {
  files: SourceFile[];
  /** The folder or file read, resolved; undefined for stdin. */
  abs?: string;
  isDir: boolean;
}

/** Standard input as strict UTF-8 (a leading BOM dropped, as for files), bounded like a whole render. */
function readStdin(): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1024 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking pipe with nothing in it yet: wait a little instead of spinning.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      throw new RenderFailure(`cannot read standard input (${code ?? 'error'})`, STDIN_NAME);
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_TOTAL_BYTES)
      throw new RenderFailure(
        `standard input is over ${MAX_TOTAL_BYTES / 1048576} MiB, Argo CD's default limit for one render`,
        STDIN_NAME,
        'split it in parts',
      );
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total));
  } catch {
    throw new RenderFailure('standard input is not UTF-8 text (binary?)', STDIN_NAME);
  }
  if (text.includes('\0')) throw new RenderFailure('standard input contains NUL bytes (binary?)', STDIN_NAME);
  return text;
}

export function readInput(arg: string, cwd: string): InputFiles {
  if (arg === '-') return { files: [{ path: STDIN_NAME, text: readStdin() }], isDir: false };
  const abs = resolve(cwd, arg);
  let st;
  try {
    st = statSync(abs);
  } catch (e) {
    throw new UsageError(`cannot read ${arg}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  // The path the user typed is theirs (links followed); what is found inside a folder is input and
  // must stay inside it.
  const real = realpathSync(abs);
  if (st.isDirectory()) {
    const shown = arg.replace(/\/+$/, '') || '/';
    const rels = listFiles(real, real, true)
      .filter((p) => MANIFEST_EXT.test(p))
      .sort(byCodeUnit);
    return { files: readSources(real, rels, shown, real), abs: real, isDir: true };
  }
  const text = readRepoFile(dirname(real), real, {
    shown: arg,
    kind: 'manifest',
    maxBytes: MAX_TOTAL_BYTES,
    fix: 'give a manifest file (YAML or JSON), or pipe the manifests to standard input with -',
  });
  return { files: [{ path: arg, text }], abs: real, isDir: false };
}

/** A JSON stream: its first character opens an object or a list and it reads as a sequence of them. */
function asJsonStream(f: SourceFile): Array<{ text: string; line: number }> | undefined {
  const first = /\S/.exec(f.text)?.[0];
  return first === '{' || first === '[' ? jsonValueTexts(f.text) : undefined;
}

/** Every document of the input in order, with the text of its file; throws the parser's refusals. */
export function splitDocuments(files: readonly SourceFile[]): SplitDoc[] {
  checkDocumentCount(files);
  // One parse for the whole input, so the parser's bounds (aliases, objects) count across all of it.
  // A JSON value becomes a text of its own, under a name mapped back to its file and first line.
  const toParse: SourceFile[] = [];
  const jsonOf = new Map<string, { file: string; line: number }>();
  const yamlTexts = new Map<string, ReturnType<typeof documentTexts>>();
  let values = 0;
  for (const f of files) {
    const json = asJsonStream(f);
    if (json) {
      values += json.length;
      if (values > MAX_DOCUMENTS)
        throw new RenderFailure(`the input has more than ${MAX_DOCUMENTS} JSON values`, f.path, 'split it in parts');
      json.forEach((v, i) => {
        const key = `${f.path}\0${i}`;
        jsonOf.set(key, { file: f.path, line: v.line });
        toParse.push({ path: key, text: v.text });
      });
    } else {
      yamlTexts.set(f.path, documentTexts(f.text));
      toParse.push(f);
    }
  }
  let docs: ParsedDoc[];
  try {
    docs = parseManifests(toParse);
  } catch (e) {
    throw e instanceof RenderFailure ? inFile(e, jsonOf) : e;
  }
  const out: SplitDoc[] = [];
  const cursor = new Map<string, number>();
  for (const d of docs) {
    const json = jsonOf.get(d.source.file);
    if (json) {
      out.push({
        value: d.value,
        source: { file: json.file, line: json.line + d.source.line - 1 },
        content: toYaml(d.value),
      });
      continue;
    }
    if (d.fromList) {
      out.push({ ...d, content: toYaml(d.value) });
      continue;
    }
    // Documents come in file order, so each file's texts are walked once.
    const texts = yamlTexts.get(d.source.file)!;
    let k = cursor.get(d.source.file) ?? 0;
    while (k < texts.length && texts[k]!.endLine < d.source.line) k++;
    cursor.set(d.source.file, k);
    const t = texts[k];
    if (!t || t.startLine > d.source.line)
      throw new RenderFailure(
        'internal: a parsed document has no text of its own',
        `${d.source.file}:${d.source.line}`,
      );
    out.push({ ...d, content: t.text });
  }
  return out;
}

/** A parse error inside a JSON value, moved back to its file and line. */
function inFile(e: RenderFailure, jsonOf: ReadonlyMap<string, { file: string; line: number }>): RenderFailure {
  const m = e.where ? /^(.*):(\d+)$/s.exec(e.where) : null;
  const json = m ? jsonOf.get(m[1]!) : undefined;
  if (!m || !json) return e;
  const line = json.line + Number(m[2]) - 1;
  const message = e.message.replace(/\bline (\d+)/, (_, n: string) => `line ${json.line + Number(n) - 1}`);
  return new RenderFailure(message, `${json.file}:${line}`, e.fix);
}

/** What `split` counts as a Kubernetes object: a mapping with apiVersion, kind and a name (or a
 * generateName), which is what kubectl-slice's --skip-non-k8s checks too. The API server's finer
 * rules (invalid-object) are for render; split only moves text. */
export function notAnObject(value: unknown): string | undefined {
  if (!isPlainObject(value)) return `is ${Array.isArray(value) ? 'a list' : 'a scalar'}, not an object`;
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') return 'has no apiVersion';
  if (typeof value.kind !== 'string' || value.kind === '') return 'has no kind';
  const meta = value.metadata;
  if (!isPlainObject(meta)) return 'has no metadata';
  const named =
    (typeof meta.name === 'string' && meta.name !== '') ||
    (meta.name === undefined && typeof meta.generateName === 'string' && meta.generateName !== '');
  return named ? undefined : 'has no metadata.name';
}
