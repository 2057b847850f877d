/**
 * Worker entry of the summary pool (`SummaryPool` in workers.ts), built to
 * `dist/worker.js` and `dist/worker.cjs`. As a worker thread it takes its
 * start data from `workerData` and talks through `parentPort`; as a child
 * process (forked with an IPC channel) it says it is ready, takes the
 * `{ init }` message the parent answers with, talks through `process.send`,
 * and exits when the parent goes away. Either
 * way it receives one file's bytes at a time, parses and summarises them,
 * and posts back the summaries (and the small per-activity extras, when
 * asked for) only.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import {
  analyzeFileBytes,
  describeFailure,
  type WorkerInit,
  type WorkerReady,
  type WorkerReply,
  type WorkerStartData,
  type WorkerTask,
} from './workers.js';

/** Handles one task and answers through `post`; never throws. */
function handle(task: WorkerTask, start: WorkerStartData, workerId: number, post: (reply: WorkerReply) => void): void {
  analyzeFileBytes(task.bytes, task.parse, start.analysis, start.extras, undefined, task.meta).then(
    ({ summaries, extras }) => post({ taskId: task.taskId, ok: true, summaries, ...(extras !== undefined ? { extras } : {}), workerId }),
    (error: unknown) => post({ taskId: task.taskId, ok: false, ...describeFailure(error, task.parse.fileName) }),
  );
}

const ready: WorkerReady = { ready: true };
const port = parentPort;
if (port !== null) {
  const start = workerData as WorkerStartData;
  port.on('message', (task: WorkerTask) => handle(task, start, threadId, (reply) => port.postMessage(reply)));
  port.postMessage(ready);
} else if (typeof process.send === 'function') {
  const send = process.send.bind(process);
  let start: WorkerStartData | undefined;
  process.on('message', (msg: WorkerInit | WorkerTask) => {
    if ('init' in msg) {
      start = msg.init;
      return;
    }
    if (start !== undefined) handle(msg, start, process.pid, (reply) => send(reply));
  });
  process.on('disconnect', () => process.exit(0));
  // ready only once listening: a message sent to a child before it listens is lost
  send(ready);
}
