/**
 * Runs a real core for the browser tests, in its own Node process (Node 24 runs this TypeScript directly):
 * the daemon host with the real `claude` CLI against the fake Anthropic API, serving the built renderer.
 * Prints one JSON line `{ url, token, project }`, then runs until stdin closes or SIGTERM.
 */
import { startHarness } from '../../helpers/core-harness.ts';

const harness = await startHarness();
process.stdout.write(`${JSON.stringify({ url: harness.url, token: harness.token, project: harness.project })}\n`);

let closing = false;
const close = async (): Promise<void> => {
  if (closing) return;
  closing = true;
  await harness.close();
  process.exit(0);
};
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());
process.stdin.on('end', () => void close());
process.stdin.resume();
