/**
 * The map of forum topics: bounded to the newest sessions, and a topic Telegram says is gone
 * (deleted or closed) is forgotten by the writer's hook, while other refusals leave it alone.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/core/log.ts';
import { openStore, type Store } from '../../../src-main/core/store/index.ts';
import { createCallbackCodec } from '../../../src-main/surfaces/telegram/callback-codec.ts';
import { createRedactor } from '../../../src-main/surfaces/telegram/format/index.ts';
import { createOutbox, type Outbox } from '../../../src-main/surfaces/telegram/outbox/index.ts';
import { createTelegramState } from '../../../src-main/surfaces/telegram/state.ts';
import { createWriter } from '../../../src-main/surfaces/telegram/writer.ts';
import { startFakeBotApi, TELEGRAM_ERRORS, type FakeBotApi } from '../../fakes/bot-api/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const clock = { now: () => Date.now() };
let fake: FakeBotApi | undefined;
let store: Store | undefined;
let outbox: Outbox | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await outbox?.stop();
  store?.close();
  await fake?.close();
  dir?.remove();
  fake = store = outbox = dir = undefined;
});

function stateOnDisk() {
  dir = tempDir('reins-tg-topics-');
  store = openStore(join(dir.path, 'reins.db'));
  return createTelegramState({ kv: store.kv, clock, log: silentLogger });
}

describe('the topic map', () => {
  it('keeps the newest 500 sessions, counting a remade topic as new', () => {
    const state = stateOnDisk();
    const id = (n: number): string => `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`.slice(-36);
    for (let n = 0; n < 505; n++) state.setTopic(id(n), 1000 + n);
    state.setTopic(id(0), 2000);
    state.setTopic(id(600), 2001);
    for (let n = 1; n <= 6; n++) expect(state.topicOf(id(n))).toBeUndefined();
    expect(state.topicOf(id(7))).toBe(1007);
    expect(state.topicOf(id(0))).toBe(2000);
    expect(state.topicOf(id(600))).toBe(2001);
    // Read back from the store: the bound holds across restarts.
    const again = createTelegramState({ kv: store!.kv, clock, log: silentLogger });
    expect(again.topicOf(id(6))).toBeUndefined();
    expect(again.topicOf(id(504))).toBe(1504);
  });
});

describe('a refused send in a forum topic', () => {
  async function setup() {
    fake = await startFakeBotApi({ limits: { privatePerSecond: 100, privateBurst: 50, groupPerMinute: 1000, globalPerSecond: 1000 } });
    const group = fake.addGroup({ title: 'Reins HQ', forum: true });
    const api = new Api(fake.token, { apiRoot: fake.url });
    const raw = api.raw as unknown as Record<string, (p: Record<string, unknown>, s?: AbortSignal) => Promise<unknown>>;
    outbox = createOutbox({
      call: (m, p, s) => raw[m]!(p, s),
      clock,
      sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
      logger: silentLogger,
      limits: { group: [{ limit: 50, windowMs: 1000 }], editIntervalMs: 0, backoff: { baseMs: 10, maxMs: 20, maxAttempts: 3 } },
    });
    const gone: Array<[number, number]> = [];
    const writer = createWriter({
      outbox,
      codec: createCallbackCodec(Buffer.alloc(32, 6)),
      redactor: () => createRedactor({}),
      onTopicGone: (c, t) => gone.push([c, t]),
    });
    const topic = await api.createForumTopic(group.id, 'alpha');
    return { f: fake, api, group, writer, gone, threadId: topic.message_thread_id };
  }

  it('reports a deleted topic', async () => {
    const { api, group, writer, gone, threadId } = await setup();
    await writer.send({ chatId: group.id, threadId }, 'first');
    expect(gone).toEqual([]);
    await api.deleteForumTopic(group.id, threadId);
    await expect(writer.send({ chatId: group.id, threadId }, 'second')).rejects.toMatchObject({ reason: 'rejected' });
    expect(gone).toEqual([[group.id, threadId]]);
  });

  it('reports a closed topic, but not other refusals', async () => {
    const { f, group, writer, gone, threadId } = await setup();
    f.failNext('sendMessage', { error_code: 400, description: TELEGRAM_ERRORS.chatNotFound });
    await expect(writer.send({ chatId: group.id, threadId }, 'x')).rejects.toMatchObject({ reason: 'rejected' });
    expect(gone).toEqual([]);
    f.failNext('sendMessage', { error_code: 400, description: 'Bad Request: TOPIC_CLOSED' });
    await expect(writer.send({ chatId: group.id, threadId }, 'y')).rejects.toMatchObject({ reason: 'rejected' });
    expect(gone).toEqual([[group.id, threadId]]);
  });
});
