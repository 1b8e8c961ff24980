/**
 * A fake Telegram Bot API for end-to-end tests of Reins' bot: real long polling, Telegram's
 * flood limits and 400s, HTML entity parsing, forum topics, files, and fault injection.
 */
export {
  FakeBotApi,
  startFakeBotApi,
  type BotMessageView,
  type FakeBotApiOptions,
} from './fake-bot-api.ts';
export { ManualClock } from './clock.ts';
export {
  FakeBotApiUsageError,
  TELEGRAM_ERRORS,
  tooManyRequests,
} from './errors.ts';
export { parseTelegramHtml } from './html-entities.ts';
export type { CallRecord } from './server.ts';
