/** The typed Bot API helpers of the outbox, built on its generic `send`. */
import { OutboxError } from './errors.ts';
import type { CallOptions, EditOutcome, Outbox, OutboxOp, OutboxReply } from './types.ts';

/** The helper methods of {@link Outbox}: each builds one {@link OutboxOp} and reads the reply. */
export function typedCalls(
  send: (op: OutboxOp) => Promise<OutboxReply>,
): Pick<Outbox, 'send' | 'call' | 'sendMessage' | 'editMessageText' | 'editMessageReplyMarkup' | 'deleteMessage' | 'answerCallback'> {
  return {
    send,
    call: (method, params, options: CallOptions = {}) => send({ ...options, method, params }),
    async sendMessage(chatId, text, extra = {}, options = {}) {
      const reply = await send({ ...options, method: 'sendMessage', chatId, params: { ...extra, text } });
      const messageId = reply.status === 'ok' ? messageIdOf(reply.result) : null;
      if (messageId === null) {
        throw new OutboxError({ reason: 'invalid', method: 'sendMessage', chatId, description: "Telegram's answer has no message_id" });
      }
      return { messageId };
    },
    async editMessageText(target, text, extra = {}, options = {}) {
      return editOutcome(await send({ ...options, method: 'editMessageText', target, params: { ...extra, text } }));
    },
    async editMessageReplyMarkup(target, replyMarkup, options = {}) {
      // Without reply_markup, Telegram removes the inline keyboard.
      const params = replyMarkup === undefined ? {} : { reply_markup: replyMarkup };
      return editOutcome(await send({ ...options, method: 'editMessageReplyMarkup', target, params }));
    },
    async deleteMessage(target, options = {}) {
      await send({ ...options, method: 'deleteMessage', target });
    },
    async answerCallback(callbackQueryId, text, extra = {}) {
      const params = { ...extra, callback_query_id: callbackQueryId, ...(text === undefined ? {} : { text }) };
      await send({ method: 'answerCallbackQuery', params, priority: 'callback' });
    },
  };
}

/** The `message_id` of a Bot API answer that is a Message, or null. */
export function messageIdOf(result: unknown): number | null {
  if (typeof result !== 'object' || result === null) return null;
  const id = (result as Record<string, unknown>)['message_id'];
  return typeof id === 'number' ? id : null;
}

function editOutcome(reply: OutboxReply): EditOutcome {
  return reply.status === 'ok' ? 'edited' : reply.status;
}
