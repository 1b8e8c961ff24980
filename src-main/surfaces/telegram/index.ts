/**
 * The Telegram bridge: the owner's phone as a surface of the core. Hosts create it with
 * {@link createTelegramService} after the core, `start()` it, and `stop()` it before the core.
 */
export { createTelegramService, TelegramPairingError, type TelegramControl, type TelegramService, type TelegramServiceDeps, type TelegramStatus } from './service.ts';
export { DEFAULT_TELEGRAM_TUNING, resolveTuning, type TelegramTuning } from './tuning.ts';
export { pairingLink, type PairingInfo } from './pairing.ts';
export {
  apiRootOf,
  assertBotTokenShape,
  BOT_TOKEN_SECRET,
  BotTokenFormatError,
  CALLBACK_KEY_SECRET,
  DEFAULT_API_ROOT,
  resolveBotToken,
  TOKEN_ENV,
  type BotToken,
} from './credentials.ts';
export { BOT_COMMANDS } from './features/commands.ts';
