/**
 * Coalescing of operations on one message. Only the newest content of a message matters, so a
 * pending edit is replaced instead of queued twice; edits never overtake each other, so an
 * older text can never overwrite a newer one.
 */
import { isEdit, type Entry, type MessageSlot } from './entry.ts';

/** What adding an operation to a message chain did, for the outbox's counters. */
export interface ChainChange {
  /** The operation replaced a pending edit (whose promise resolved `superseded`). */
  readonly merged: boolean;
  /** Queued edits a delete made pointless (their promises resolved `superseded`). */
  readonly dropped: number;
}

/**
 * Adds `incoming` to its message's chain:
 * - an edit whose method matches the last, not yet sent, operation of the chain takes that
 *   operation's place: newest content, oldest queue position (so a busy message is not pushed
 *   back by its own updates), the more urgent priority, and final/critical if either was;
 * - a delete drops the queued (not in-flight) edits before it;
 * - anything else is appended.
 */
export function addToChain(slot: MessageSlot, incoming: Entry): ChainChange {
  const tail = slot.chain.at(-1);
  if (isEdit(incoming.method) && tail !== undefined && !tail.inFlight && tail.method === incoming.method) {
    tail.resolve({ status: 'superseded' });
    tail.params = incoming.params;
    tail.resolve = incoming.resolve;
    tail.reject = incoming.reject;
    inherit(tail, incoming);
    return { merged: true, dropped: 0 };
  }
  let dropped = 0;
  if (incoming.method === 'deleteMessage') {
    for (const entry of slot.chain.filter((e) => !e.inFlight && isEdit(e.method))) {
      slot.chain.splice(slot.chain.indexOf(entry), 1);
      entry.resolve({ status: 'superseded' });
      dropped += 1;
    }
  }
  slot.chain.push(incoming);
  return { merged: false, dropped };
}

/**
 * Called when an edit must be retried: if a newer edit with the same method already waits
 * behind it, the failed one is dropped (its promise resolves `superseded`) and the newer one
 * inherits its queue position, urgency and finality. Returns whether that happened.
 */
export function supersedeOnRetry(slot: MessageSlot, failed: Entry): boolean {
  if (!isEdit(failed.method)) return false;
  const index = slot.chain.indexOf(failed);
  const newer = slot.chain.find((e, i) => i > index && e.method === failed.method);
  if (newer === undefined) return false;
  slot.chain.splice(index, 1);
  inherit(newer, failed);
  failed.resolve({ status: 'superseded' });
  return true;
}

function inherit(keeper: Entry, other: Entry): void {
  keeper.order = Math.min(keeper.order, other.order);
  keeper.rank = Math.min(keeper.rank, other.rank);
  keeper.final ||= other.final;
  keeper.critical ||= other.critical;
}
