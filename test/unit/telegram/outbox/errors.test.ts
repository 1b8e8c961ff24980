import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { classifyError, OutboxError } from '../../../../src-main/surfaces/telegram/outbox/index.ts';
import { apiError, networkError } from './fake-telegram.ts';

describe('classifyError', () => {
  it('reads retry_after from a 429 GrammyError', () => {
    expect(classifyError(apiError('sendMessage', 429, 'Too Many Requests: retry after 17', 17))).toEqual({
      kind: 'rate_limited',
      retryAfterS: 17,
    });
  });

  it('falls back to the given wait when a 429 has no retry_after', () => {
    expect(classifyError(apiError('sendMessage', 429, 'Too Many Requests'), 9)).toEqual({ kind: 'rate_limited', retryAfterS: 9 });
  });

  it('treats "message is not modified" as its own outcome', () => {
    const err = apiError('editMessageText', 400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same');
    expect(classifyError(err)).toEqual({ kind: 'not_modified' });
  });

  it.each([
    [400, 'Bad Request: can\'t parse entities: Unsupported start tag "b" at byte offset 3'],
    [400, 'Bad Request: message to edit not found'],
    [403, 'Forbidden: bot was blocked by the user'],
    [401, 'Unauthorized'],
  ])('classifies %i "%s" as fatal', (code, description) => {
    expect(classifyError(apiError('sendMessage', code, description))).toEqual({
      kind: 'fatal',
      errorCode: code,
      description,
      migrateToChatId: null,
    });
  });

  it('keeps migrate_to_chat_id of a group that became a supergroup', () => {
    const err = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1001234 } },
      'sendMessage',
      {},
    );
    expect(classifyError(err)).toMatchObject({ kind: 'fatal', migrateToChatId: -1001234 });
  });

  it('classifies 5xx answers and network failures as transient', () => {
    expect(classifyError(apiError('sendMessage', 502, 'Bad Gateway'))).toEqual({
      kind: 'transient',
      errorCode: 502,
      description: 'Bad Gateway',
    });
    expect(classifyError(networkError('sendMessage'))).toEqual({
      kind: 'transient',
      errorCode: null,
      description: "Network request for 'sendMessage' failed! (read ECONNRESET)",
    });
    expect(classifyError('socket hang up')).toMatchObject({ kind: 'transient', description: 'socket hang up' });
  });

  it('redacts a bot token that a network error message carries', () => {
    const err = new HttpError('fetch https://api.telegram.org/bot123456:AAH-secret_token/sendMessage failed', new Error('ETIMEDOUT'));
    const outcome = classifyError(err);
    expect(outcome.kind).toBe('transient');
    expect(JSON.stringify(outcome)).not.toContain('AAH-secret_token');
    expect(JSON.stringify(outcome)).toContain('bot<redacted>');
  });
});

describe('OutboxError', () => {
  it('carries Telegram fields and says what to do', () => {
    const err = new OutboxError({
      reason: 'rejected',
      method: 'sendMessage',
      chatId: 42,
      attempts: 1,
      errorCode: 400,
      description: "Bad Request: can't parse entities",
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('OutboxError');
    expect(err.reason).toBe('rejected');
    expect(err.errorCode).toBe(400);
    expect(err.chatId).toBe(42);
    expect(err.message).toContain('sendMessage in chat 42');
    expect(err.message).toContain('plain text');
  });
});
