/**
 * `reins telegram setup|pair|status`: store and verify the bot token, pair the phone through a
 * one-time deep link (also printed as a QR code), and show how the bridge is doing.
 */
import { createRequire } from 'node:module';
import { Api } from 'grammy';
import { homePaths } from '../../core/host/paths.ts';
import { loadConfig } from '../../core/host/config.ts';
import { secretStoreFor, type SecretStore } from '../../core/secrets/index.ts';
import { grammySignal } from '../../surfaces/telegram/grammy-signal.ts';
import {
  apiRootOf,
  assertBotTokenShape,
  BOT_TOKEN_SECRET,
  BotTokenFormatError,
  TOKEN_ENV,
  type PairingInfo,
  type TelegramStatus,
} from '../../surfaces/telegram/index.ts';
import { createApiClient, CliError } from '../client.ts';

/** Where the command reads and writes; injected so tests can drive it. */
export interface TelegramIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  sleep(ms: number): Promise<void>;
}

/** Opens the secret store the core uses for this data directory. */
function openCliSecrets(home: string, env: NodeJS.ProcessEnv, warn: (message: string) => void): Promise<SecretStore> {
  return secretStoreFor(home, env, warn);
}

/** `reins telegram setup [--token T]`: verifies the token with getMe, then stores it. */
export async function telegramSetupCommand(home: string, env: NodeJS.ProcessEnv, flagToken: string | undefined, io: TelegramIo): Promise<number> {
  const token = (flagToken ?? (await readToken(io))).trim();
  try {
    assertBotTokenShape(token);
  } catch (err) {
    if (err instanceof BotTokenFormatError) throw new CliError(err.message, 2);
    throw err;
  }
  const apiRoot = apiRootOf(loadConfig(homePaths(home).config, env).telegram.apiRoot);
  let me;
  try {
    me = await new Api(token, { apiRoot }).getMe(grammySignal(AbortSignal.timeout(15_000)));
  } catch (err) {
    const code = (err as { error_code?: unknown }).error_code;
    if (code === 401 || code === 404) throw new CliError('Telegram rejected this token. Copy it again from @BotFather (/mybots → your bot → API Token).');
    throw new CliError(`Could not reach the Telegram Bot API at ${apiRoot} to check the token (${(err as Error).message}). Check the network and try again.`);
  }
  const secrets = await openCliSecrets(home, env, (m) => io.stderr.write(`${m}\n`));
  await secrets.set(BOT_TOKEN_SECRET, token);
  const where = secrets.backend === 'keychain' ? 'the OS keychain' : `${home}/secrets.json (mode 0600)`;
  io.stdout.write(`✓ Bot @${me.username} (id ${me.id}) answers. Token stored in ${where}.\n`);
  if (env[TOKEN_ENV]) io.stdout.write(`! ${TOKEN_ENV} is set and overrides the stored token.\n`);
  io.stdout.write('Next: `reins telegram pair` (with the core running) to link your phone.\n');
  return 0;
}

/** `reins telegram pair`: prints the deep link and its QR code, then waits for the phone. */
export async function telegramPairCommand(home: string, wait: boolean, io: TelegramIo): Promise<number> {
  const api = createApiClient(home);
  const info = await api.post<PairingInfo>('/telegram/pair');
  const minutes = Math.round((info.expiresAt - Date.now()) / 60_000);
  io.stdout.write(`Open this link on your phone (valid for ${minutes} minutes, once):\n\n  ${info.link}\n\n`);
  io.stdout.write(`${await qrCode(info.link)}\n`);
  if (!wait) return 0;
  io.stdout.write('Waiting for you to press Start in Telegram…\n');
  for (;;) {
    const { status } = await api.get<{ status: TelegramStatus }>('/telegram/status');
    // The pending pairing disappears when it is used, or when it expires.
    if (status.pairingExpiresAt === null) {
      if (Date.now() < info.expiresAt && status.ownerId !== null) {
        io.stdout.write(`✓ Paired: Telegram user ${status.ownerId} now holds the reins.\n`);
        return 0;
      }
      throw new CliError('The pairing link expired before it was used. Run `reins telegram pair` again.');
    }
    await io.sleep(1000);
  }
}

/** `reins telegram status`. */
export async function telegramStatusCommand(home: string, io: TelegramIo): Promise<number> {
  const api = createApiClient(home);
  const { status } = await api.get<{ status: TelegramStatus }>('/telegram/status');
  const lines = [
    `State:    ${status.state}${status.error ? ` (${status.error})` : ''}`,
    `Bot:      ${status.bot ? `@${status.bot.username} (id ${status.bot.id})` : '—'}`,
    `Token:    ${status.tokenSource ?? 'not set: run `reins telegram setup`'}`,
    `Owner:    ${status.ownerId !== null ? `${status.ownerId} (${status.ownerSource})` : 'none: run `reins telegram pair`'}`,
    `Chat:     ${status.forumChatId !== null ? `forum group ${status.forumChatId} (a topic per session)` : 'the owner’s private chat'}`,
    `Bot API:  ${status.apiRoot}`,
  ];
  if (status.pairingExpiresAt !== null) lines.push(`Pairing:  open until ${new Date(status.pairingExpiresAt).toLocaleTimeString()}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return status.state === 'failed' ? 1 : 0;
}

async function readToken(io: TelegramIo): Promise<string> {
  if (io.stdin.isTTY) io.stderr.write('Paste the bot token from @BotFather and press Enter: ');
  let text = '';
  for await (const chunk of io.stdin as AsyncIterable<Buffer | string>) {
    text += String(chunk);
    if (io.stdin.isTTY && text.includes('\n')) break;
  }
  if (!text.trim()) throw new CliError('No token given. Pass --token TOKEN, or pipe it in: `echo TOKEN | reins telegram setup`.', 2);
  return text.split('\n')[0] ?? '';
}

/** The link as a QR code drawn with text characters. */
function qrCode(text: string): Promise<string> {
  // qrcode-terminal ships no types; this is the one function used.
  const qr = createRequire(import.meta.url)('qrcode-terminal') as { generate(text: string, opts: { small: boolean }, cb: (out: string) => void): void };
  return new Promise((resolve) => qr.generate(text, { small: true }, resolve));
}
