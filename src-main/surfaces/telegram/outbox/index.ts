/**
 * The Telegram outbox: every Bot API call of the bot goes through `createOutbox(...)`, which
 * paces per chat and globally, prioritises approvals over live status, coalesces edits,
 * honours 429 retry_after and retries network errors.
 */
export { createOutbox } from './outbox.ts';
export { CallTimeoutError, classifyError, OutboxConfigError, OutboxError, OUTBOX_ERROR_REASONS } from './errors.ts';
export type { OutboxErrorInit, OutboxErrorReason, TelegramErrorClass } from './errors.ts';
export { DEFAULT_OUTBOX_LIMITS, resolveLimits } from './limits.ts';
export { inferChatType, SlidingWindowLimiter } from './rate-limit.ts';
export type { RateWindow } from './rate-limit.ts';
export { backoffDelay } from './backoff.ts';
export type { BackoffConfig } from './backoff.ts';
export { CHAT_TYPES, PRIORITIES } from './types.ts';
export type {
  CallOptions,
  ChatId,
  ChatType,
  EditOptions,
  EditOutcome,
  MessageTarget,
  Outbox,
  OutboxClock,
  OutboxLimits,
  OutboxLimitsInput,
  OutboxLogger,
  OutboxOp,
  OutboxOptions,
  OutboxReply,
  OutboxSleep,
  OutboxStats,
  Priority,
  SendOptions,
  SentMessage,
  TelegramCall,
} from './types.ts';
