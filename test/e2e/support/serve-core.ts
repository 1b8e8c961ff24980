/**
 * Runs a real core for the browser tests, in its own Node process (Node 24 runs this TypeScript directly):
 * the daemon host with the real `claude` CLI against the fake Anthropic API, serving the built renderer,
 * and its Telegram bridge polling the fake Bot API with a paired owner (the phone). Prints one JSON line
 * `{ url, token, project, home, phone }`, then runs until stdin closes or SIGTERM. `phone` is the base URL of a
 * small loopback control channel through which a spec acts as the owner's phone (see phone-channel.ts).
 */
import { startTelegramHarness } from '../../integration/telegram-harness.ts';
import { startPhoneChannel } from './phone-channel.ts';

const harness = await startTelegramHarness();
await harness.pair();
const phone = await startPhoneChannel(harness);
process.stdout.write(
  `${JSON.stringify({ url: harness.daemon.url, token: harness.daemon.token, project: harness.project, home: harness.home, phone: phone.url })}\n`,
);

let closing = false;
const close = async (): Promise<void> => {
  if (closing) return;
  closing = true;
  await phone.close();
  await harness.close();
  process.exit(0);
};
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());
process.stdin.on('end', () => void close());
process.stdin.resume();
