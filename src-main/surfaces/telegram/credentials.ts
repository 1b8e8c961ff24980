/**
 * The bot token and the button signing key: where they come from and how they are created.
 * Both live in the secret store (OS keychain, or the 0600 file fallback); the token may be
 * overridden by `REINS_TELEGRAM_TOKEN`.
 */
import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../../core/secrets/index.ts';

/** Secret-store name of the bot token. */
export const BOT_TOKEN_SECRET = 'telegram.bot-token';
/** Secret-store name of the HMAC key that signs inline buttons. */
export const CALLBACK_KEY_SECRET = 'telegram.callback-key';
/** Environment variable that overrides the stored token. */
export const TOKEN_ENV = 'REINS_TELEGRAM_TOKEN';
/** Telegram's default Bot API root. */
const DEFAULT_API_ROOT = 'https://api.telegram.org';

/** A bot token and where it was found. */
export interface BotToken {
  readonly token: string;
  readonly source: 'env' | SecretStore['backend'];
}

/** A token that cannot be a Telegram bot token (`<bot id>:<secret>`). */
export class BotTokenFormatError extends Error {
  override readonly name = 'BotTokenFormatError';
  constructor() {
    super('That is not a Telegram bot token. Copy the whole token BotFather gave you: digits, a colon, then about 35 letters, digits, "_" or "-".');
  }
}

/** Throws {@link BotTokenFormatError} unless `token` looks like `123456:ABC-def…`. */
export function assertBotTokenShape(token: string): void {
  if (!/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/.test(token)) throw new BotTokenFormatError();
}

/** The bot token: `REINS_TELEGRAM_TOKEN` if set, else the stored one, else null. */
export async function resolveBotToken(env: NodeJS.ProcessEnv, secrets: SecretStore): Promise<BotToken | null> {
  const fromEnv = env[TOKEN_ENV]?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env' };
  const stored = await secrets.get(BOT_TOKEN_SECRET);
  return stored ? { token: stored, source: secrets.backend } : null;
}

/**
 * The button signing key, created (32 random bytes) and stored on first use. Deleting it from
 * the keychain invalidates every button already sent.
 */
export async function callbackKey(secrets: SecretStore): Promise<Buffer> {
  const stored = await secrets.get(CALLBACK_KEY_SECRET);
  if (stored) {
    const key = Buffer.from(stored, 'base64url');
    if (key.length >= 32) return key;
  }
  const key = randomBytes(32);
  await secrets.set(CALLBACK_KEY_SECRET, key.toString('base64url'));
  return key;
}

/** The Bot API root to use: configured (or `REINS_TELEGRAM_API_ROOT`, already merged into config) or Telegram's. */
export function apiRootOf(configured: string | undefined): string {
  return (configured ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
}
