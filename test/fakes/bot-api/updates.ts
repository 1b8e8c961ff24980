import type { CallbackQuery, ChatMemberUpdated, Message, Update } from 'grammy/types';
import type { Clock } from './clock.ts';

/** Update types delivered when `allowed_updates` is empty or was never set (Telegram's default). */
const OPT_IN_ONLY = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** Telegram keeps undelivered updates for 24 hours. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

/** The parameters of one getUpdates call. */
export interface PollRequest {
  readonly offset: number | undefined;
  readonly limit: number | undefined;
  /** Seconds to hold the request open while there is nothing to deliver. */
  readonly timeout: number | undefined;
  readonly allowedUpdates: readonly string[] | undefined;
}

/** How a getUpdates call ended. */
export type PollOutcome =
  | { readonly kind: 'updates'; readonly updates: Update[] }
  /** A newer getUpdates took over: Telegram answers the older one with 409. */
  | { readonly kind: 'conflict' }
  /** The client went away before anything was sent. */
  | { readonly kind: 'aborted' };

interface Waiter {
  readonly limit: number;
  settle(outcome: PollOutcome): void;
}

interface Queued {
  readonly update: Update;
  readonly createdAt: number;
}

/** Update payload without its id: exactly one of the update kinds this fake produces. */
export type UpdatePayload = { readonly message: Message } | { readonly callback_query: CallbackQuery } | { readonly my_chat_member: ChatMemberUpdated };

/**
 * The bot's update queue with Telegram's getUpdates semantics: updates stay until a later call's
 * `offset` confirms them, a call with nothing to deliver is held for `timeout` seconds and woken
 * by the next update, and a new call ends the one still waiting with a conflict.
 */
export class UpdateQueue {
  private readonly clock: Clock;
  private readonly queue: Queued[] = [];
  private nextId: number;
  private allowed: ReadonlySet<string> | undefined;
  private waiter: Waiter | undefined;

  constructor(clock: Clock, firstUpdateId: number) {
    this.clock = clock;
    this.nextId = firstUpdateId;
  }

  /**
   * Queues an update, or drops it when the bot's `allowed_updates` exclude its type (Telegram
   * filters when the update is created, so a later change of the setting does not revive it).
   */
  push(payload: UpdatePayload): Update | undefined {
    const kind = Object.keys(payload)[0] ?? '';
    if (this.allowed === undefined ? OPT_IN_ONLY.has(kind) : !this.allowed.has(kind)) return undefined;
    const update = { update_id: this.nextId++, ...payload } as Update;
    this.queue.push({ update, createdAt: this.clock.now() });
    const waiter = this.waiter;
    if (waiter !== undefined) waiter.settle({ kind: 'updates', updates: this.head(waiter.limit) });
    return update;
  }

  /** Updates not yet confirmed by an offset, oldest first. */
  pending(): Update[] {
    return this.queue.map((q) => q.update);
  }

  /** Forgets every queued update (deleteWebhook / setWebhook with drop_pending_updates). */
  dropAll(): void {
    this.queue.length = 0;
  }

  /** Handles one getUpdates call; `signal` aborts it when the client disconnects. */
  poll(request: PollRequest, signal: AbortSignal): Promise<PollOutcome> {
    // Only one getUpdates may be open per bot: the newest wins, the older one gets 409.
    this.waiter?.settle({ kind: 'conflict' });
    if (request.allowedUpdates !== undefined) {
      this.allowed = request.allowedUpdates.length === 0 ? undefined : new Set(request.allowedUpdates);
    }
    this.confirm(request.offset);
    const limit = Math.min(Math.max(request.limit ?? 100, 1), 100);
    const ready = this.head(limit);
    const timeout = Math.max(request.timeout ?? 0, 0);
    if (ready.length > 0 || timeout === 0) return Promise.resolve({ kind: 'updates', updates: ready });
    return new Promise((resolve) => {
      const onAbort = (): void => waiter.settle({ kind: 'aborted' });
      const timer = setTimeout(() => waiter.settle({ kind: 'updates', updates: [] }), timeout * 1000);
      const waiter: Waiter = {
        limit,
        settle: (outcome) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (this.waiter === waiter) this.waiter = undefined;
          resolve(outcome);
        },
      };
      this.waiter = waiter;
      signal.addEventListener('abort', onAbort);
    });
  }

  /** Answers a held getUpdates with nothing, so shutdown does not wait for its timeout. */
  release(): void {
    this.waiter?.settle({ kind: 'updates', updates: [] });
  }

  private confirm(offset: number | undefined): void {
    const expired = this.clock.now() - RETENTION_MS;
    let keepFrom = this.queue.findIndex((q) => q.createdAt > expired);
    if (keepFrom < 0) keepFrom = this.queue.length;
    if (offset !== undefined && offset > 0) {
      const firstKept = this.queue.findIndex((q) => q.update.update_id >= offset);
      keepFrom = Math.max(keepFrom, firstKept < 0 ? this.queue.length : firstKept);
    } else if (offset !== undefined && offset < 0) {
      // A negative offset keeps only the last -offset updates and forgets the rest.
      keepFrom = Math.max(keepFrom, this.queue.length + offset);
    }
    this.queue.splice(0, keepFrom);
  }

  private head(limit: number): Update[] {
    return this.queue.slice(0, limit).map((q) => q.update);
  }
}
