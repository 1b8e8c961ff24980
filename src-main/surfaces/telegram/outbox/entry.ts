/** Internal records of the outbox: queued operations, per-message chains, per-chat lanes. */
import type { OutboxError } from './errors.ts';
import type { SlidingWindowLimiter } from './rate-limit.ts';
import type { ChatId, ChatType, OutboxReply, Priority } from './types.ts';

/** Lower is more urgent. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = {
  callback: 0,
  approval: 1,
  approval_update: 2,
  normal: 3,
  status: 4,
};

/** One queued or in-flight operation and the promise waiting for it. */
export interface Entry {
  readonly method: string;
  params: Record<string, unknown>;
  readonly lane: Lane;
  /** The message chain it belongs to; null for operations not on an existing message. */
  slot: MessageSlot | null;
  /** Queue position for fairness; a coalesced edit keeps the oldest one. */
  order: number;
  rank: number;
  final: boolean;
  critical: boolean;
  /** The ref this call's resulting message gets. */
  readonly ref: string | null;
  attempts: number;
  /** Network / 5xx failures so far (429s do not count). */
  failures: number;
  /** Backoff for operations without a chat (chat operations block their lane instead). */
  notBefore: number;
  inFlight: boolean;
  resolve: (reply: OutboxReply) => void;
  reject: (err: OutboxError) => void;
}

/**
 * Operations on one existing message, delivered strictly in order: only the head may be in
 * flight. Keyed `m:<id>` once the message id is known, `r:<ref>` while its send is pending.
 */
export interface MessageSlot {
  messageId: number | null;
  readonly chain: Entry[];
  /** When the last edit of this message went out, for the edit interval. */
  lastEditAt: number | null;
}

/** A chat's queue and pacing state; the lane with `chatId` null holds calls without a chat. */
export interface Lane {
  readonly key: string;
  readonly chatId: ChatId | null;
  type: ChatType | null;
  limiter: SlidingWindowLimiter | null;
  /** Set by 429 retry_after and by backoff after a network error. */
  blockedUntil: number;
  inFlight: number;
  /** Operations not on an existing message (sends), in arrival order. */
  readonly plain: Entry[];
  readonly slots: Map<string, MessageSlot>;
}

/** True for the edit methods that coalesce and obey the per-message edit interval. */
export function isEdit(method: string): boolean {
  return method.startsWith('editMessage');
}

/** The map key of a message's chain. */
export function slotKey(target: { messageId: number } | { ref: string }): string {
  return 'messageId' in target ? `m:${target.messageId}` : `r:${target.ref}`;
}
