// Worker thread of the hostile-input harness (harness.ts): parses one input at a
// time with the TypeScript sources (through tsx) and posts the judgement back.
// A worker can be terminated when a parse hangs; the test thread cannot.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { checkInput } = await import('./check.ts');

parentPort.on('message', async (message) => {
  const { id, input, options } = message;
  try {
    const outcome = await checkInput(input, options);
    parentPort.postMessage({ id, outcome });
  } catch (error) {
    parentPort.postMessage({
      id,
      outcome: { kind: 'error', code: 'HARNESS', violations: [`the check itself failed: ${error instanceof Error ? error.stack : String(error)}`] },
    });
  }
});
parentPort.postMessage({ ready: true });
