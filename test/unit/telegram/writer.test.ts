import { setTimeout as sleep } from 'node:timers/promises';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/core/log.ts';
import { createCallbackCodec } from '../../../src-main/surfaces/telegram/callback-codec.ts';
import { createRedactor } from '../../../src-main/surfaces/telegram/format/index.ts';
import { createOutbox, type Outbox } from '../../../src-main/surfaces/telegram/outbox/index.ts';
import { createWriter } from '../../../src-main/surfaces/telegram/writer.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/bot-api/index.ts';

let fake: FakeBotApi | undefined;
let outbox: Outbox | undefined;
afterEach(async () => {
  await outbox?.stop();
  await fake?.close();
  outbox = undefined;
  fake = undefined;
});

const SECRET = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
const codec = createCallbackCodec(Buffer.alloc(32, 9));

async function setup() {
  fake = await startFakeBotApi({ limits: { privatePerSecond: 100, privateBurst: 20, groupPerMinute: 1000, globalPerSecond: 1000 } });
  const user = fake.addUser({ first_name: 'Olivia' });
  fake.userSends(user, user.id, 'hi');
  const api = new Api(fake.token, { apiRoot: fake.url });
  const raw = api.raw as unknown as Record<string, (p: Record<string, unknown>, s?: AbortSignal) => Promise<unknown>>;
  outbox = createOutbox({
    call: (m, p, s) => raw[m]!(p, s),
    clock: { now: () => Date.now() },
    sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
    logger: silentLogger,
    limits: { private: [{ limit: 20, windowMs: 1000 }], editIntervalMs: 0 },
  });
  const writer = createWriter({ outbox, codec, redactor: () => createRedactor({ extraValues: ['hunter2-very-secret'] }) });
  return { f: fake, user, writer };
}

describe('the writer', () => {
  it('redacts text and button labels, and signs buttons for the chat', async () => {
    const { f, user, writer } = await setup();
    const id = await writer.send({ chatId: user.id }, `token <code>${SECRET}</code> and hunter2-very-secret`, {
      keyboard: [[{ text: `Use ${SECRET}`, payload: { handle: 'AbCdEfGh', action: 'allow' } }]],
    });
    const m = f.messages(user.id).find((x) => x.messageId === id)!;
    expect(m.text).toBe('token [redacted] and [redacted]');
    const button = m.replyMarkup?.inline_keyboard[0]?.[0] as { text: string; callback_data: string };
    expect(button.text).toBe('Use [redacted]');
    expect(codec.decode(button.callback_data, user.id)).toMatchObject({ ok: true, handle: 'AbCdEfGh', action: 'allow' });
    expect(codec.decode(button.callback_data, user.id + 1)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(JSON.stringify(f.calls().map((c) => c.params))).not.toContain(SECRET);
  });

  it('resends as plain text when Telegram cannot parse the HTML', async () => {
    const { f, user, writer } = await setup();
    const id = await writer.send({ chatId: user.id }, '<b>unclosed & <i>broken');
    expect(f.messages(user.id).find((x) => x.messageId === id)?.text).toBe('unclosed & broken');
    expect(f.calls('sendMessage').map((c) => c.outcome)).toEqual(['error', 'ok']);
  });

  it('splits long text into ordered parts with the keyboard on the last; edits remove buttons unless given', async () => {
    const { f, user, writer } = await setup();
    const html = Array.from({ length: 120 }, (_, i) => `<b>Line ${i}</b> ${'word '.repeat(12)}`).join('\n');
    const ids = await writer.sendLong({ chatId: user.id }, html, { keyboard: [[{ text: 'Stop', payload: { handle: 'AbCdEfGh', action: 'stop' } }]] });
    const parts = ids.map((id) => f.messages(user.id).find((m) => m.messageId === id)!);
    expect(parts.length).toBeGreaterThan(1);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const [k, p] of parts.entries()) {
      expect([...p.text].length).toBeLessThanOrEqual(4096);
      expect(p.text.endsWith(`(${k + 1}/${parts.length})`)).toBe(true);
      expect(Boolean(p.replyMarkup)).toBe(k === parts.length - 1);
    }
    const last = ids.at(-1)!;
    expect(await writer.edit(user.id, { chatId: user.id, messageId: last }, 'done')).toBe('edited');
    expect(f.messages(user.id).find((m) => m.messageId === last)?.replyMarkup).toBeUndefined();
    expect(await writer.edit(user.id, { chatId: user.id, messageId: last }, 'done')).toBe('not_modified');
  });

  it('answers a tap with a redacted toast', async () => {
    const { f, user, writer } = await setup();
    const id = await writer.send({ chatId: user.id }, 'card', { keyboard: [[{ text: 'Go', payload: { handle: 'AbCdEfGh', action: 'allow' } }]] });
    const m = f.messages(user.id).find((x) => x.messageId === id)!;
    const q = f.userTaps(user, user.id, id, (m.replyMarkup?.inline_keyboard[0]?.[0] as { callback_data: string }).callback_data);
    await writer.toast(q, `done with ${SECRET}`);
    expect(f.calls('answerCallbackQuery').at(-1)?.params).toMatchObject({ callback_query_id: q, text: 'done with [redacted]' });
  });
});
