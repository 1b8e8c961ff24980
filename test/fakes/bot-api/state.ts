import { randomBytes } from 'node:crypto';
import type { Document, InlineKeyboardMarkup, Message, PhotoSize, User, UserFromGetMe } from 'grammy/types';
import type { Clock } from './clock.ts';
import type { FormattedText } from './text.ts';

/** A chat the bot is in: a private chat (id = the user's id) or a group or supergroup. */
export interface ChatRecord {
  readonly id: number;
  readonly type: 'private' | 'group' | 'supergroup';
  /** The other party of a private chat. */
  readonly user: User | undefined;
  readonly title: string | undefined;
  readonly username: string | undefined;
  readonly isForum: boolean;
  /** Admins see every group message and may manage topics; others are subject to privacy mode. */
  readonly botIsAdmin: boolean;
  /** Telegram's opaque per-chat value in callback queries. */
  readonly chatInstance: string;
  /** Private chats: the user pressed Start (sent anything) so the bot may write. */
  started: boolean;
  /** Private chats: the user blocked the bot. */
  blocked: boolean;
  nextMessageId: number;
  readonly messages: Map<number, StoredMessage>;
  readonly topics: Map<number, TopicRecord>;
}

/** A forum topic; its id is the id of the service message that created it. */
export interface TopicRecord {
  readonly threadId: number;
  name: string;
  readonly iconColor: number;
  iconCustomEmojiId: string | undefined;
  closed: boolean;
}

/** Media attached to a message. */
export type StoredMedia = { readonly kind: 'photo'; readonly photo: PhotoSize[] } | { readonly kind: 'document'; readonly document: Document };

/** A message as Telegram holds it now (edits overwrite, deletes mark). */
export interface StoredMessage {
  readonly chatId: number;
  readonly messageId: number;
  readonly threadId: number | undefined;
  readonly from: User;
  readonly fromBot: boolean;
  /** Clock time in ms. */
  readonly date: number;
  /** Text of a text message, or caption of a media message. */
  body: FormattedText | undefined;
  readonly media: StoredMedia | undefined;
  replyMarkup: InlineKeyboardMarkup | undefined;
  readonly replyToMessageId: number | undefined;
  /** Service-message fields such as `forum_topic_created`. */
  readonly service: Partial<Message> | undefined;
  readonly disableNotification: boolean;
  editDate: number | undefined;
  editCount: number;
  deleted: boolean;
}

/** Fields a new message is created from. */
export type NewMessage = Omit<StoredMessage, 'messageId' | 'date' | 'editDate' | 'editCount' | 'deleted'>;

/** What a test passes to create a user. */
export interface UserInit {
  readonly id?: number;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly language_code?: string;
}

/** What a test passes to add the bot to a group. */
export interface GroupInit {
  readonly title: string;
  readonly username?: string;
  /** A forum supergroup with topics (default false). */
  readonly forum?: boolean;
  /** A basic group instead of a supergroup (default false; forums are always supergroups). */
  readonly basicGroup?: boolean;
  /** Whether the bot is an administrator with topic rights (default true). */
  readonly botIsAdmin?: boolean;
}

/** Users, chats, topics and messages: everything Telegram knows besides updates and files. */
export class TelegramState {
  /** What getMe returns. */
  readonly bot: UserFromGetMe;
  /** The bot as it appears in messages and member updates: only the plain User fields. */
  readonly botUser: User;
  private readonly clock: Clock;
  private readonly users = new Map<number, User>();
  private readonly chats = new Map<number, ChatRecord>();
  private nextUserId = 700_000_001;
  private nextGroupId = 1;

  constructor(bot: UserFromGetMe, clock: Clock) {
    this.bot = bot;
    this.botUser = { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
    this.clock = clock;
  }

  /** Creates a user and the (not yet started) private chat between them and the bot. */
  addUser(init: UserInit): User {
    const id = init.id ?? this.nextUserId++;
    if (this.users.has(id)) throw new RangeError(`user ${id} already exists; pass another id`);
    const user: User = { id, is_bot: false, first_name: init.first_name };
    if (init.last_name !== undefined) user.last_name = init.last_name;
    if (init.username !== undefined) user.username = init.username;
    if (init.language_code !== undefined) user.language_code = init.language_code;
    this.users.set(id, user);
    this.chats.set(id, newChat({ id, type: 'private', user, isForum: false, botIsAdmin: false }));
    return user;
  }

  /** Adds the bot to a new group or supergroup. */
  addGroup(init: GroupInit): ChatRecord {
    const n = this.nextGroupId++;
    const basic = init.basicGroup === true && init.forum !== true;
    const chat = newChat({
      id: basic ? -(400_000_000 + n) : -(1_001_000_000_000 + n),
      type: basic ? 'group' : 'supergroup',
      title: init.title,
      username: init.username,
      isForum: init.forum === true,
      botIsAdmin: init.botIsAdmin ?? true,
    });
    this.chats.set(chat.id, chat);
    return chat;
  }

  /** A known user by id. */
  user(id: number): User | undefined {
    return this.users.get(id);
  }

  /** A chat by numeric id or public `@username`. */
  chat(ref: number | string): ChatRecord | undefined {
    if (typeof ref === 'number') return this.chats.get(ref);
    const name = ref.replace(/^@/, '').toLowerCase();
    return [...this.chats.values()].find((c) => c.username?.toLowerCase() === name);
  }

  /** Stores a new message with the chat's next message id and the current time. */
  append(chat: ChatRecord, fields: NewMessage): StoredMessage {
    const message: StoredMessage = {
      ...fields,
      messageId: chat.nextMessageId++,
      date: this.clock.now(),
      editDate: undefined,
      editCount: 0,
      deleted: false,
    };
    chat.messages.set(message.messageId, message);
    return message;
  }

  /** The message's Bot API JSON, with `reply_to_message` one level deep as Telegram sends it. */
  toJson(message: StoredMessage, withReply = true): Message {
    const chat = this.chats.get(message.chatId);
    if (chat === undefined) throw new RangeError(`chat ${message.chatId} is unknown`);
    const json: Message = { message_id: message.messageId, from: message.from, chat: chatJson(chat), date: seconds(message.date) };
    if (message.threadId !== undefined) {
      json.message_thread_id = message.threadId;
      if (chat.isForum) json.is_topic_message = true;
    }
    const reply = withReply ? this.replyTarget(chat, message) : undefined;
    if (reply !== undefined) json.reply_to_message = { ...this.toJson(reply, false), reply_to_message: undefined };
    Object.assign(json, bodyJson(message), message.service);
    if (message.replyMarkup !== undefined) json.reply_markup = message.replyMarkup;
    if (message.editDate !== undefined) json.edit_date = seconds(message.editDate);
    return json;
  }

  // In a forum topic, a message that replies to nothing still carries `reply_to_message`: the
  // topic's creation message. Clients must not read that as a reply.
  private replyTarget(chat: ChatRecord, message: StoredMessage): StoredMessage | undefined {
    const id = message.replyToMessageId ?? (chat.isForum && message.threadId !== message.messageId ? message.threadId : undefined);
    const target = id === undefined ? undefined : chat.messages.get(id);
    return target?.deleted === false ? target : undefined;
  }
}

/** The `chat` object of a message or getChat. */
export function chatJson(chat: ChatRecord): Message['chat'] {
  if (chat.type === 'private') {
    const user = chat.user as User;
    return {
      id: chat.id,
      type: 'private',
      first_name: user.first_name,
      ...(user.last_name === undefined ? {} : { last_name: user.last_name }),
      ...(user.username === undefined ? {} : { username: user.username }),
    };
  }
  const title = chat.title ?? '';
  if (chat.type === 'group') return { id: chat.id, type: 'group', title };
  return {
    id: chat.id,
    type: 'supergroup',
    title,
    ...(chat.username === undefined ? {} : { username: chat.username }),
    ...(chat.isForum ? { is_forum: true as const } : {}),
  };
}

function bodyJson(message: StoredMessage): Partial<Message> {
  const { body, media } = message;
  const text = body?.text ?? '';
  const entities = body !== undefined && body.entities.length > 0 ? body.entities : undefined;
  if (media === undefined) {
    return body === undefined ? {} : { text, ...(entities === undefined ? {} : { entities }) };
  }
  const captioned = text === '' ? {} : { caption: text, ...(entities === undefined ? {} : { caption_entities: entities }) };
  return media.kind === 'photo' ? { photo: media.photo, ...captioned } : { document: media.document, ...captioned };
}

function newChat(fields: {
  id: number;
  type: ChatRecord['type'];
  user?: User;
  title?: string | undefined;
  username?: string | undefined;
  isForum: boolean;
  botIsAdmin: boolean;
}): ChatRecord {
  return {
    user: undefined,
    title: undefined,
    username: undefined,
    ...fields,
    chatInstance: randomBytes(8).readBigInt64BE().toString(),
    started: false,
    blocked: false,
    nextMessageId: 1,
    messages: new Map(),
    topics: new Map(),
  };
}

/** Unix seconds, as every Bot API date field. */
export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
