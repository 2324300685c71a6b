// Creating many new files on two threads (issue 13, Speed): at 10k files `render -o` spent a fifth of
// its time creating files one at a time while the second core idled. From WORKER_MIN files on, a
// worker thread creates the second half while this thread creates the first. Every file is created
// by createExclusive's call (O_CREAT|O_EXCL|O_NOFOLLOW: a new file only, never through a link), in
// folders the caller made, and written whole (writeFileSync on the descriptor loops over short writes).
// The promise settles only after the worker's thread has exited (its 'exit' event, which also comes
// when it dies, out of memory say), with the first error of either thread: nothing is still writing
// into a folder the caller then removes.
//
// The worker is a small script of its own (no bundle to load), fed strings only. Plain synchronous
// calls on each thread: 16 files in flight through libuv's pool, with a promise and a handle each,
// were slower than one at a time.
import { constants } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { createExclusive } from '../util/safe-write';

/** Below this a worker's start (some 20 ms) costs more than it saves. */
export const WORKER_MIN = 2000;

const FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

// stop[0] = 1 asks the worker to stop early: this thread's half has failed.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { paths, contents, flags, stop, port } = workerData;
let error;
try {
  for (let i = 0; i < paths.length && Atomics.load(stop, 0) === 0; i++) {
    const fd = fs.openSync(paths[i], flags, 0o666);
    try {
      fs.writeFileSync(fd, contents[i]);
    } finally {
      fs.closeSync(fd);
    }
  }
} catch (e) {
  error = { code: e && e.code, message: String(e && e.message) };
}
port.postMessage({ error });
`;

/** Creates `contents[i]` at `paths[i]` for every i; rejects with the first error (an Error with `code`). */
export async function writeNewFiles(paths: readonly string[], contents: readonly string[]): Promise<void> {
  if (paths.length < WORKER_MIN) {
    for (let i = 0; i < paths.length; i++) createExclusive(paths[i]!, contents[i]!);
    return;
  }
  const half = paths.length >> 1;
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { paths: paths.slice(half), contents: contents.slice(half), flags: FLAGS, stop, port: port2 },
    transferList: [port2],
  });
  let crashed: Error | undefined;
  const exited = new Promise<number>((resolve) => {
    worker.once('error', (e) => (crashed = e));
    worker.once('exit', resolve);
  });
  let mine: unknown;
  try {
    for (let i = 0; i < half; i++) createExclusive(paths[i]!, contents[i]!);
  } catch (e) {
    mine = e;
    Atomics.store(stop, 0, 1);
  }
  const code = await exited;
  const report = receiveMessageOnPort(port1)?.message as { error?: { code?: string; message: string } } | undefined;
  port1.close();
  if (mine !== undefined) throw mine;
  if (report?.error) throw Object.assign(new Error(report.error.message), { code: report.error.code });
  if (!report || code !== 0)
    throw new Error(
      `the second file-writing thread stopped (exit code ${code}${crashed ? `: ${crashed.message}` : ''})`,
    );
}
