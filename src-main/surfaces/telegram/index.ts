/**
 * The Telegram bridge: the owner's phone as a surface of the core. Hosts create it with
 * {@link createTelegramService} after the core, `start()` it, and `stop()` it before the core.
 */
export { createTelegramService, type TelegramControl, type TelegramService, type TelegramStatus } from './service.ts';
export type { TelegramTuning } from './tuning.ts';
export type { PairingInfo } from './pairing.ts';
export {
  apiRootOf,
  assertBotTokenShape,
  BOT_TOKEN_SECRET,
  BotTokenFormatError,
  CALLBACK_KEY_SECRET,
  TOKEN_ENV,
} from './credentials.ts';
export { BOT_COMMANDS } from './features/commands.ts';
