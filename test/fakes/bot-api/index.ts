/**
 * A fake Telegram Bot API for end-to-end tests of Reins' bot: real long polling, Telegram's
 * flood limits and 400s, HTML entity parsing, forum topics, files, and fault injection.
 */
export {
  FakeBotApi,
  startFakeBotApi,
  type BotMessageView,
  type CallbackQueryView,
  type FakeBotApiOptions,
  type RawHttpFault,
  type TopicView,
} from './fake-bot-api.ts';
export { ManualClock, systemClock, type Clock } from './clock.ts';
export {
  FakeBotApiTimeoutError,
  FakeBotApiUsageError,
  TELEGRAM_ERRORS,
  tooManyRequests,
  type ApiErrorBody,
} from './errors.ts';
export { EntityParseError, parseTelegramHtml, type ParsedText } from './html-entities.ts';
export { TELEGRAM_RATE_LIMITS, type RateLimitConfig, type RateLimitViolation } from './limits.ts';
export { KEYBOARD_LIMITS } from './keyboard.ts';
export { TEXT_LIMITS } from './text.ts';
export type { CallRecord } from './server.ts';
export type { GroupInit, UserInit } from './state.ts';
export type { TapOptions, UserMessageContent } from './user-actions.ts';
