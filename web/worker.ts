/**
 * The page's worker: takes one file's bytes at a time, parses and summarises
 * it, and posts back only the small summaries and chart extras (as the
 * command's workers do), so sample columns never reach the page.
 * Built into the page as text and started from a Blob URL.
 */
import { analyzeBytes, describeError, type WorkerReply, type WorkerRequest } from './analyze.js';

let start: Extract<WorkerRequest, { kind: 'init' }> | undefined;

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  const post = (reply: WorkerReply): void => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(reply);
  if (msg.kind === 'init') {
    start = msg;
    post({ kind: 'ready' });
    return;
  }
  const init = start;
  if (init === undefined) return;
  analyzeBytes(msg.bytes, msg.parse, init.analysis, init.extras).then(
    (result) => post({ kind: 'done', taskId: msg.taskId, ...result }),
    (error: unknown) => post({ kind: 'failed', taskId: msg.taskId, ...describeError(error, msg.parse.fileName) }),
  );
};
