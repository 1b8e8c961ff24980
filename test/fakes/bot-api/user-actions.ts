import { randomBytes } from 'node:crypto';
import type { Message, MessageEntity, User } from 'grammy/types';
import type { Backend } from './backend.ts';
import { FakeBotApiUsageError } from './errors.ts';
import { hasCallbackButton } from './keyboard.ts';
import { documentOfFile, photoSizesOf } from './methods-media.ts';
import { chatJson, seconds, type ChatRecord, type StoredMedia } from './state.ts';
import { TEXT_LIMITS } from './text.ts';

/** What a test user sends: text, or a photo/document with an optional caption, in a topic or as a reply. */
export interface UserMessageContent {
  readonly text?: string;
  readonly photo?: Uint8Array;
  readonly document?: { readonly bytes: Uint8Array; readonly fileName: string; readonly mimeType?: string };
  readonly caption?: string;
  /** Message id in the same chat this message replies to. */
  readonly replyTo?: number;
  /** Forum topic to post in (a reply without it lands in the replied message's topic). */
  readonly threadId?: number;
}

/** Options of a tap. */
export interface TapOptions {
  /**
   * Send callback data no button on the message carries, as a modified client or a replayed old
   * card could. Without it the tap must match a button, as in the official apps.
   */
  readonly forged?: boolean;
}

/** A user posts a message; queues the `message` update the bot would receive and returns it. */
export function userSends(backend: Backend, from: User, chatId: number, content: string | UserMessageContent): Message {
  const input = typeof content === 'string' ? { text: content } : content;
  const chat = chatFor(backend, from, chatId);
  const reply = input.replyTo === undefined ? undefined : chat.messages.get(input.replyTo);
  if (input.replyTo !== undefined && (reply === undefined || reply.deleted)) {
    throw new FakeBotApiUsageError(`message ${input.replyTo} does not exist in chat ${chatId}; a user can only reply to a visible message`);
  }
  const threadId = topicFor(chat, input.threadId ?? reply?.threadId);
  const media = mediaOf(backend, input);
  const text = (media === undefined ? input.text : input.caption) ?? '';
  if (text === '' && media === undefined) throw new FakeBotApiUsageError('a message needs text, a photo or a document');
  if ([...text].length > (media === undefined ? TEXT_LIMITS.text : TEXT_LIMITS.caption)) {
    throw new FakeBotApiUsageError('Telegram apps do not send text over 4096 characters (1024 for captions)');
  }
  if (chat.type === 'private') {
    chat.started = true;
    chat.blocked = false;
  }
  const message = backend.state.append(chat, {
    chatId: chat.id,
    threadId,
    from,
    fromBot: false,
    body: text === '' ? undefined : { text, entities: detectEntities(text) },
    media,
    replyMarkup: undefined,
    replyToMessageId: reply?.messageId,
    service: undefined,
    disableNotification: false,
  });
  const json = backend.state.toJson(message);
  if (botSees(backend, chat, json)) backend.updates.push({ message: json });
  backend.changed();
  return json;
}

/** A user taps an inline button; queues the `callback_query` update and returns the query id. */
export function userTaps(backend: Backend, from: User, chatId: number, messageId: number, data: string, options: TapOptions = {}): string {
  const chat = chatFor(backend, from, chatId);
  const message = chat.messages.get(messageId);
  if (message === undefined || message.deleted || !message.fromBot) {
    throw new FakeBotApiUsageError(`there is no bot message ${messageId} in chat ${chatId} to tap`);
  }
  if (options.forged !== true && !hasCallbackButton(message.replyMarkup, data)) {
    throw new FakeBotApiUsageError(`message ${messageId} has no button with callback_data ${JSON.stringify(data)}; pass { forged: true } to send it anyway`);
  }
  const id = randomBytes(8).readBigUInt64BE().toString();
  backend.callbackQueries.set(id, { id, fromId: from.id, chatId, messageId, data, createdAt: backend.clock.now(), answered: false });
  backend.updates.push({
    callback_query: { id, from, message: backend.state.toJson(message), chat_instance: chat.chatInstance, data },
  });
  backend.changed();
  return id;
}

/** A user blocks the bot: sends fail with 403 and the bot gets a `my_chat_member` update. */
export function userBlocksBot(backend: Backend, user: User): void {
  const chat = backend.state.chat(user.id);
  if (chat === undefined || chat.type !== 'private') throw new FakeBotApiUsageError(`user ${user.id} is unknown`);
  chat.blocked = true;
  const bot = backend.state.botUser;
  backend.updates.push({
    my_chat_member: {
      chat: chatJson(chat),
      from: user,
      date: seconds(backend.clock.now()),
      old_chat_member: { user: bot, status: 'member' },
      new_chat_member: { user: bot, status: 'kicked', until_date: 0 },
    },
  });
  backend.changed();
}

function chatFor(backend: Backend, from: User, chatId: number): ChatRecord {
  const chat = backend.state.chat(chatId);
  if (chat === undefined) throw new FakeBotApiUsageError(`chat ${chatId} is unknown; create it with addUser or addGroup`);
  if (backend.state.user(from.id) === undefined) throw new FakeBotApiUsageError(`user ${from.id} is unknown; create it with addUser`);
  if (chat.type === 'private' && chat.id !== from.id) {
    throw new FakeBotApiUsageError(`user ${from.id} cannot write in the private chat of user ${chat.id}`);
  }
  return chat;
}

function topicFor(chat: ChatRecord, threadId: number | undefined): number | undefined {
  if (threadId === undefined) return undefined;
  const topic = chat.topics.get(threadId);
  if (!chat.isForum || topic === undefined) throw new FakeBotApiUsageError(`chat ${chat.id} has no topic ${threadId}`);
  if (topic.closed) throw new FakeBotApiUsageError(`topic ${threadId} is closed; members cannot post there`);
  return threadId;
}

function mediaOf(backend: Backend, input: UserMessageContent): StoredMedia | undefined {
  if (input.photo !== undefined) return { kind: 'photo', photo: photoSizesOf(backend.files.add(input.photo, 'photos')) };
  const doc = input.document;
  if (doc === undefined) return undefined;
  return { kind: 'document', document: documentOfFile(backend.files.add(doc.bytes, 'documents', doc.fileName, doc.mimeType)) };
}

/** Telegram marks commands and @mentions in what users type; grammY's command filters rely on it. */
function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  for (const match of text.matchAll(/(?<=^|\s)\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/g)) {
    entities.push({ type: 'bot_command', offset: match.index, length: match[0].length });
  }
  for (const match of text.matchAll(/(?<=^|\s)@[A-Za-z0-9_]{5,32}\b/g)) {
    entities.push({ type: 'mention', offset: match.index, length: match[0].length });
  }
  return entities.sort((a, b) => a.offset - b.offset);
}

// Privacy mode: a bot that is neither admin nor allowed to read all group messages only sees
// commands, replies to its own messages and mentions of it.
function botSees(backend: Backend, chat: ChatRecord, message: Message): boolean {
  const bot = backend.state.bot;
  if (chat.type === 'private' || chat.botIsAdmin || bot.can_read_all_group_messages) return true;
  const text = message.text ?? message.caption ?? '';
  const isCommand = message.entities?.some((e) => e.type === 'bot_command' && e.offset === 0) === true;
  const repliesToBot = message.reply_to_message?.from?.id === bot.id && message.reply_to_message.forum_topic_created === undefined;
  return isCommand || repliesToBot || text.toLowerCase().includes(`@${bot.username.toLowerCase()}`);
}
