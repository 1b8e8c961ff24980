/**
 * An in-process stand-in for the Bot API behind the outbox's `call`: it stores messages,
 * answers like Telegram (400 "message is not modified", "message to edit not found"), enforces
 * rate limits by answering 429 with retry_after, and records every call on the manual clock.
 * Errors are real grammY error classes; like grammY, a call ends when its signal aborts.
 */
import { GrammyError, HttpError } from 'grammy';
import type { ManualClock } from '../../../helpers/manual-clock.ts';

interface Window {
  readonly limit: number;
  readonly windowMs: number;
}

/** The limits the fake enforces (defaults: 1/s private, 20/min group, 30/s overall). */
export interface FakeLimits {
  readonly private: readonly Window[];
  readonly group: readonly Window[];
  readonly global: readonly Window[];
}

/** One call as Telegram received it. */
export interface ReceivedCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly at: number;
  readonly chat: string | null;
  /** 'ok', the error code answered, a thrown network error, or no answer at all. */
  readonly outcome: 'ok' | number | 'network' | 'hung';
}

/** Returns an error to throw instead of answering the call, or undefined to answer it. */
export type Fault = (method: string, params: Record<string, unknown>, index: number) => unknown;

interface StoredMessage {
  text: string;
  markup: string;
  readonly history: string[];
}

const DEFAULT_LIMITS: FakeLimits = {
  private: [{ limit: 1, windowMs: 1000 }],
  group: [{ limit: 20, windowMs: 60_000 }],
  global: [{ limit: 30, windowMs: 1000 }],
};

/** A Telegram-like error with error_code / description / parameters, as grammY throws it. */
export function apiError(method: string, code: number, description: string, retryAfter?: number): GrammyError {
  const parameters = retryAfter === undefined ? {} : { retry_after: retryAfter };
  return new GrammyError(`Call to '${method}' failed!`, { ok: false, error_code: code, description, parameters }, method, {});
}

/** A network failure as grammY throws it. */
export function networkError(method: string): HttpError {
  return new HttpError(`Network request for '${method}' failed!`, new Error('read ECONNRESET'));
}

/** Creates the fake; pass `fake.call` to `createOutbox`. */
export function fakeTelegram(clock: ManualClock, options: { latencyMs?: number; limits?: FakeLimits } = {}) {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const latencyMs = options.latencyMs ?? 0;
  const received: ReceivedCall[] = [];
  const accepted = new Map<string, number[]>();
  const chats = new Map<string, Map<number, StoredMessage>>();
  let nextMessageId = 100;
  let fault: Fault | null = null;
  let hang: Fault | null = null;
  let tooManyRequests = 0;

  const chatKey = (params: Record<string, unknown>): string | null => (params['chat_id'] === undefined ? null : String(params['chat_id']));

  /** The time from which a call is allowed under `windows` given accepted `stamps`, or null if allowed now. */
  const blockedUntil = (stamps: readonly number[], windows: readonly Window[], now: number): number | null => {
    let until: number | null = null;
    for (const w of windows) {
      const inWindow = stamps.filter((s) => s > now - w.windowMs);
      if (inWindow.length >= w.limit) {
        const at = (inWindow[inWindow.length - w.limit] ?? now) + w.windowMs;
        until = Math.max(until ?? 0, at);
      }
    }
    return until;
  };

  const longestWindowMs = Math.max(...[...limits.private, ...limits.group, ...limits.global].map((w) => w.windowMs));
  const keep = (key: string, stamps: number[], now: number): void => {
    stamps.push(now);
    while (stamps.length > 0 && (stamps[0] ?? now) <= now - longestWindowMs) stamps.shift();
    accepted.set(key, stamps);
  };

  const messageOf = (method: string, chat: string | null, params: Record<string, unknown>): StoredMessage => {
    const message = chat === null ? undefined : chats.get(chat)?.get(Number(params['message_id']));
    if (message === undefined) {
      throw apiError(method, 400, `Bad Request: message to ${method === 'deleteMessage' ? 'delete' : 'edit'} not found`);
    }
    return message;
  };

  const answer = (method: string, params: Record<string, unknown>, chat: string | null): unknown => {
    switch (method) {
      case 'sendMessage': {
        const text = String(params['text'] ?? '');
        if (text.length === 0) throw apiError(method, 400, 'Bad Request: message text is empty');
        if (text.length > 4096) throw apiError(method, 400, 'Bad Request: message is too long');
        nextMessageId += 1;
        const messages = chats.get(chat ?? '') ?? new Map<number, StoredMessage>();
        chats.set(chat ?? '', messages);
        messages.set(nextMessageId, { text, markup: JSON.stringify(params['reply_markup'] ?? null), history: [text] });
        return { message_id: nextMessageId, chat: { id: params['chat_id'] }, text };
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const message = messageOf(method, chat, params);
        const text = method === 'editMessageText' ? String(params['text'] ?? '') : message.text;
        const markup = JSON.stringify(params['reply_markup'] ?? null);
        if (text === message.text && markup === message.markup) {
          throw apiError(
            method,
            400,
            'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          );
        }
        message.text = text;
        message.markup = markup;
        message.history.push(text);
        return { message_id: params['message_id'], text };
      }
      case 'deleteMessage': {
        messageOf(method, chat, params);
        chats.get(chat ?? '')?.delete(Number(params['message_id']));
        return true;
      }
      default:
        return true;
    }
  };

  return {
    received,
    /** 429 answers given so far: a correct outbox never causes one. */
    tooManyRequests: () => tooManyRequests,
    /** Installs (or clears) a fault injector. */
    setFault(next: Fault | null) {
      fault = next;
    },
    /** Calls for which `next` returns true get no answer until their signal aborts them. */
    setHang(next: Fault | null) {
      hang = next;
    },
    /** The current text of a message, or undefined when it does not exist. */
    text: (chatId: number | string, messageId: number) => chats.get(String(chatId))?.get(messageId)?.text,
    /** Every text a message has shown, in order. */
    history: (chatId: number | string, messageId: number) => chats.get(String(chatId))?.get(messageId)?.history ?? [],
    /** Message ids of a chat, in sending order. */
    messageIds: (chatId: number | string) => [...(chats.get(String(chatId))?.keys() ?? [])],
    /** Calls received for `method` (and chat). */
    calls: (method: string, chatId?: number | string) => received.filter((c) => c.method === method && (chatId === undefined || c.chat === String(chatId))),
    call: async (method: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> => {
      const now = clock.now();
      const chat = chatKey(params);
      const record = (outcome: ReceivedCall['outcome']): void => {
        received.push({ method, params, at: now, chat, outcome });
      };
      if (hang?.(method, params, received.length) === true) {
        record('hung');
        await clock.sleep(Number.MAX_SAFE_INTEGER, signal);
      }
      const injected = fault?.(method, params, received.length);
      if (injected !== undefined) {
        record(injected instanceof GrammyError ? injected.error_code : 'network');
        await clock.sleep(latencyMs, signal);
        throw injected;
      }
      const globalStamps = accepted.get('*') ?? [];
      const chatStamps = chat === null || method === 'answerCallbackQuery' ? null : (accepted.get(chat) ?? []);
      const chatWindows = chat !== null && Number(chat) > 0 ? limits.private : limits.group;
      const until = Math.max(blockedUntil(globalStamps, limits.global, now) ?? 0, chatStamps === null ? 0 : (blockedUntil(chatStamps, chatWindows, now) ?? 0));
      if (until > now) {
        tooManyRequests += 1;
        record(429);
        await clock.sleep(latencyMs, signal);
        const retryAfter = Math.ceil((until - now) / 1000);
        throw apiError(method, 429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
      }
      keep('*', globalStamps, now);
      if (chatStamps !== null && chat !== null) keep(chat, chatStamps, now);
      try {
        const result = answer(method, params, chat);
        record('ok');
        await clock.sleep(latencyMs, signal);
        return result;
      } catch (err) {
        record(err instanceof GrammyError ? err.error_code : 'network');
        await clock.sleep(latencyMs, signal);
        throw err;
      }
    },
  };
}

/** The fake's type, for helpers that take one. */
export type FakeTelegram = ReturnType<typeof fakeTelegram>;
