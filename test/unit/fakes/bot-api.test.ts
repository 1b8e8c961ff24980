import { Api, Bot, GrammyError, HttpError, InputFile, type Context } from 'grammy';
import type { Update, User } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FakeBotApiUsageError,
  ManualClock,
  TELEGRAM_ERRORS,
  parseTelegramHtml,
  startFakeBotApi,
  type FakeBotApi,
  type FakeBotApiOptions,
} from '../../fakes/bot-api/index.ts';

const fakes: FakeBotApi[] = [];
const bots: Bot[] = [];

afterEach(async () => {
  for (const bot of bots.splice(0)) if (bot.isRunning()) await bot.stop();
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fake(options?: FakeBotApiOptions): Promise<FakeBotApi> {
  const started = await startFakeBotApi(options);
  fakes.push(started);
  return started;
}

function apiOf(f: FakeBotApi): Api {
  return new Api(f.token, { apiRoot: f.url });
}

/** A fake with one user who has started the bot, and a grammY Api pointed at it. */
async function withOwner(options?: FakeBotApiOptions): Promise<{ f: FakeBotApi; api: Api; owner: User }> {
  const f = await fake(options);
  const owner = f.addUser({ first_name: 'Ada', username: 'ada' });
  f.userSends(owner, owner.id, '/start');
  return { f, api: apiOf(f), owner };
}

/** Starts grammY long polling; resolves once polling has begun. */
async function startBot(f: FakeBotApi, setup: (bot: Bot) => void): Promise<{ bot: Bot; running: Promise<void> }> {
  const bot = new Bot(f.token, { client: { apiRoot: f.url } });
  setup(bot);
  bots.push(bot);
  let running: Promise<void> = Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    running = bot.start({ onStart: () => resolve() });
    running.catch(reject);
  });
  return { bot, running };
}

async function rawCall(f: FakeBotApi, path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${f.url}${path}`, init);
  return { status: res.status, body: await res.json() };
}

function heldPolls(f: FakeBotApi): number {
  return f.calls('getUpdates').filter((c) => c.outcome === 'pending').length;
}

const PNG_2x3 = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 2, 0, 0, 0, 3, 8, 6, 0, 0, 0, 0, 0, 0, 0]),
]);

describe('HTTP surface', () => {
  it('answers a wrong token with 401, an unknown method or malformed token with 404, in Bot API envelopes', async () => {
    const f = await fake();
    expect(await rawCall(f, '/bot123:wrongSecret/getMe')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await rawCall(f, `/bot${f.token}/sendPidgeon`)).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
    expect((await rawCall(f, '/botnot-a-token/getMe')).status).toBe(404);
  });

  it('accepts GET query strings, urlencoded forms and any method-name case, like Telegram', async () => {
    const { f, owner } = await withOwner();
    const viaGet = await rawCall(f, `/bot${f.token}/GETME`);
    expect(viaGet).toMatchObject({ status: 200, body: { ok: true, result: { id: f.botInfo.id, is_bot: true } } });
    const viaForm = await rawCall(f, `/bot${f.token}/sendmessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(owner.id), text: 'from a form' }),
    });
    expect(viaForm).toMatchObject({ status: 200, body: { ok: true, result: { text: 'from a form', chat: { id: owner.id } } } });
    expect(f.calls('sendMessage')).toHaveLength(1);
  });

  it('logs every call with its params and outcome, in order', async () => {
    const { f, api, owner } = await withOwner();
    await api.getMe();
    await expect(api.sendMessage(owner.id, '')).rejects.toBeInstanceOf(GrammyError);
    expect(f.calls().map((c) => [c.method, c.outcome])).toEqual([
      ['getMe', 'ok'],
      ['sendMessage', 'error'],
    ]);
    expect(f.calls('sendMessage')[0]).toMatchObject({ params: { chat_id: owner.id, text: '' }, error: { error_code: 400 } });
  });
});

describe('long polling with grammY', () => {
  it('holds getUpdates open while idle and wakes it at once when an update arrives', async () => {
    const f = await fake();
    const owner = f.addUser({ first_name: 'Ada' });
    const seen: number[] = [];
    await startBot(f, (bot) => bot.on('message:text', () => void seen.push(Date.now())));
    await f.waitFor(() => heldPolls(f) === 1, 2000, 'a held getUpdates');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(f.calls('getUpdates').length).toBeLessThanOrEqual(2);
    expect(f.calls('getUpdates')[0]?.params).toMatchObject({ timeout: 30 });

    const sentAt = Date.now();
    f.userSends(owner, owner.id, 'hello');
    await f.waitFor(() => seen.length === 1, 2000, 'the handler');
    expect((seen[0] ?? Infinity) - sentAt).toBeLessThan(500);
  });

  it('confirms offsets so no update is delivered twice across a bot restart', async () => {
    const f = await fake();
    const owner = f.addUser({ first_name: 'Ada' });
    const first: string[] = [];
    const { bot } = await startBot(f, (b) => b.on('message:text', (ctx) => void first.push(ctx.message.text)));
    f.userSends(owner, owner.id, 'one');
    f.userSends(owner, owner.id, 'two');
    await f.waitFor(() => first.length === 2, 2000, 'both messages');
    await bot.stop();
    expect(f.pendingUpdates()).toEqual([]);

    const second: string[] = [];
    await startBot(f, (b) => b.on('message:text', (ctx) => void second.push(ctx.message.text)));
    f.userSends(owner, owner.id, 'three');
    await f.waitFor(() => second.length === 1, 2000, 'the third message');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(first).toEqual(['one', 'two']);
    expect(second).toEqual(['three']);
    const ids = f.calls('getUpdates').flatMap((c) => (c.result as Update[] | undefined)?.map((u) => u.update_id) ?? []);
    expect(new Set(ids).size).toBe(3);
  });

  it('keeps unconfirmed updates for the next poller and honours limit and negative offsets', async () => {
    const f = await fake();
    const owner = f.addUser({ first_name: 'Ada' });
    for (const text of ['a', 'b', 'c']) f.userSends(owner, owner.id, text);
    const api = apiOf(f);
    const batch = await api.getUpdates({ limit: 2, timeout: 0 });
    expect(batch.map((u) => u.message?.text)).toEqual(['a', 'b']);
    expect(f.pendingUpdates()).toHaveLength(3);
    const last = await api.getUpdates({ offset: -1, timeout: 0 });
    expect(last.map((u) => u.message?.text)).toEqual(['c']);
    expect(f.pendingUpdates()).toHaveLength(1);
  });

  it('ends the older of two concurrent getUpdates with 409 Conflict, which stops that grammY bot', async () => {
    const f = await fake();
    const { running } = await startBot(f, () => undefined);
    await f.waitFor(() => heldPolls(f) === 1, 2000, 'a held getUpdates');
    const intruder = apiOf(f).getUpdates({ timeout: 0 });
    await expect(running).rejects.toMatchObject({
      error_code: 409,
      description: TELEGRAM_ERRORS.conflictGetUpdates.description,
    });
    await expect(intruder).resolves.toEqual([]);
  });

  it('filters update types with allowed_updates, remembered across calls', async () => {
    const { f, api, owner } = await withOwner();
    await api.getUpdates({ offset: -1, timeout: 0 });
    const sent = await api.sendMessage(owner.id, 'pick', {
      reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'y' }]] },
    });
    await api.getUpdates({ offset: (f.pendingUpdates()[0]?.update_id ?? 0) + 1, timeout: 0, allowed_updates: ['message'] });
    f.userTaps(owner, owner.id, sent.message_id, 'y');
    f.userSends(owner, owner.id, 'typed');
    const updates = await api.getUpdates({ timeout: 0 });
    expect(updates.map((u) => Object.keys(u).filter((k) => k !== 'update_id'))).toEqual([['message']]);
  });

  it('bot.stop() returns quickly and close() leaves no sockets or servers behind', async () => {
    const tcp = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap').length;
    const before = tcp();
    const f = await startFakeBotApi();
    const { bot } = await startBot(f, () => undefined);
    await f.waitFor(() => heldPolls(f) === 1, 2000, 'a held getUpdates');
    const stopStart = performance.now();
    await bot.stop();
    expect(performance.now() - stopStart).toBeLessThan(500);
    expect(f.calls('getUpdates').at(-1)).toMatchObject({ params: { limit: 1 }, outcome: 'ok' });
    await f.close();
    for (let i = 0; i < 50 && tcp() > before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tcp()).toBeLessThanOrEqual(before);
  });

  it('close() answers a held long poll at once instead of waiting for its timeout', async () => {
    const f = await startFakeBotApi();
    const poll = apiOf(f).getUpdates({ timeout: 30 });
    await f.waitFor(() => heldPolls(f) === 1, 2000, 'a held getUpdates');
    const closeStart = performance.now();
    await f.close();
    await expect(poll).resolves.toEqual([]);
    expect(performance.now() - closeStart).toBeLessThan(500);
  });
});

describe('sendMessage and HTML', () => {
  it('stores the rendered text, entities and the HTML as sent', async () => {
    const { f, api, owner } = await withOwner();
    const html = '<b>Run</b> <code>npm test</code> &amp; <a href="https://example.com/x">log</a>';
    const sent = await api.sendMessage(owner.id, html, { parse_mode: 'HTML', disable_notification: true });
    expect(sent.text).toBe('Run npm test & log');
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 0, length: 3 },
      { type: 'code', offset: 4, length: 8 },
      { type: 'text_link', offset: 15, length: 3, url: 'https://example.com/x' },
    ]);
    expect(sent.from).toEqual({ id: f.botInfo.id, is_bot: true, first_name: f.botInfo.first_name, username: f.botInfo.username });
    expect(f.messages(owner.id)).toEqual([
      expect.objectContaining({ messageId: sent.message_id, text: sent.text, html, disableNotification: true, editCount: 0 }),
    ]);
  });

  it.each([
    ['<foo>x</foo>', 'Unsupported start tag "foo" at byte offset 0'],
    ['<b>bold', 'Can\'t find end tag corresponding to start tag "b"'],
    ['<b><i>x</b></i>', 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
    ['x < y', 'Unsupported start tag "" at byte offset 2'],
    ['é</b>', 'Unexpected end tag at byte offset 2'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
  ])("answers bad HTML %j with 400 can't parse entities", async (text, detail) => {
    const { api, owner } = await withOwner();
    await expect(api.sendMessage(owner.id, text, { parse_mode: 'HTML' })).rejects.toMatchObject({
      error_code: 400,
      description: `Bad Request: can't parse entities: ${detail}`,
    });
  });

  it('limits text to 4096 characters after entity parsing, counting code points', async () => {
    const { api, owner } = await withOwner();
    await expect(api.sendMessage(owner.id, 'a'.repeat(4097))).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: message is too long',
    });
    await expect(api.sendMessage(owner.id, `<b>${'a'.repeat(4096)}</b>`, { parse_mode: 'HTML' })).resolves.toBeDefined();
    await expect(api.sendMessage(owner.id, '😀'.repeat(4096))).resolves.toBeDefined();
  });

  it('refuses empty and whitespace-only text and trims what surrounds real text', async () => {
    const { api, owner } = await withOwner({ limits: { privateBurst: 10 } });
    for (const text of ['', '  \n ', '<b> </b>']) {
      await expect(api.sendMessage(owner.id, text, { parse_mode: 'HTML' })).rejects.toMatchObject({
        description: TELEGRAM_ERRORS.textEmpty,
      });
    }
    const sent = await api.sendMessage(owner.id, '\n <i> hi </i> \n', { parse_mode: 'HTML' });
    expect(sent).toMatchObject({ text: 'hi', entities: [{ type: 'italic', offset: 0, length: 2 }] });
  });

  it('checks inline keyboards: callback_data over 64 bytes and text-only buttons are refused', async () => {
    const { api, owner } = await withOwner({ limits: { privateBurst: 10 } });
    const send = (button: object): Promise<unknown> => api.sendMessage(owner.id, 'card', { reply_markup: { inline_keyboard: [[button as never]] } });
    await expect(send({ text: 'ok', callback_data: 'x'.repeat(64) })).resolves.toBeDefined();
    for (const data of ['x'.repeat(65), 'й'.repeat(33), '']) {
      await expect(send({ text: 'no', callback_data: data })).rejects.toMatchObject({
        error_code: 400,
        description: 'Bad Request: BUTTON_DATA_INVALID',
      });
    }
    await expect(send({ text: 'plain' })).rejects.toMatchObject({
      description: "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    });
  });

  it('refuses chats the bot may not write to', async () => {
    const f = await fake();
    const api = apiOf(f);
    const stranger = f.addUser({ first_name: 'Eve' });
    await expect(api.sendMessage(stranger.id, 'hi')).rejects.toMatchObject({ error_code: 403, description: TELEGRAM_ERRORS.cantInitiate });
    await expect(api.sendMessage(424242, 'hi')).rejects.toMatchObject({ error_code: 400, description: TELEGRAM_ERRORS.chatNotFound });
    f.userSends(stranger, stranger.id, '/start');
    f.userBlocksBot(stranger);
    await expect(api.sendMessage(stranger.id, 'hi')).rejects.toMatchObject({ error_code: 403, description: TELEGRAM_ERRORS.blocked });
    expect(f.pendingUpdates().at(-1)?.my_chat_member?.new_chat_member.status).toBe('kicked');
  });

  it('resolves replies, refusing a missing target unless allowed', async () => {
    const { f, api, owner } = await withOwner();
    const asked = f.userSends(owner, owner.id, 'question');
    const answer = await api.sendMessage(owner.id, 'answer', { reply_parameters: { message_id: asked.message_id } });
    expect(answer.reply_to_message?.text).toBe('question');
    await expect(api.sendMessage(owner.id, 'x', { reply_parameters: { message_id: 999 } })).rejects.toMatchObject({
      description: 'Bad Request: message to be replied not found',
    });
    const loose = await api.sendMessage(owner.id, 'x', { reply_parameters: { message_id: 999, allow_sending_without_reply: true } });
    expect(loose.reply_to_message).toBeUndefined();
  });
});

describe('editing and deleting', () => {
  it('answers an identical edit with "message is not modified" and counts real edits', async () => {
    const { f, api, owner } = await withOwner();
    const keyboard = { inline_keyboard: [[{ text: 'Stop', callback_data: 'stop' }]] };
    const sent = await api.sendMessage(owner.id, '<b>running</b>', { parse_mode: 'HTML', reply_markup: keyboard });
    await expect(api.editMessageText(owner.id, sent.message_id, '<b>running</b>', { parse_mode: 'HTML', reply_markup: keyboard })).rejects.toMatchObject({
      error_code: 400,
      description: TELEGRAM_ERRORS.notModified,
    });
    // Same text but different entities is a change.
    await api.editMessageText(owner.id, sent.message_id, 'running', { reply_markup: keyboard });
    expect(f.messages(owner.id)[0]).toMatchObject({ text: 'running', entities: [], editCount: 1, replyMarkup: keyboard });
  });

  it('removes the keyboard when an edit omits reply_markup, as Telegram does', async () => {
    const { f, api, owner } = await withOwner();
    const sent = await api.sendMessage(owner.id, 'Approve?', {
      reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'y' }]] },
    });
    const edited = await api.editMessageText(owner.id, sent.message_id, 'Approved');
    expect(edited).toMatchObject({ text: 'Approved', edit_date: expect.any(Number) });
    expect(edited).not.toHaveProperty('reply_markup');
    await expect(api.editMessageReplyMarkup(owner.id, sent.message_id)).rejects.toMatchObject({
      description: TELEGRAM_ERRORS.notModified,
    });
    expect(f.messages(owner.id)[0]?.replyMarkup).toBeUndefined();
  });

  it('validates edits like sends and refuses missing, deleted or foreign messages', async () => {
    const { f, api, owner } = await withOwner();
    const sent = await api.sendMessage(owner.id, 'status');
    await expect(api.editMessageText(owner.id, sent.message_id, 'x'.repeat(4097))).rejects.toMatchObject({
      description: TELEGRAM_ERRORS.messageTooLong,
    });
    await expect(api.editMessageText(owner.id, 999, 'x')).rejects.toMatchObject({ description: TELEGRAM_ERRORS.messageToEditNotFound });
    const mine = f.userSends(owner, owner.id, 'user text');
    await expect(api.editMessageText(owner.id, mine.message_id, 'x')).rejects.toMatchObject({
      description: "Bad Request: message can't be edited",
    });
    await expect(api.deleteMessage(owner.id, sent.message_id)).resolves.toBe(true);
    await expect(api.deleteMessage(owner.id, sent.message_id)).rejects.toMatchObject({
      description: TELEGRAM_ERRORS.messageToDeleteNotFound,
    });
    await expect(api.editMessageText(owner.id, sent.message_id, 'x')).rejects.toMatchObject({
      description: TELEGRAM_ERRORS.messageToEditNotFound,
    });
    expect(f.messages(owner.id)[0]).toMatchObject({ deleted: true });
  });

  it('refuses to delete a message older than 48 hours', async () => {
    const clock = new ManualClock();
    const { api, owner } = await withOwner({ clock });
    const sent = await api.sendMessage(owner.id, 'old');
    clock.advance(48 * 3600 * 1000 + 1);
    await expect(api.deleteMessage(owner.id, sent.message_id)).rejects.toMatchObject({
      description: "Bad Request: message can't be deleted for everyone",
    });
  });
});

describe('callback queries', () => {
  async function card(api: Api, owner: User): Promise<number> {
    const sent = await api.sendMessage(owner.id, 'Run rm -rf build?', {
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Allow', callback_data: 'a:1' },
            { text: 'Deny', callback_data: 'd:1' },
          ],
        ],
      },
    });
    return sent.message_id;
  }

  it("delivers taps in Telegram's shape and accepts exactly one answer per query", async () => {
    const { f, api, owner } = await withOwner();
    const messageId = await card(api, owner);
    const taps: Context['callbackQuery'][] = [];
    await startBot(f, (bot) =>
      bot.on('callback_query:data', async (ctx) => {
        taps.push(ctx.callbackQuery);
        await ctx.answerCallbackQuery({ text: 'Allowed' });
      }),
    );
    const id = f.userTaps(owner, owner.id, messageId, 'a:1');
    await f.waitFor(() => f.callbackQueries().find((q) => q.id === id)?.answered, 2000, 'the answer');
    expect(taps[0]).toMatchObject({
      id,
      from: { id: owner.id, is_bot: false, first_name: 'Ada', username: 'ada' },
      data: 'a:1',
      chat_instance: expect.stringMatching(/^-?\d+$/),
      message: { message_id: messageId, chat: { id: owner.id, type: 'private' }, text: 'Run rm -rf build?' },
    });
    await expect(api.answerCallbackQuery(id)).rejects.toMatchObject({ error_code: 400, description: TELEGRAM_ERRORS.queryTooOld });
    await expect(api.answerCallbackQuery('1234567890')).rejects.toMatchObject({ description: TELEGRAM_ERRORS.queryTooOld });
  });

  it('expires an unanswered query after about 15 s of fake time', async () => {
    const clock = new ManualClock();
    const { f, api, owner } = await withOwner({ clock });
    const messageId = await card(api, owner);
    const id = f.userTaps(owner, owner.id, messageId, 'd:1');
    clock.advance(15_001);
    await expect(api.answerCallbackQuery(id)).rejects.toMatchObject({ description: TELEGRAM_ERRORS.queryTooOld });
  });

  it('only lets users tap buttons that exist, unless the tap is explicitly forged', async () => {
    const { f, api, owner } = await withOwner();
    const messageId = await card(api, owner);
    expect(() => f.userTaps(owner, owner.id, messageId, 'a:2')).toThrow(FakeBotApiUsageError);
    const id = f.userTaps(owner, owner.id, messageId, 'a:2', { forged: true });
    expect(f.pendingUpdates().at(-1)?.callback_query).toMatchObject({ id, data: 'a:2' });
    await expect(api.answerCallbackQuery(id, { text: 'x'.repeat(201) })).rejects.toMatchObject({
      description: 'Bad Request: MESSAGE_TOO_LONG',
    });
  });
});

describe('flood limits', () => {
  it('answers a burst in one private chat with 429 retry_after and records the violations', async () => {
    const { f, api, owner } = await withOwner();
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => api.sendMessage(owner.id, `burst ${i}`)));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as GrammyError);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const error of refused) {
      expect(error).toBeInstanceOf(GrammyError);
      expect(error.error_code).toBe(429);
      expect(error.parameters.retry_after).toBeGreaterThanOrEqual(1);
      expect(error.description).toBe(`Too Many Requests: retry after ${error.parameters.retry_after}`);
    }
    expect(f.violations).toHaveLength(refused.length);
    expect(f.violations[0]).toMatchObject({ method: 'sendMessage', chatId: owner.id, scope: 'private-chat' });
  });

  it('counts edits toward the chat limit and refills at one message per second', async () => {
    const clock = new ManualClock();
    const { f, api, owner } = await withOwner({ clock });
    const sent = await api.sendMessage(owner.id, 'v1');
    await api.editMessageText(owner.id, sent.message_id, 'v2');
    await api.editMessageText(owner.id, sent.message_id, 'v3');
    await expect(api.editMessageText(owner.id, sent.message_id, 'v4')).rejects.toMatchObject({
      error_code: 429,
      parameters: { retry_after: 1 },
    });
    clock.advance(1000);
    await expect(api.editMessageText(owner.id, sent.message_id, 'v4')).resolves.toMatchObject({ text: 'v4' });
    expect(f.violations.map((v) => v.method)).toEqual(['editMessageText']);
  });

  it('allows 20 messages per minute in a group', async () => {
    const clock = new ManualClock();
    const f = await fake({ clock });
    const api = apiOf(f);
    const group = f.addGroup({ title: 'Team' });
    for (let i = 0; i < 20; i++) {
      await api.sendMessage(group.id, `m${i}`);
      clock.advance(1000);
    }
    await expect(api.sendMessage(group.id, 'one too many')).rejects.toMatchObject({
      error_code: 429,
      parameters: { retry_after: 40 },
    });
    clock.advance(40_000);
    await expect(api.sendMessage(group.id, 'later')).resolves.toBeDefined();
    expect(f.violations).toEqual([expect.objectContaining({ scope: 'group-chat', chatId: group.id, retryAfter: 40 })]);
  });

  it('allows 30 messages per second across chats, and limits are configurable', async () => {
    const clock = new ManualClock();
    const f = await fake({ clock });
    const api = apiOf(f);
    const users = Array.from({ length: 31 }, (_, i) => f.addUser({ first_name: `U${i}` }));
    for (const user of users) f.userSends(user, user.id, '/start');
    for (const user of users.slice(0, 30)) await api.sendMessage(user.id, 'news');
    await expect(api.sendMessage(users[30]?.id ?? 0, 'news')).rejects.toMatchObject({ error_code: 429 });
    expect(f.violations.at(-1)).toMatchObject({ scope: 'global' });

    const relaxed = await withOwner({ clock, limits: { privatePerSecond: Infinity, privateBurst: Infinity } });
    for (let i = 0; i < 10; i++) await relaxed.api.sendMessage(relaxed.owner.id, `fast ${i}`);
    expect(relaxed.f.violations).toEqual([]);
  });
});

describe('fault injection', () => {
  it('fails the next calls with a chosen Bot API error, then behaves again', async () => {
    const { f, api, owner } = await withOwner();
    f.failNext('sendMessage', TELEGRAM_ERRORS.badGateway, 2);
    for (let i = 0; i < 2; i++) {
      await expect(api.sendMessage(owner.id, 'x')).rejects.toMatchObject({ error_code: 502, description: 'Bad Gateway' });
    }
    await expect(api.sendMessage(owner.id, 'x')).resolves.toMatchObject({ text: 'x' });
    expect(f.calls('sendMessage').map((c) => c.outcome)).toEqual(['error', 'error', 'ok']);
  });

  it('drops a connection or serves a raw HTML 5xx, which grammY reports as an HttpError', async () => {
    const { f, api, owner } = await withOwner();
    f.dropNext('sendMessage');
    await expect(api.sendMessage(owner.id, 'x')).rejects.toBeInstanceOf(HttpError);
    f.failNextRaw('sendMessage', { status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
    await expect(api.sendMessage(owner.id, 'x')).rejects.toBeInstanceOf(HttpError);
    expect(f.calls('sendMessage').map((c) => c.outcome)).toEqual(['dropped', 'error']);
    expect(f.messages(owner.id)).toEqual([]);
  });

  it('injects a 409 into getUpdates, which ends grammY polling', async () => {
    const f = await fake();
    f.failNext('getUpdates', TELEGRAM_ERRORS.conflictGetUpdates);
    const bot = new Bot(f.token, { client: { apiRoot: f.url } });
    bots.push(bot);
    await expect(bot.start()).rejects.toMatchObject({ error_code: 409 });
  });
});

describe('forum topics', () => {
  it("creates topics and threads messages into them with Telegram's topic-root reply quirk", async () => {
    const f = await fake();
    const api = apiOf(f);
    const forum = f.addGroup({ title: 'Reins', forum: true });
    const topic = await api.createForumTopic(forum.id, 'session fix-tests');
    expect(topic).toMatchObject({ name: 'session fix-tests', icon_color: 0x6fb9f0, message_thread_id: expect.any(Number) });
    const sent = await api.sendMessage(forum.id, 'status', { message_thread_id: topic.message_thread_id });
    expect(sent).toMatchObject({
      message_thread_id: topic.message_thread_id,
      is_topic_message: true,
      chat: { id: forum.id, type: 'supergroup', is_forum: true },
      reply_to_message: { message_id: topic.message_thread_id, forum_topic_created: { name: 'session fix-tests' } },
    });
    const owner = f.addUser({ first_name: 'Ada' });
    const typed = f.userSends(owner, forum.id, { text: 'follow-up', threadId: topic.message_thread_id });
    expect(typed).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true });
    expect(f.pendingUpdates().at(-1)?.message?.text).toBe('follow-up');
    await expect(api.sendMessage(forum.id, 'x', { message_thread_id: 999 })).rejects.toMatchObject({
      description: TELEGRAM_ERRORS.threadNotFound,
    });
  });

  it('edits, closes and reopens topics, refusing no-op changes', async () => {
    const f = await fake();
    const api = apiOf(f);
    const forum = f.addGroup({ title: 'Reins', forum: true });
    const { message_thread_id: thread } = await api.createForumTopic(forum.id, 'a');
    await expect(api.editForumTopic(forum.id, thread, { name: 'a' })).rejects.toMatchObject({
      description: 'Bad Request: TOPIC_NOT_MODIFIED',
    });
    await api.editForumTopic(forum.id, thread, { name: 'b' });
    await api.closeForumTopic(forum.id, thread);
    await expect(api.closeForumTopic(forum.id, thread)).rejects.toMatchObject({ description: 'Bad Request: TOPIC_NOT_MODIFIED' });
    expect(f.topics(forum.id)).toEqual([{ threadId: thread, name: 'b', iconColor: 0x6fb9f0, closed: true }]);
    await api.reopenForumTopic(forum.id, thread);
    const plain = f.addGroup({ title: 'Plain' });
    await expect(api.createForumTopic(plain.id, 'x')).rejects.toMatchObject({ description: 'Bad Request: the chat is not a forum' });
  });

  it('applies privacy mode in groups where the bot is not an admin', async () => {
    const f = await fake();
    const group = f.addGroup({ title: 'Team', botIsAdmin: false });
    const user = f.addUser({ first_name: 'Ada' });
    f.userSends(user, group.id, 'chatter');
    f.userSends(user, group.id, `/status@${f.botInfo.username}`);
    expect(f.pendingUpdates().map((u) => u.message?.text)).toEqual([`/status@${f.botInfo.username}`]);
    expect(f.pendingUpdates()[0]?.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 22 }]);
  });
});

describe('files', () => {
  it('uploads a document by multipart, then serves it through getFile and the file route', async () => {
    const { f, api, owner } = await withOwner();
    const bytes = Buffer.from('diff --git a/x b/x\n');
    const sent = await api.sendDocument(owner.id, new InputFile(bytes, 'change.diff'), {
      caption: '<i>patch</i>',
      parse_mode: 'HTML',
    });
    expect(sent).toMatchObject({
      document: { file_name: 'change.diff', mime_type: 'text/x-diff', file_size: bytes.length },
      caption: 'patch',
      caption_entities: [{ type: 'italic', offset: 0, length: 5 }],
    });
    const file = await api.getFile(sent.document?.file_id ?? '');
    const res = await fetch(`${f.url}/file/bot${f.token}/${file.file_path ?? ''}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(f.messages(owner.id)[0]).toMatchObject({ media: 'document', text: 'patch' });
  });

  it('serves registered bytes and user photos with their real dimensions', async () => {
    const { f, api, owner } = await withOwner();
    const registered = f.registerFile(Buffer.from('hello'), { fileName: 'a.txt' });
    const described = await api.getFile(registered.file_id);
    const res = await fetch(`${f.url}/file/bot${f.token}/${described.file_path ?? ''}`);
    expect(await res.text()).toBe('hello');
    expect((await fetch(`${f.url}/file/bot${f.token}/documents/nope.txt`)).status).toBe(404);
    await expect(api.getFile('nope')).rejects.toMatchObject({ description: 'Bad Request: invalid file_id' });

    const photo = f.userSends(owner, owner.id, { photo: PNG_2x3, caption: 'screen' });
    expect(photo).toMatchObject({ caption: 'screen', photo: [{ width: 2, height: 3, file_size: PNG_2x3.length }] });
    await expect(api.sendPhoto(owner.id, new InputFile(Buffer.from('not an image'), 'x.jpg'))).rejects.toMatchObject({
      description: 'Bad Request: IMAGE_PROCESS_FAILED',
    });
  });
});

describe('bot settings', () => {
  it('stores commands per scope and rejects invalid ones', async () => {
    const f = await fake();
    const api = apiOf(f);
    await api.setMyCommands([{ command: 'status', description: 'Show sessions' }]);
    await api.setMyCommands([{ command: 'approve', description: 'Approvals' }], { scope: { type: 'all_private_chats' } });
    expect(await api.getMyCommands()).toEqual([{ command: 'status', description: 'Show sessions' }]);
    expect(f.commands({ type: 'all_private_chats' })).toEqual([{ command: 'approve', description: 'Approvals' }]);
    await expect(api.setMyCommands([{ command: 'Status', description: 'x' }])).rejects.toMatchObject({
      description: 'Bad Request: BOT_COMMAND_INVALID',
    });
  });

  it('refuses getUpdates while a webhook is set, and getChat knows the chat kinds', async () => {
    const { f, api, owner } = await withOwner();
    await api.setWebhook('https://example.com/hook');
    await expect(api.getUpdates({ timeout: 0 })).rejects.toMatchObject({
      error_code: 409,
      description: TELEGRAM_ERRORS.conflictWebhook.description,
    });
    await api.deleteWebhook();
    await expect(api.getUpdates({ timeout: 0 })).resolves.toHaveLength(1);
    expect(await api.getChat(owner.id)).toMatchObject({ id: owner.id, type: 'private', first_name: 'Ada' });
    const forum = f.addGroup({ title: 'Reins', forum: true });
    expect(await api.getChat(forum.id)).toMatchObject({ type: 'supergroup', is_forum: true, title: 'Reins' });
  });
});

describe('Telegram HTML parser', () => {
  // Cases from TDLib's test/message_entities.cpp (check_parse_html).
  it.each([
    ['&ge;&lt;&gt;&amp;&quot;&laquo;&#12345678;', '&ge;<>&"&laquo;&#12345678;', []],
    ['🏟 🏟<i>🏟 &lt🏟</i>', '🏟 🏟🏟 <🏟', [{ type: 'italic', offset: 5, length: 6 }]],
    [
      '<i><b> </b> <code> </code></i>',
      '   ',
      [
        { type: 'italic', offset: 0, length: 3 },
        { type: 'bold', offset: 0, length: 1 },
        { type: 'code', offset: 2, length: 1 },
      ],
    ],
    ['<a href=telegram.org> </a>', ' ', [{ type: 'text_link', offset: 0, length: 1, url: 'http://telegram.org/' }]],
    ['<a>telegram.org</a>', 'telegram.org', [{ type: 'text_link', offset: 0, length: 12, url: 'http://telegram.org/' }]],
    ['<pre><code class="language-ts">x</code></pre>', 'x', [{ type: 'pre', offset: 0, length: 1, language: 'ts' }]],
    [
      '<pre><code>x</code></pre>',
      'x',
      [
        { type: 'pre', offset: 0, length: 1 },
        { type: 'code', offset: 0, length: 1 },
      ],
    ],
    [
      '<blockquote expandable>a<tg-spoiler>b</tg-spoiler></>',
      'ab',
      [
        { type: 'expandable_blockquote', offset: 0, length: 2 },
        { type: 'spoiler', offset: 1, length: 1 },
      ],
    ],
    ['<b></b><span class="tg-spoiler">s</span>', 's', [{ type: 'spoiler', offset: 0, length: 1 }]],
  ])('parses %j', (markup, text, entities) => {
    expect(parseTelegramHtml(markup)).toEqual({ text, entities });
  });

  it('turns tg://user links into text mentions of known users and drops unknown ones', () => {
    const ada: User = { id: 42, is_bot: false, first_name: 'Ada' };
    const resolve = (id: number): User | undefined => (id === 42 ? ada : undefined);
    expect(parseTelegramHtml('<a href="tg://user?id=42">Ada</a> <a href="tg://user?id=7">Eve</a>', resolve)).toEqual({
      text: 'Ada Eve',
      entities: [{ type: 'text_mention', offset: 0, length: 3, user: ada }],
    });
  });

  it.each([
    ['🏟 🏟&lt;<abacaba', 'Unclosed start tag at byte offset 13'],
    ['🏟 🏟&lt;<i   =aba>', 'Empty attribute name in the tag "i" at byte offset 13'],
    ['🏟 🏟&lt;<i    aba  =  190azAz-.,', 'Unexpected end of name token at byte offset 27'],
    ['🏟 🏟&lt;<i>a</i   ', 'Unclosed end tag at byte offset 17'],
    ['&#57311;', 'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units'],
  ])('refuses %j', (markup, message) => {
    expect(() => parseTelegramHtml(markup)).toThrow(message);
  });
});
