import type { ChatFullInfo, ForumTopic, Message } from 'grammy/types';
import type { Backend } from './backend.ts';
import { badRequest } from './errors.ts';
import type { MethodHandler } from './method.ts';
import type { Params } from './params.ts';
import { chatJson, type ChatRecord, type TopicRecord } from './state.ts';

/** The six colours Telegram allows for a topic icon. */
const TOPIC_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f];

/** getChat and the forum-topic methods. */
export const chatMethods: Record<string, MethodHandler> = {
  getChat: (backend, { params }) => fullInfo(backend.knownChat(params)),

  createForumTopic: (backend, { params }) => {
    const chat = forum(backend, params);
    if (!chat.botIsAdmin) throw badRequest('not enough rights to create a topic');
    const name = topicName(params.optionalString('name') ?? '');
    const iconColor = params.optionalInt('icon_color') ?? TOPIC_COLORS[0] ?? 0;
    if (!TOPIC_COLORS.includes(iconColor)) throw badRequest('TOPIC_ICON_COLOR_INVALID');
    const emoji = params.optionalString('icon_custom_emoji_id');
    const created = { name, icon_color: iconColor, ...(emoji === undefined ? {} : { icon_custom_emoji_id: emoji }) };
    // A topic's id is the id of its creation service message, which also opens the thread.
    const threadId = chat.nextMessageId;
    serviceMessage(backend, chat, threadId, { forum_topic_created: created });
    chat.topics.set(threadId, { threadId, name, iconColor, iconCustomEmojiId: emoji, closed: false });
    const topic: ForumTopic = { message_thread_id: threadId, ...created };
    return topic;
  },

  editForumTopic: (backend, { params }) => {
    const { chat, topic } = existingTopic(backend, params);
    const name = params.optionalString('name');
    const emoji = params.optionalString('icon_custom_emoji_id');
    const newName = name === undefined ? topic.name : topicName(name);
    const newEmoji = emoji === undefined ? topic.iconCustomEmojiId : emoji;
    if (newName === topic.name && newEmoji === topic.iconCustomEmojiId) throw badRequest('TOPIC_NOT_MODIFIED');
    topic.name = newName;
    topic.iconCustomEmojiId = newEmoji;
    const edited = {
      ...(name === undefined ? {} : { name: newName }),
      ...(emoji === undefined ? {} : { icon_custom_emoji_id: emoji }),
    };
    serviceMessage(backend, chat, topic.threadId, { forum_topic_edited: edited });
    return true;
  },

  closeForumTopic: (backend, { params }) => setClosed(backend, params, true),

  reopenForumTopic: (backend, { params }) => setClosed(backend, params, false),

  deleteForumTopic: (backend, { params }) => {
    const { chat, topic } = existingTopic(backend, params);
    chat.topics.delete(topic.threadId);
    for (const message of chat.messages.values()) if (message.threadId === topic.threadId) message.deleted = true;
    return true;
  },
};

function fullInfo(chat: ChatRecord): ChatFullInfo {
  const common = {
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
      gifts_from_channels: false,
    },
  };
  return { ...chatJson(chat), ...common } as ChatFullInfo;
}

function forum(backend: Backend, params: Params): ChatRecord {
  const chat = backend.knownChat(params);
  if (!chat.isForum) throw badRequest('the chat is not a forum');
  return chat;
}

function existingTopic(backend: Backend, params: Params): { chat: ChatRecord; topic: TopicRecord } {
  const chat = forum(backend, params);
  if (!chat.botIsAdmin) throw badRequest('not enough rights to manage topics');
  const topic = chat.topics.get(params.requiredInt('message_thread_id', 'message thread identifier is not specified'));
  if (topic === undefined) throw badRequest('TOPIC_ID_INVALID');
  return { chat, topic };
}

function setClosed(backend: Backend, params: Params, closed: boolean): boolean {
  const { chat, topic } = existingTopic(backend, params);
  if (topic.closed === closed) throw badRequest('TOPIC_NOT_MODIFIED');
  topic.closed = closed;
  serviceMessage(backend, chat, topic.threadId, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} });
  return true;
}

function topicName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw badRequest('TOPIC_TITLE_EMPTY');
  if ([...name].length > 128) throw badRequest('TOPIC_TITLE_INVALID');
  return name;
}

// Topic changes show up as service messages from the bot; Telegram sends no update for the bot's
// own actions, so none is queued.
function serviceMessage(backend: Backend, chat: ChatRecord, threadId: number, service: Partial<Message>): void {
  backend.state.append(chat, {
    chatId: chat.id,
    threadId,
    from: backend.state.botUser,
    fromBot: true,
    body: undefined,
    media: undefined,
    replyMarkup: undefined,
    replyToMessageId: undefined,
    service,
    disableNotification: false,
  });
}
