/**
 * The bridge's only way to write to Telegram. Every text, caption, toast and button label goes
 * through the redactor here, once, so no view can forget it; every call then goes through the
 * outbox. Also builds signed inline buttons and splits text past Telegram's 4096 limit.
 */
import type { CallbackCodec, CallbackPayload } from './callback-codec.ts';
import { escapeHtml, redactHtml, splitTelegramHtml, telegramVisibleLength, type Redactor } from './format/index.ts';
import { tokenizeTelegramHtml } from './format/html-atoms.ts';
import { OutboxError, type EditOutcome, type MessageTarget, type Outbox, type Priority } from './outbox/index.ts';
import type { Place } from './state.ts';

/** One inline button: a label and what tapping it asks for. */
export interface ButtonSpec {
  readonly text: string;
  readonly payload: CallbackPayload;
}

/** Rows of inline buttons. */
export type Keyboard = readonly (readonly ButtonSpec[])[];

/** Options of a send. */
export interface WriteOptions {
  readonly keyboard?: Keyboard;
  readonly priority?: Priority;
  /** Local name of the message, for edits before its id is known and for `onSent`. */
  readonly ref?: string;
  readonly replyTo?: number;
  /** Sends without a notification sound (progress messages). */
  readonly silent?: boolean;
  /** Opens the reply field on the owner's phone, as a reply to this message (Telegram's ForceReply); not with `keyboard`. */
  readonly forceReply?: { readonly placeholder: string };
}

/** Options of an edit. */
export interface EditWriteOptions {
  /** The buttons after the edit; omitted removes them. */
  readonly keyboard?: Keyboard;
  readonly priority?: Priority;
  readonly final?: boolean;
}

/** Telegram's longest message, in visible characters. */
const MESSAGE_LIMIT = 4096;
/** Toasts longer than this are refused by Telegram. */
const TOAST_LIMIT = 200;

/**
 * Telegram's refusals of a send into a forum topic that is gone: deleted ("message thread not
 * found", "TOPIC_DELETED") or closed by the owner ("TOPIC_CLOSED"). Resending there cannot help.
 */
const TOPIC_GONE = /message thread not found|TOPIC_DELETED|TOPIC_CLOSED/i;

/**
 * Creates the writer over an outbox, a codec for buttons and the current redactor.
 * `onTopicGone` hears of every send Telegram refused because its forum topic is gone.
 */
export function createWriter(deps: {
  outbox: Outbox;
  codec: CallbackCodec;
  redactor: () => Redactor;
  onTopicGone?: (chatId: number, threadId: number) => void;
}) {
  const { outbox, codec } = deps;
  const clean = (html: string): string => redactHtml(html, deps.redactor());
  const markup = (keyboard: Keyboard | undefined, chatId: number): Record<string, unknown> =>
    keyboard === undefined || keyboard.length === 0
      ? {}
      : {
          reply_markup: {
            inline_keyboard: keyboard.map((row) =>
              row.map((b) => ({ text: plain(clean(escapeHtml(b.text))), callback_data: codec.encode(b.payload, chatId) })),
            ),
          },
        };
  const placeParams = (place: Place): Record<string, unknown> => (place.threadId === undefined ? {} : { message_thread_id: place.threadId });

  /** Retries a refused send/edit once as escaped plain text when Telegram could not parse the HTML. */
  const withPlainFallback = async <T>(html: string, attempt: (text: string) => Promise<T>): Promise<T> => {
    try {
      return await attempt(html);
    } catch (err) {
      if (!(err instanceof OutboxError) || err.reason !== 'rejected' || !/can't parse entities/i.test(err.description ?? '')) throw err;
      return attempt(escapeHtml(plain(html)));
    }
  };

  const writer = {
    /** Sends one message (HTML, at most 4096 visible characters; longer text is cut). */
    async send(place: Place, html: string, options: WriteOptions = {}): Promise<number> {
      const text = fit(clean(html));
      const extra = {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...placeParams(place),
        ...markup(options.keyboard, place.chatId),
        ...(options.replyTo === undefined ? {} : { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }),
        ...(options.silent ? { disable_notification: true } : {}),
        ...(options.forceReply ? { reply_markup: { force_reply: true, input_field_placeholder: options.forceReply.placeholder } } : {}),
      };
      const sendOptions = { ...(options.priority ? { priority: options.priority } : {}), ...(options.ref ? { ref: options.ref } : {}) };
      try {
        const sent = await withPlainFallback(text, (t) => outbox.sendMessage(place.chatId, t, extra, sendOptions));
        return sent.messageId;
      } catch (err) {
        if (place.threadId !== undefined && err instanceof OutboxError && err.reason === 'rejected' && TOPIC_GONE.test(err.description ?? '')) {
          deps.onTopicGone?.(place.chatId, place.threadId);
        }
        throw err;
      }
    },

    /**
     * Sends text of any length as consecutive messages, each under the limit with a "(k/n)"
     * marker; the keyboard goes on the last one. Returns the message ids in order.
     */
    sendLong(place: Place, html: string, options: WriteOptions = {}): Promise<number[]> {
      const parts = splitTelegramHtml(clean(html), MESSAGE_LIMIT);
      const { keyboard, ref, ...rest } = options;
      // Every part is queued before anything is awaited, so the outbox keeps them in order.
      return Promise.all(
        parts.map((part, k) => {
          const last = k === parts.length - 1;
          return writer.send(place, part, { ...rest, ...(last && keyboard ? { keyboard } : {}), ...(last && ref ? { ref } : {}) });
        }),
      );
    },

    /** Replaces the text and buttons of a message in chat `chatId` (buttons are signed for it). */
    edit(chatId: number, target: MessageTarget, html: string, options: EditWriteOptions = {}): Promise<EditOutcome> {
      const text = fit(clean(html));
      const keyboard = markup(options.keyboard, chatId);
      const editOptions = { ...(options.priority ? { priority: options.priority } : {}), ...(options.final ? { final: true } : {}) };
      return withPlainFallback(text, (t) =>
        outbox.editMessageText(target, t, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...keyboard }, editOptions),
      );
    },

    /** Answers a tap with a short toast, ahead of everything else. */
    toast(callbackQueryId: string, text: string): Promise<void> {
      return outbox.answerCallback(callbackQueryId, plain(clean(escapeHtml(text))).slice(0, TOAST_LIMIT));
    },

    /** Any other Bot API call (setMyCommands, createForumTopic, getFile…), through the outbox. */
    call: outbox.call.bind(outbox),
  };
  return writer;
}
/** The bridge's writer; see {@link createWriter}. */
export type Writer = ReturnType<typeof createWriter>;

/** The visible text of Telegram HTML. */
function plain(html: string): string {
  return tokenizeTelegramHtml(html)
    .map((a) => (a.kind === 'char' ? a.text : ''))
    .join('');
}

/** Keeps a single message under the limit: views are meant to fit, this is the safety net. */
function fit(html: string): string {
  if (telegramVisibleLength(html) <= MESSAGE_LIMIT) return html;
  return splitTelegramHtml(html, MESSAGE_LIMIT - 2)[0]?.replace(/\n<i>\(1\/\d+\)<\/i>$/, '\n…') ?? '';
}
