// Creating many new files on two threads (issue 13, Speed): at 10k files `render -o` spends a fifth of
// its time creating files, one open/write/close at a time on the main thread while the second core
// idles. From WORKER_MIN files on, a worker thread creates the second half while this thread creates
// the first. Both use the same call as createExclusive (O_CREAT|O_EXCL|O_NOFOLLOW: a new file only,
// never through a link), in folders the caller made. The caller learns of the first error of either
// thread, and this returns only once the worker has stopped, so nothing is still writing into a folder
// the caller is about to remove.
//
// The worker is a small script of its own (no bundle to load: about 20 ms to start), fed strings only.
// The wait is Atomics.wait on a shared flag, not an event: the callers are synchronous.
import { constants } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { createExclusive } from '../util/safe-write';

/** Below this a worker's start (about 20 ms) costs more than it saves. */
export const WORKER_MIN = 2000;
/** A worker that has not finished by then is taken as lost (its process ran out of memory, say). */
const WORKER_TIMEOUT_MS = 10 * 60 * 1000;

const FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** A worker that has not started by then never will (a thread that could not be made). */
const START_TIMEOUT_MS = 30 * 1000;

// state[0]: 0 while the worker runs, 1 once it stopped; state[1]: 1 asks it to stop early; state[2]: 1
// once it started.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { paths, contents, flags, state, port } = workerData;
Atomics.store(state, 2, 1);
let error;
try {
  for (let i = 0; i < paths.length && Atomics.load(state, 1) === 0; i++) {
    const fd = fs.openSync(paths[i], flags, 0o666);
    try {
      fs.writeSync(fd, contents[i]);
    } finally {
      fs.closeSync(fd);
    }
  }
} catch (e) {
  error = { code: e && e.code, message: String(e && e.message) };
} finally {
  port.postMessage({ error });
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}
`;

/** Creates `contents[i]` at `paths[i]` for every i; throws the first error (an Error with `code`). */
export function writeNewFiles(paths: readonly string[], contents: readonly string[]): void {
  if (paths.length < WORKER_MIN) {
    for (let i = 0; i < paths.length; i++) createExclusive(paths[i]!, contents[i]!);
    return;
  }
  const half = paths.length >> 1;
  const state = new Int32Array(new SharedArrayBuffer(12));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { paths: paths.slice(half), contents: contents.slice(half), flags: FLAGS, state, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  let mine: unknown;
  try {
    for (let i = 0; i < half; i++) createExclusive(paths[i]!, contents[i]!);
  } catch (e) {
    mine = e;
    Atomics.store(state, 1, 1); // stop the worker: this write has failed
  }
  const finished = waitForWorker(state);
  const report = receiveMessageOnPort(port1)?.message as { error?: { code?: string; message: string } } | undefined;
  port1.close();
  void worker.terminate();
  if (mine !== undefined) throw mine;
  if (!finished) throw new Error('the second file-writing thread did not start or did not finish');
  if (report?.error) throw Object.assign(new Error(report.error.message), { code: report.error.code });
}

/** Whether the worker stopped: waits in one-second steps, giving up if it never started. */
function waitForWorker(state: Int32Array): boolean {
  const start = Date.now();
  while (Atomics.wait(state, 0, 0, 1000) === 'timed-out') {
    const waited = Date.now() - start;
    if (waited > WORKER_TIMEOUT_MS) return false;
    if (waited > START_TIMEOUT_MS && Atomics.load(state, 2) === 0) return false;
  }
  return true;
}
