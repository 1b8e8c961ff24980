/**
 * Runs the fake Anthropic API standalone, for manual runs and benchmarks:
 * `node test/fakes/anthropic/main.ts --port 8787` prints the base URL, then serves until
 * SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFakeAnthropic } from './server.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be an integer 0-65535, got "${values.port}"\n`);
  process.exit(2);
}
const fake = await startFakeAnthropic({ port });
process.stdout.write(`${fake.url}\n`);
const stop = (): void => {
  void fake.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
