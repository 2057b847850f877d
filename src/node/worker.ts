/**
 * Worker thread entry of the summary pool (`SummaryPool` in workers.ts) (built to `dist/worker.js` and
 * `dist/worker.cjs`): receives one file's bytes at a time, parses and
 * summarises them, and posts back the summaries only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { describeFailure, summarizeFileBytes, type WorkerReady, type WorkerReply, type WorkerStartData, type WorkerTask } from './workers.js';

const port = parentPort;
if (port !== null) {
  const { analysis } = workerData as WorkerStartData;
  port.on('message', (task: WorkerTask) => {
    summarizeFileBytes(task.bytes, task.parse, analysis).then(
      ({ summaries, threadId }) => {
        const reply: WorkerReply = { taskId: task.taskId, ok: true, summaries, threadId };
        port.postMessage(reply);
      },
      (error: unknown) => {
        const reply: WorkerReply = { taskId: task.taskId, ok: false, ...describeFailure(error, task.parse.fileName) };
        port.postMessage(reply);
      },
    );
  });
  const ready: WorkerReady = { ready: true };
  port.postMessage(ready);
}
