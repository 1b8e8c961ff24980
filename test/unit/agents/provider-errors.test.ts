import { describe, expect, it } from 'vitest';
import { describeProviderError } from '../../../src-main/core/agents/provider-errors.ts';

describe('provider errors in plain words', () => {
  it.each([
    [null, 'Not logged in · Please run /login', 'auth'],
    [401, 'authentication_failed', 'auth'],
    [401, '', 'auth'],
    [429, 'rate_limit_error', 'rate_limit'],
    [429, 'Claude usage limit reached', 'quota'],
    [529, 'overloaded', 'overloaded'],
    [400, 'Prompt is too long', 'context_too_long'],
    [400, 'Your credit balance is too low', 'quota'],
    [null, 'Connection error: ECONNREFUSED', 'network'],
    [503, 'upstream failure', 'server'],
    [null, 'something odd', 'unknown'],
  ] as const)('status %s, "%s" → %s', (status, text, category) => {
    const e = describeProviderError(status, text);
    expect(e.category).toBe(category);
    expect(e.message.length).toBeGreaterThan(10);
    expect(e.advice.length).toBeGreaterThan(10);
  });
});
