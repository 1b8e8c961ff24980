/** The names offered when `@name` in the chat names no session. */
import { describe, expect, it } from 'vitest';
import { closeNames } from '../../../src-main/surfaces/telegram/close-names.ts';

describe('closeNames', () => {
  const names = ['api', 'api-2', 'web', 'fix-login', 'reins'];

  it('offers names a few edits away or containing the typed one, closest first', () => {
    expect(closeNames('ap', names)).toEqual(['api', 'api-2']);
    expect(closeNames('fix-logn', names)).toEqual(['fix-login']);
    expect(closeNames('WEB2', names)).toEqual(['web']);
    expect(closeNames('login', names)).toEqual(['fix-login']);
  });

  it('offers nothing for a name unlike any, and at most `max`', () => {
    expect(closeNames('database', names)).toEqual([]);
    expect(closeNames('a', ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'], 3)).toEqual(['a1', 'a2', 'a3']);
  });
});
