/** Local names for messages: a ref given to a send resolves to the message id Telegram assigns. */
import type { ChatId } from './types.ts';

/** A ref whose send is queued or in flight, or whose message exists. */
export type RefState = { readonly state: 'pending'; readonly chatId: ChatId } | { readonly state: 'sent'; readonly chatId: ChatId; readonly messageId: number };

/**
 * Refs of pending sends and of sent messages. Sent refs are bounded to `capacity`, the oldest
 * forgotten first (callers persist message ids; a ref is a convenience for recent messages).
 */
export class RefTable {
  readonly #capacity: number;
  readonly #refs = new Map<string, RefState>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(ref: string): RefState | undefined {
    return this.#refs.get(ref);
  }

  /** A send under `ref` was queued; later targets by `ref` wait for it, not for an older message. */
  markPending(ref: string, chatId: ChatId): void {
    this.#refs.delete(ref);
    this.#refs.set(ref, { state: 'pending', chatId });
  }

  markSent(ref: string, chatId: ChatId, messageId: number): void {
    this.#refs.delete(ref);
    this.#refs.set(ref, { state: 'sent', chatId, messageId });
    let excess = this.#refs.size - this.#capacity;
    for (const [key, value] of this.#refs) {
      if (excess <= 0) break;
      if (value.state === 'sent') {
        this.#refs.delete(key);
        excess -= 1;
      }
    }
  }

  forget(ref: string): void {
    this.#refs.delete(ref);
  }
}
