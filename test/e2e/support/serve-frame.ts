/**
 * Runs a real core for the frame's browser tests (test/e2e/frame.spec.ts), in its own Node process:
 * the daemon host with the real `claude` CLI against the fake Anthropic API, terminal sessions in
 * `/bin/sh`, and the Telegram bridge pointed at the fake Bot API with no token yet (the settings
 * screen sets it). A second project folder lets the sidebar show more than one.
 * Prints one JSON line `{ url, token, project, otherProject, botToken }`, then runs until stdin closes or SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeBotApi } from '../../fakes/bot-api/index.ts';
import { startHarness } from '../../helpers/core-harness.ts';

const bot = await startFakeBotApi();
const harness = await startHarness({ agents: { terminal: { bin: '/bin/sh' } }, telegram: { apiRoot: bot.url } });
const otherProject = join(harness.project, '..', 'website');
mkdirSync(otherProject, { recursive: true });
process.stdout.write(`${JSON.stringify({ url: harness.url, token: harness.token, project: harness.project, otherProject, botToken: bot.token })}\n`);

let closing = false;
const close = async (): Promise<void> => {
  if (closing) return;
  closing = true;
  await harness.close();
  await bot.close();
  process.exit(0);
};
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());
process.stdin.on('end', () => void close());
process.stdin.resume();
