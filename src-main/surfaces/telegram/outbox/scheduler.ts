/**
 * The outbox's queue: one lane per chat plus one for calls without a chat, and the choice of
 * which operation goes next. Pure bookkeeping on an injected `now`; no IO, no timers.
 *
 * Rules of the choice:
 * - a chat has at most one call in flight, so its operations reach Telegram in the order chosen;
 * - a chat's next call waits for its rate windows, its 429 / backoff block and, for an edit,
 *   the message's edit interval (final edits excepted); an operation on a message waits for the
 *   send that creates it and for the message's earlier operations;
 * - among operations that may go now, the most urgent goes first, then the one queued earliest;
 *   a message's chain is as urgent as its most urgent operation, so an outcome edit is never
 *   stuck behind a low-priority edit of the same card.
 */
import { isEdit, slotKey, type Entry, type Lane, type MessageSlot } from './entry.ts';
import { inferChatType, SlidingWindowLimiter } from './rate-limit.ts';
import type { ChatId, ChatType, OutboxLimits } from './types.ts';

/** Bot-wide conditions for starting a call now. */
export interface Gate {
  /** When the global rate windows and a global 429 block allow the next call. */
  readonly readyAt: number;
  /** Whether an operation of this rank may start given the calls in flight. */
  readonly canStart: (rank: number) => boolean;
}

/** The operation to dispatch now, or when to look again (null: only when something changes). */
export type Pick = { readonly entry: Entry; readonly wakeAt: null } | { readonly entry: null; readonly wakeAt: number | null };

/** Lanes, message chains and the pick of the next operation. */
export class OutboxQueue {
  readonly #limits: OutboxLimits;
  readonly #lanes = new Map<string, Lane>();
  readonly #chatTypes = new Map<string, ChatType>();
  readonly #chatless: Lane;
  #order = 0;

  constructor(limits: OutboxLimits) {
    this.#limits = limits;
    this.#chatless = newLane('*', null, null, null);
    this.#lanes.set(this.#chatless.key, this.#chatless);
  }

  /** A fresh queue position. */
  nextOrder(): number {
    this.#order += 1;
    return this.#order;
  }

  /** The lane of `chatId` (null: calls without a chat); `chatType` overrides the inferred type. */
  lane(chatId: ChatId | null, chatType?: ChatType): Lane {
    if (chatId === null) return this.#chatless;
    const key = `c:${String(chatId)}`;
    if (chatType !== undefined) this.#chatTypes.set(key, chatType);
    const type = this.#chatTypes.get(key) ?? inferChatType(chatId);
    const existing = this.#lanes.get(key);
    if (existing !== undefined) {
      if (existing.type !== type && existing.limiter !== null) {
        existing.type = type;
        existing.limiter = existing.limiter.reconfigure(this.#limits[type]);
      }
      return existing;
    }
    const lane = newLane(key, chatId, type, new SlidingWindowLimiter(this.#limits[type]));
    this.#lanes.set(key, lane);
    return lane;
  }

  /** The chain of a message in `lane`, created when missing. */
  slot(lane: Lane, target: { messageId: number } | { ref: string }): MessageSlot {
    const key = slotKey(target);
    let slot = lane.slots.get(key);
    if (slot === undefined) {
      slot = { messageId: 'messageId' in target ? target.messageId : null, chain: [], lastEditAt: null };
      lane.slots.set(key, slot);
    }
    return slot;
  }

  /** The chain waiting for `ref`'s message, if any. */
  refSlot(lane: Lane, ref: string): MessageSlot | undefined {
    return lane.slots.get(slotKey({ ref }));
  }

  /** The send of `ref` succeeded: its waiting chain now belongs to message `messageId`. */
  resolveRef(lane: Lane, ref: string, messageId: number): void {
    const pending = this.refSlot(lane, ref);
    if (pending === undefined) return;
    lane.slots.delete(slotKey({ ref }));
    const slot = this.slot(lane, { messageId });
    for (const entry of pending.chain) {
      entry.slot = slot;
      slot.chain.push(entry);
    }
  }

  /** The send of `ref` failed: removes its waiting chain and returns the operations in it. */
  dropRef(lane: Lane, ref: string): Entry[] {
    const pending = this.refSlot(lane, ref);
    if (pending === undefined) return [];
    lane.slots.delete(slotKey({ ref }));
    return pending.chain;
  }

  /** Adds an operation that is not on an existing message. */
  addPlain(entry: Entry): void {
    entry.lane.plain.push(entry);
  }

  /** Removes an operation (done, failed or superseded). */
  remove(entry: Entry): void {
    const list = entry.slot === null ? entry.lane.plain : entry.slot.chain;
    const index = list.indexOf(entry);
    if (index >= 0) list.splice(index, 1);
  }

  /** Every queued or in-flight operation. */
  *entries(): Generator<Entry> {
    for (const lane of this.#lanes.values()) {
      yield* lane.plain;
      for (const slot of lane.slots.values()) yield* slot.chain;
    }
  }

  /** Operations waiting to go out (not in flight). */
  depth(): number {
    let depth = 0;
    for (const entry of this.entries()) if (!entry.inFlight) depth += 1;
    return depth;
  }

  /** Chooses the operation to dispatch at `now`, or when to look again. Prunes idle lanes. */
  pick(now: number, gate: Gate): Pick {
    let best: Entry | null = null;
    let bestRank = Infinity;
    let wakeAt = Infinity;
    const consider = (entry: Entry, rank: number, readyAt: number): void => {
      if (!gate.canStart(rank)) return;
      const at = Math.max(readyAt, gate.readyAt);
      if (at > now) {
        wakeAt = Math.min(wakeAt, at);
      } else if (best === null || rank < bestRank || (rank === bestRank && entry.order < best.order)) {
        best = entry;
        bestRank = rank;
      }
    };

    for (const lane of this.#lanes.values()) {
      if (lane.chatId === null) {
        for (const entry of lane.plain) if (!entry.inFlight) consider(entry, entry.rank, entry.notBefore);
        continue;
      }
      this.#pruneSlots(lane, now);
      if (lane.inFlight > 0) continue;
      if (lane.plain.length === 0 && lane.slots.size === 0) {
        if (lane.blockedUntil <= now && (lane.limiter === null || lane.limiter.idle(now))) this.#lanes.delete(lane.key);
        continue;
      }
      const laneReadyAt = Math.max(lane.blockedUntil, lane.limiter?.nextAllowedAt(now) ?? now);
      const first = firstByUrgency(lane.plain);
      if (first !== undefined) consider(first, first.rank, laneReadyAt);
      for (const slot of lane.slots.values()) {
        const head = slot.chain[0];
        if (head === undefined || slot.messageId === null) continue;
        const rank = Math.min(...slot.chain.map((e) => e.rank));
        const editReadyAt = isEdit(head.method) && !head.final && slot.lastEditAt !== null ? slot.lastEditAt + this.#limits.editIntervalMs : now;
        consider(head, rank, Math.max(laneReadyAt, editReadyAt));
      }
    }
    if (best !== null) return { entry: best, wakeAt: null };
    return { entry: null, wakeAt: wakeAt === Infinity ? null : wakeAt };
  }

  /** Forgets empty message chains once their edit interval no longer matters. */
  #pruneSlots(lane: Lane, now: number): void {
    for (const [key, slot] of lane.slots) {
      if (slot.chain.length > 0) continue;
      if (slot.lastEditAt === null || slot.lastEditAt + this.#limits.editIntervalMs <= now) lane.slots.delete(key);
    }
  }
}

function newLane(key: string, chatId: ChatId | null, type: ChatType | null, limiter: SlidingWindowLimiter | null): Lane {
  return { key, chatId, type, limiter, blockedUntil: 0, inFlight: 0, plain: [], slots: new Map() };
}

function firstByUrgency(entries: readonly Entry[]): Entry | undefined {
  let first: Entry | undefined;
  for (const entry of entries) {
    if (first === undefined || entry.rank < first.rank || (entry.rank === first.rank && entry.order < first.order)) first = entry;
  }
  return first;
}
