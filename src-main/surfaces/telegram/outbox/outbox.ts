/**
 * The Telegram outbox: the single path of every Bot API call, so that approval cards are never
 * lost, reordered or held back by live-status traffic and Telegram's limits are never passed.
 *
 * One loop picks the next operation (see scheduler.ts), dispatches it without waiting for it,
 * and sleeps on the injected clock until the next operation may go or something changes.
 */
import { backoffDelay } from './backoff.ts';
import { addToChain, supersedeOnRetry } from './coalesce.ts';
import { isEdit, PRIORITY_RANK, type Entry, type Lane, type MessageSlot } from './entry.ts';
import { CallTimeoutError, classifyError, OutboxError, type OutboxErrorInit } from './errors.ts';
import { resolveLimits } from './limits.ts';
import { SlidingWindowLimiter } from './rate-limit.ts';
import { messageIdOf, typedCalls } from './typed-calls.ts';
import { RefTable } from './refs.ts';
import { OutboxQueue, type Gate } from './scheduler.ts';
import type { ChatId, MessageTarget, Outbox, OutboxOp, OutboxOptions, OutboxReply, OutboxStats } from './types.ts';

/**
 * Creates the outbox and starts its loop. Every Bot API call of the bot must go through it;
 * `stop()` it when the bot stops. Calls in one chat reach Telegram one at a time, most urgent
 * first; edits of one message are coalesced and kept in order; 429s, network errors and
 * "message is not modified" are handled here, and only permanent refusals reach the caller
 * (as `OutboxError`).
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { call, clock, sleep, logger } = options;
  const limits = resolveLimits(options.limits);
  const random = options.random ?? Math.random;
  const queue = new OutboxQueue(limits);
  const refs = new RefTable(limits.refCapacity);
  const globalLimiter = new SlidingWindowLimiter(limits.global);
  /** Calls in flight, with the controller that aborts each. */
  const calls = new Map<Promise<void>, AbortController>();
  const counters = {
    callsByMethod: {} as Record<string, number>,
    callsByChat: {} as Record<string, number>,
    rateLimited: 0,
    notModified: 0,
    editsCoalesced: 0,
    editsSuperseded: 0,
    retries: 0,
    failed: 0,
  };
  let globalBlockedUntil = 0;
  let inFlight = 0;
  let stopDeadline: number | null = null;
  let stopPromise: Promise<void> | null = null;
  let wakeLoop: (() => void) | null = null;
  let drainWaiters: Array<() => void> = [];

  // Callback answers and approval cards may exceed maxInFlight: slow calls in other chats must
  // not hold them back.
  const canStart = (rank: number): boolean => rank <= PRIORITY_RANK.approval || inFlight < limits.maxInFlight;

  const loop = run().catch((err: unknown) => {
    logger.error({ err: String(err) }, 'telegram outbox loop failed; rejecting queued operations');
    stopDeadline = clock.now();
    rejectQueued(() => true);
    checkDrained();
  });

  async function run(): Promise<void> {
    for (;;) {
      const now = clock.now();
      if (stopDeadline !== null) {
        if (now >= stopDeadline) {
          rejectQueued(() => true);
          for (const controller of calls.values()) controller.abort();
        }
        if (inFlight === 0 && queue.depth() === 0) return;
      }
      const gate: Gate = { readyAt: Math.max(globalBlockedUntil, globalLimiter.nextAllowedAt(now)), canStart };
      const pick = queue.pick(now, gate);
      if (pick.entry !== null) {
        dispatch(pick.entry, now);
        continue;
      }
      let until = pick.wakeAt;
      if (stopDeadline !== null && now < stopDeadline) until = Math.min(until ?? Infinity, stopDeadline);
      await idle(now, until);
    }
  }

  /** Waits until `until` on the clock, or until `wake()`; cancels the sleep either way. */
  async function idle(now: number, until: number | null): Promise<void> {
    const controller = new AbortController();
    const woken = new Promise<void>((resolve) => {
      wakeLoop = resolve;
    });
    const waits: Array<Promise<unknown>> = [woken];
    if (until !== null) waits.push(sleep(Math.max(1, Math.ceil(until - now)), controller.signal).catch(() => undefined));
    try {
      await Promise.race(waits);
    } finally {
      wakeLoop = null;
      controller.abort();
    }
  }

  function wake(): void {
    const resume = wakeLoop;
    wakeLoop = null;
    resume?.();
  }

  function send(op: OutboxOp): Promise<OutboxReply> {
    return new Promise<OutboxReply>((resolve, reject) => {
      const refuse = (init: Omit<OutboxErrorInit, 'method'>): void => {
        counters.failed += 1;
        reject(new OutboxError({ method: op.method, ...init }));
      };
      const isCallback = op.method === 'answerCallbackQuery';
      const params = { ...op.params };
      // A chat_id / message_id passed in params instead of chatId / target still gets the
      // chat's pacing and the message's ordering: nothing may reach Telegram unpaced.
      const opChat = op.chatId ?? chatIdIn(params['chat_id']);
      const messageId = params['message_id'];
      const onMessage = isEdit(op.method) || op.method === 'deleteMessage';
      const opTarget = op.target ?? (onMessage && opChat !== null && typeof messageId === 'number' ? { chatId: opChat, messageId } : undefined);
      if (stopDeadline !== null) return refuse({ reason: 'stopped', chatId: opChat });

      let lane: Lane;
      let slot: MessageSlot | null = null;
      if (isCallback) {
        lane = queue.lane(null);
      } else if (opTarget !== undefined) {
        const target = locate(opTarget);
        if (target === null) {
          return refuse({ reason: 'unknown_ref', chatId: opChat, ref: 'ref' in opTarget ? opTarget.ref : null });
        }
        if (opChat !== null && String(opChat) !== String(target.chatId)) {
          return refuse({ reason: 'invalid', chatId: opChat, description: `chatId differs from the target's chat ${target.chatId}` });
        }
        lane = queue.lane(target.chatId, op.chatType);
        slot = queue.slot(lane, target.key);
      } else {
        lane = queue.lane(opChat, op.chatType);
      }

      if (op.ref !== undefined) {
        if (lane.chatId === null || slot !== null) {
          return refuse({ reason: 'invalid', chatId: opChat, description: 'a ref names a new message: give a chatId and no target' });
        }
        if (refs.get(op.ref)?.state === 'pending') {
          return refuse({ reason: 'invalid', chatId: opChat, description: `ref "${op.ref}" is already used by a send still queued` });
        }
        refs.markPending(op.ref, lane.chatId);
      }

      const rank = PRIORITY_RANK[isCallback ? 'callback' : (op.priority ?? 'normal')];
      const final = op.final === true;
      const entry: Entry = {
        method: op.method,
        params,
        lane,
        slot,
        order: queue.nextOrder(),
        rank,
        final,
        critical: op.critical ?? (rank === PRIORITY_RANK.approval || rank === PRIORITY_RANK.approval_update || final),
        ref: op.ref ?? null,
        attempts: 0,
        failures: 0,
        notBefore: 0,
        inFlight: false,
        resolve,
        reject,
      };
      if (slot === null) {
        queue.addPlain(entry);
      } else {
        const change = addToChain(slot, entry);
        if (change.merged) counters.editsCoalesced += 1;
        counters.editsSuperseded += change.dropped;
      }
      wake();
    });
  }

  function locate(target: MessageTarget): { chatId: ChatId; key: { messageId: number } | { ref: string } } | null {
    if ('messageId' in target) return { chatId: target.chatId, key: { messageId: target.messageId } };
    const state = refs.get(target.ref);
    if (state === undefined) return null;
    return state.state === 'sent' ? { chatId: state.chatId, key: { messageId: state.messageId } } : { chatId: state.chatId, key: { ref: target.ref } };
  }

  function dispatch(entry: Entry, now: number): void {
    const lane = entry.lane;
    entry.inFlight = true;
    entry.attempts += 1;
    lane.inFlight += 1;
    inFlight += 1;
    globalLimiter.record(now);
    lane.limiter?.record(now);
    if (entry.slot !== null && isEdit(entry.method)) entry.slot.lastEditAt = now;
    counters.callsByMethod[entry.method] = (counters.callsByMethod[entry.method] ?? 0) + 1;
    if (lane.chatId !== null) {
      const chat = String(lane.chatId);
      counters.callsByChat[chat] = (counters.callsByChat[chat] ?? 0) + 1;
    }
    logger.debug({ method: entry.method, chatId: lane.chatId, attempt: entry.attempts }, 'telegram call');

    const params: Record<string, unknown> = { ...entry.params };
    if (lane.chatId !== null) params['chat_id'] = lane.chatId;
    if (entry.slot?.messageId != null) params['message_id'] = entry.slot.messageId;

    const controller = new AbortController();
    const timer = new AbortController();
    // grammY waits up to 500 s for an answer by default; a call that hangs would hold its chat
    // (and an approval card queued there) that long, so it is aborted and retried sooner.
    const timeout = sleep(limits.callTimeoutMs, timer.signal).then(
      () => {
        controller.abort();
        throw new CallTimeoutError(entry.method, limits.callTimeoutMs);
      },
      () => new Promise<never>(() => undefined),
    );
    const attempt = new Promise<unknown>((resolve) => resolve(call(entry.method, params, controller.signal)));
    attempt.catch(() => undefined);
    const settled: Promise<void> = Promise.race([attempt, timeout])
      .then(
        (result) => {
          finish(entry);
          succeed(entry, { status: 'ok', result });
        },
        (err: unknown) => {
          finish(entry);
          failed(entry, err);
        },
      )
      .finally(() => {
        timer.abort();
        calls.delete(settled);
        wake();
        checkDrained();
      });
    calls.set(settled, controller);
  }

  function finish(entry: Entry): void {
    entry.inFlight = false;
    entry.lane.inFlight -= 1;
    inFlight -= 1;
  }

  function succeed(entry: Entry, reply: OutboxReply): void {
    queue.remove(entry);
    const chatId = entry.lane.chatId;
    if (entry.ref !== null && chatId !== null) {
      const messageId = reply.status === 'ok' ? messageIdOf(reply.result) : null;
      if (messageId === null) {
        failEntry(entry, outboxError(entry, { reason: 'invalid', description: "Telegram's answer has no message_id" }));
        return;
      }
      refs.markSent(entry.ref, chatId, messageId);
      queue.resolveRef(entry.lane, entry.ref, messageId);
      try {
        options.onSent?.(entry.ref, messageId, chatId);
      } catch (err) {
        logger.error({ ref: entry.ref, err: String(err) }, 'onSent hook threw');
      }
    }
    entry.resolve(reply);
  }

  function failed(entry: Entry, err: unknown): void {
    const lane = entry.lane;
    const outcome = classifyError(err, limits.fallbackRetryAfterS);
    const now = clock.now();
    const where = { method: entry.method, chatId: lane.chatId, attempt: entry.attempts };
    switch (outcome.kind) {
      case 'not_modified':
        counters.notModified += 1;
        succeed(entry, { status: 'not_modified' });
        return;
      case 'rate_limited': {
        counters.rateLimited += 1;
        const until = now + outcome.retryAfterS * 1000;
        // Telegram does not say which limit a 429 is for. A call in a chat most likely passed
        // that chat's limit, so only the chat waits; a call without a chat can only have
        // passed the bot-wide one.
        if (lane.chatId === null) globalBlockedUntil = Math.max(globalBlockedUntil, until);
        else lane.blockedUntil = Math.max(lane.blockedUntil, until);
        logger.warn({ ...where, retryAfterS: outcome.retryAfterS }, 'telegram rate limit; waiting retry_after');
        retry(entry, err);
        return;
      }
      case 'transient': {
        entry.failures += 1;
        if (!entry.critical && entry.failures >= limits.backoff.maxAttempts) {
          logger.warn({ ...where, errorCode: outcome.errorCode, description: outcome.description }, 'telegram call failed; giving up');
          failEntry(entry, outboxError(entry, { reason: 'gave_up', errorCode: outcome.errorCode, description: outcome.description, cause: err }));
          return;
        }
        // A network error after the request left may mean Telegram did act on it; a retried
        // send can then show twice, which beats an approval card that never arrives.
        const delay = backoffDelay(entry.failures, limits.backoff, random);
        if (lane.chatId === null) entry.notBefore = now + delay;
        else lane.blockedUntil = Math.max(lane.blockedUntil, now + delay);
        logger.warn({ ...where, errorCode: outcome.errorCode, description: outcome.description, delayMs: delay }, 'telegram call failed; retrying');
        retry(entry, err);
        return;
      }
      case 'fatal':
        logger.warn({ ...where, errorCode: outcome.errorCode, description: outcome.description }, 'telegram refused call');
        failEntry(
          entry,
          outboxError(entry, {
            reason: 'rejected',
            errorCode: outcome.errorCode,
            description: outcome.description,
            migrateToChatId: outcome.migrateToChatId,
            cause: err,
          }),
        );
    }
  }

  /** Leaves a failed operation queued for another attempt, unless stopping or superseded. */
  function retry(entry: Entry, cause: unknown): void {
    if (stopDeadline !== null && (!entry.final || clock.now() >= stopDeadline)) {
      failEntry(entry, outboxError(entry, { reason: 'stopped', cause }));
      return;
    }
    counters.retries += 1;
    if (entry.slot !== null && supersedeOnRetry(entry.slot, entry)) counters.editsCoalesced += 1;
  }

  function failEntry(entry: Entry, error: OutboxError): void {
    queue.remove(entry);
    counters.failed += 1;
    if (entry.ref !== null && entry.lane.chatId !== null) {
      refs.forget(entry.ref);
      for (const dependent of queue.dropRef(entry.lane, entry.ref)) {
        counters.failed += 1;
        const reason = error.reason === 'stopped' ? 'stopped' : 'unknown_ref';
        dependent.reject(outboxError(dependent, { reason, ref: entry.ref, cause: error }));
      }
    }
    entry.reject(error);
  }

  function outboxError(entry: Entry, init: Omit<OutboxErrorInit, 'method' | 'chatId' | 'attempts'>): OutboxError {
    return new OutboxError({ method: entry.method, chatId: entry.lane.chatId, attempts: entry.attempts, ...init });
  }

  function rejectQueued(which: (entry: Entry) => boolean): void {
    for (;;) {
      let next: Entry | undefined;
      for (const entry of queue.entries()) {
        if (!entry.inFlight && which(entry)) {
          next = entry;
          break;
        }
      }
      if (next === undefined) return;
      failEntry(next, outboxError(next, { reason: 'stopped' }));
    }
  }

  function checkDrained(): void {
    if (drainWaiters.length === 0 || inFlight > 0 || queue.depth() > 0) return;
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  return {
    ...typedCalls(send),
    stats(): OutboxStats {
      return {
        callsByMethod: { ...counters.callsByMethod },
        callsByChat: { ...counters.callsByChat },
        rateLimited: counters.rateLimited,
        notModified: counters.notModified,
        editsCoalesced: counters.editsCoalesced,
        editsSuperseded: counters.editsSuperseded,
        retries: counters.retries,
        failed: counters.failed,
        queueDepth: queue.depth(),
        inFlight,
      };
    },
    drain() {
      return new Promise<void>((resolve) => {
        drainWaiters.push(resolve);
        checkDrained();
      });
    },
    stop() {
      if (stopPromise !== null) return stopPromise;
      stopDeadline = clock.now() + limits.stopGraceMs;
      rejectQueued((entry) => !entry.final);
      checkDrained();
      wake();
      stopPromise = loop.then(() => Promise.allSettled([...calls.keys()])).then(() => checkDrained());
      return stopPromise;
    },
  };
}

function chatIdIn(value: unknown): ChatId | null {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}
