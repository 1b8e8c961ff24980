import { isDeepStrictEqual } from 'node:util';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { BotApiError, TELEGRAM_ERRORS, badRequest } from './errors.ts';
import { readReplyMarkup } from './keyboard.ts';
import type { MethodHandler } from './method.ts';
import type { StoredMessage } from './state.ts';
import { formatText, type FormattedText } from './text.ts';

/** A bot may delete messages up to 48 hours old. */
const DELETE_WINDOW_MS = 48 * 60 * 60 * 1000;

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/** Sending, editing and deleting text messages; answering callback queries; chat actions. */
export const messageMethods: Record<string, MethodHandler> = {
  sendMessage: (backend, { method, params }) => {
    const chat = backend.writableChat(params);
    const body = formatText(params, 'text', (id) => backend.state.user(id));
    const replyMarkup = readReplyMarkup(params, false);
    const message = backend.sendFromBot(method, params, chat, { body, media: undefined, replyMarkup });
    return backend.state.toJson(message);
  },

  editMessageText: (backend, { method, params }) => {
    const { chat, message } = backend.editableMessage(params);
    if (message.media !== undefined) throw badRequest('there is no text in the message to edit');
    const body = formatText(params, 'text', (id) => backend.state.user(id));
    // Omitting reply_markup in an edit removes the keyboard, exactly as on Telegram.
    const replyMarkup = readReplyMarkup(params, true);
    if (sameContent(message, body, replyMarkup)) throw new BotApiError(400, TELEGRAM_ERRORS.notModified);
    backend.flood(method, chat);
    applyEdit(message, body, replyMarkup, backend.clock.now());
    return backend.state.toJson(message);
  },

  editMessageReplyMarkup: (backend, { method, params }) => {
    const { chat, message } = backend.editableMessage(params);
    const replyMarkup = readReplyMarkup(params, true);
    if (sameContent(message, message.body, replyMarkup)) throw new BotApiError(400, TELEGRAM_ERRORS.notModified);
    backend.flood(method, chat);
    applyEdit(message, message.body, replyMarkup, backend.clock.now());
    return backend.state.toJson(message);
  },

  deleteMessage: (backend, { params }) => {
    const chat = backend.knownChat(params);
    const message = chat.messages.get(params.requiredInt('message_id', 'message identifier is not specified'));
    if (message === undefined || message.deleted) throw new BotApiError(400, TELEGRAM_ERRORS.messageToDeleteNotFound);
    // In groups only an administrator may delete other people's messages.
    if (!message.fromBot && chat.type !== 'private' && !chat.botIsAdmin) throw badRequest("message can't be deleted");
    if (backend.clock.now() - message.date > DELETE_WINDOW_MS) throw badRequest("message can't be deleted for everyone");
    message.deleted = true;
    return true;
  },

  answerCallbackQuery: (backend, { params }) => {
    const id = params.optionalString('callback_query_id') ?? '';
    const query = backend.callbackQueries.get(id);
    const expired = query !== undefined && backend.clock.now() - query.createdAt > backend.settings.callbackAnswerTimeoutMs;
    // Unknown, already answered and expired ids all get the same description from Telegram.
    if (query === undefined || query.answered || expired) throw new BotApiError(400, TELEGRAM_ERRORS.queryTooOld);
    if ([...(params.optionalString('text') ?? '')].length > 200) throw badRequest('MESSAGE_TOO_LONG');
    query.answered = true;
    return true;
  },

  sendChatAction: (backend, { params }) => {
    const chat = backend.writableChat(params);
    if (!CHAT_ACTIONS.has(params.optionalString('action') ?? '')) throw badRequest('wrong parameter action in request');
    backend.threadFor(chat, params, undefined);
    return true;
  },
};

/** Telegram refuses an edit that changes neither text, entities nor keyboard. */
function sameContent(message: StoredMessage, body: FormattedText | undefined, replyMarkup: InlineKeyboardMarkup | undefined): boolean {
  return (
    message.body?.text === body?.text &&
    isDeepStrictEqual(message.body?.entities ?? [], body?.entities ?? []) &&
    isDeepStrictEqual(message.replyMarkup, replyMarkup)
  );
}

function applyEdit(message: StoredMessage, body: FormattedText | undefined, replyMarkup: InlineKeyboardMarkup | undefined, now: number): void {
  message.body = body;
  message.replyMarkup = replyMarkup;
  message.editDate = now;
  message.editCount += 1;
}
