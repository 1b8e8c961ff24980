import { afterEach, describe, expect, it } from 'vitest';
import { OutboxError } from '../../../../src-main/surfaces/telegram/outbox/index.ts';
import { apiError } from './fake-telegram.ts';
import { capture, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

describe('outbox edit coalescing and order', () => {
  it('sends only the newest pending text, at most one edit per message per 2 s', async () => {
    h = harness();
    const { messageId } = await h.clock.settle(h.outbox.sendMessage(1, 'v0', {}, { ref: 'status' }));
    const outcomes: Array<Promise<string>> = [];
    for (let i = 1; i <= 10; i += 1) {
      outcomes.push(h.outbox.editMessageText({ ref: 'status' }, `v${i}`));
      await h.clock.advance(100);
    }
    outcomes.push(h.outbox.editMessageText({ ref: 'status' }, 'v11'));
    const results = await h.clock.settle(Promise.all(outcomes));

    const edits = h.fake.calls('editMessageText', 1);
    expect(edits.map((c) => [c.at, c.params['text'], c.params['message_id']])).toEqual([
      [1000, 'v10', messageId],
      [3000, 'v11', messageId],
    ]);
    expect(results).toEqual([...Array(9).fill('superseded'), 'edited', 'edited']);
    expect(h.fake.history(1, messageId)).toEqual(['v0', 'v10', 'v11']);
    expect(h.outbox.stats().editsCoalesced).toBe(9);
  });

  it('holds an edit by ref until its send succeeds, then uses the new message id', async () => {
    h = harness({ latencyMs: 300 });
    const order: string[] = [];
    const sent = h.outbox.sendMessage(1, 'starting', {}, { ref: 'run-1' }).then((m) => {
      order.push(`send resolved ${m.messageId}`);
      return m;
    });
    const edited = h.outbox.editMessageText({ ref: 'run-1' }, 'running');
    const [message, outcome] = await h.clock.settle(Promise.all([sent, edited]));
    order.unshift(...h.sent.map((s) => `onSent ${s.ref} ${s.messageId}`));

    expect(outcome).toBe('edited');
    expect(h.sent).toEqual([{ ref: 'run-1', messageId: message.messageId }]);
    expect(order).toEqual([`onSent run-1 ${message.messageId}`, `send resolved ${message.messageId}`]);
    const [edit] = h.fake.calls('editMessageText', 1);
    expect(edit?.params['message_id']).toBe(message.messageId);
    expect(edit?.at).toBe(1000);
    expect(h.fake.text(1, message.messageId)).toBe('running');
  });

  it('never lets a newer edit overtake one in flight', async () => {
    h = harness({ latencyMs: 1500, limits: { editIntervalMs: 0 } });
    const { messageId } = await h.clock.settle(h.outbox.sendMessage(1, 'v0'));
    const target = { chatId: 1, messageId };
    const first = h.outbox.editMessageText(target, 'v1');
    await h.clock.advance(100);
    const second = h.outbox.editMessageText(target, 'v2');
    await h.clock.advance(100);
    const third = h.outbox.editMessageText(target, 'v3');
    expect(await h.clock.settle(Promise.all([first, second, third]))).toEqual(['edited', 'superseded', 'edited']);

    const edits = h.fake.calls('editMessageText', 1);
    expect(edits.map((c) => c.params['text'])).toEqual(['v1', 'v3']);
    // v1 was in flight from 1500 to 3000; v3 went only after it returned.
    expect(edits.map((c) => c.at)).toEqual([1500, 3000]);
    expect(h.fake.history(1, messageId)).toEqual(['v0', 'v1', 'v3']);
  });

  it('sends a final edit without waiting for the edit interval, and a later edit keeps it final', async () => {
    h = harness();
    const { messageId } = await h.clock.settle(h.outbox.sendMessage(1, 'v0', {}, { ref: 'st' }));
    await h.clock.settle(h.outbox.editMessageText({ ref: 'st' }, 'v1'));
    expect(h.clock.now()).toBe(1000);
    await h.clock.advance(200);
    const final = h.outbox.editMessageText({ ref: 'st' }, 'done (final)', {}, { final: true });
    await h.clock.advance(100);
    const late = h.outbox.editMessageText({ ref: 'st' }, 'done (final, with totals)');
    expect(await h.clock.settle(Promise.all([final, late]))).toEqual(['superseded', 'edited']);

    const edits = h.fake.calls('editMessageText', 1);
    // Chat pacing allows 2000; the 2 s edit interval would have meant 3000.
    expect(edits.map((c) => [c.at, c.params['text']])).toEqual([
      [1000, 'v1'],
      [2000, 'done (final, with totals)'],
    ]);
    expect(h.fake.text(1, messageId)).toBe('done (final, with totals)');
  });

  it('keeps a text edit and a keyboard edit of one message in the order they were made', async () => {
    h = harness({ limits: { editIntervalMs: 0 } });
    const keyboard = { inline_keyboard: [[{ text: 'Stop', callback_data: 'x' }]] };
    const { messageId } = await h.clock.settle(h.outbox.sendMessage(1, 'v0', {}, { ref: 'card' }));
    const ops = [
      h.outbox.editMessageText({ ref: 'card' }, 'v1'),
      h.outbox.editMessageReplyMarkup({ ref: 'card' }, keyboard),
      h.outbox.editMessageText({ ref: 'card' }, 'v2', { reply_markup: keyboard }),
      h.outbox.editMessageReplyMarkup({ ref: 'card' }, undefined, { priority: 'approval_update' }),
    ];
    expect(await h.clock.settle(Promise.all(ops))).toEqual(['edited', 'edited', 'edited', 'edited']);
    const calls = h.fake.received.filter((c) => c.method.startsWith('edit')).map((c) => [c.method, c.params['text'] ?? null]);
    expect(calls).toEqual([
      ['editMessageText', 'v1'],
      ['editMessageReplyMarkup', null],
      ['editMessageText', 'v2'],
      ['editMessageReplyMarkup', null],
    ]);
    expect(h.fake.calls('editMessageReplyMarkup', 1)[1]?.params['reply_markup']).toBeUndefined();
    expect(h.fake.history(1, messageId)).toEqual(['v0', 'v1', 'v1', 'v2', 'v2']);
  });

  it('raises a waiting chain to the urgency of its most urgent operation', async () => {
    h = harness({ limits: { editIntervalMs: 0 } });
    await h.clock.settle(h.outbox.sendMessage(1, 'card', {}, { ref: 'card' }));
    await h.clock.settle(h.outbox.sendMessage(1, 'other', {}, { ref: 'other' }));
    const statusEdit = h.outbox.editMessageText({ ref: 'other' }, 'other v1', {}, { priority: 'status' });
    const lowFirst = h.outbox.editMessageText({ ref: 'card' }, 'card v1', {}, { priority: 'status' });
    const outcome = h.outbox.editMessageReplyMarkup({ ref: 'card' }, undefined, { priority: 'approval_update' });
    await h.clock.settle(Promise.all([statusEdit, lowFirst, outcome]));
    const edits = h.fake.received.filter((c) => c.method.startsWith('edit')).map((c) => c.params['text'] ?? c.method);
    expect(edits).toEqual(['card v1', 'editMessageReplyMarkup', 'other v1']);
  });

  it('drops queued edits of a message that is being deleted', async () => {
    h = harness();
    const { messageId } = await h.clock.settle(h.outbox.sendMessage(1, 'v0', {}, { ref: 'progress' }));
    await h.clock.settle(h.outbox.editMessageText({ ref: 'progress' }, 'v1'));
    const pending = h.outbox.editMessageText({ ref: 'progress' }, 'v2');
    const deleted = h.outbox.deleteMessage({ ref: 'progress' });
    const [outcome] = await h.clock.settle(Promise.all([pending, deleted]));
    expect(outcome).toBe('superseded');
    expect(h.fake.calls('editMessageText', 1)).toHaveLength(1);
    expect(h.fake.calls('deleteMessage', 1).map((c) => c.params['message_id'])).toEqual([messageId]);
    expect(h.fake.text(1, messageId)).toBeUndefined();
    expect(h.outbox.stats().editsSuperseded).toBe(1);
  });

  it('refuses a ref that names no message, and edits waiting on a send Telegram refused', async () => {
    h = harness();
    const unknown = await capture(h.outbox.editMessageText({ ref: 'never-sent' }, 'x'));
    expect(unknown.ok).toBe(false);
    expect(unknown.ok ? null : unknown.error).toMatchObject({ name: 'OutboxError', reason: 'unknown_ref', ref: 'never-sent' });

    h.fake.setFault((method) => (method === 'sendMessage' ? apiError(method, 400, "Bad Request: can't parse entities: unclosed tag") : undefined));
    const send = capture(h.outbox.sendMessage(1, '<b>oops', { parse_mode: 'HTML' }, { ref: 'r' }));
    const edit = capture(h.outbox.editMessageText({ ref: 'r' }, 'next', {}, { final: true }));
    const [sendResult, editResult] = await h.clock.settle(Promise.all([send, edit]));
    const sendError = sendResult.ok ? null : sendResult.error;
    expect(sendError).toBeInstanceOf(OutboxError);
    expect(sendError).toMatchObject({ reason: 'rejected', errorCode: 400, chatId: 1 });
    expect(editResult.ok ? null : editResult.error).toMatchObject({ reason: 'unknown_ref', ref: 'r', cause: sendError });
    expect(h.fake.calls('editMessageText')).toHaveLength(0);
  });

  it('refuses a ref already used by a send still queued', async () => {
    h = harness();
    const first = h.outbox.sendMessage(1, 'a', {}, { ref: 'dup' });
    const second = await capture(h.outbox.sendMessage(1, 'b', {}, { ref: 'dup' }));
    expect(second.ok ? null : second.error).toMatchObject({ reason: 'invalid' });
    await h.clock.settle(first);
    const again = await h.clock.settle(h.outbox.sendMessage(1, 'c', {}, { ref: 'dup' }));
    await h.clock.settle(h.outbox.editMessageText({ ref: 'dup' }, 'c2'));
    expect(h.fake.text(1, again.messageId)).toBe('c2');
  });
});
