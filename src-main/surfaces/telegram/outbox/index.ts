/**
 * The Telegram outbox: every Bot API call of the bot goes through `createOutbox(...)`, which
 * paces per chat and globally, prioritises approvals over live status, coalesces edits,
 * honours 429 retry_after and retries network errors.
 */
export { createOutbox } from './outbox.ts';
export { classifyError, OutboxConfigError, OutboxError } from './errors.ts';
export { resolveLimits } from './limits.ts';
export { inferChatType, SlidingWindowLimiter } from './rate-limit.ts';
export type { RateWindow } from './rate-limit.ts';
export { backoffDelay } from './backoff.ts';
export type {
  EditOutcome,
  MessageTarget,
  Outbox,
  OutboxLimitsInput,
  OutboxLogger,
  OutboxSleep,
  OutboxStats,
  Priority,
} from './types.ts';
