/** Session names: generated from the project folder, unique among sessions not archived, checked when picked. */
import { describe, expect, it } from 'vitest';
import { checkName, generateName, nameBase, type NameBook } from '../../../src-main/core/sessions/session-names.ts';
import { ConflictError, InvalidRequestError } from '../../../src-main/core/errors.ts';

/** Names held by sessions (id → name) and ids, as the store would answer. */
function book(held: Record<string, string>, ids: string[] = Object.keys(held)): NameBook {
  return {
    holder: (name) => Object.entries(held).find(([, n]) => n.toLowerCase() === name.toLowerCase())?.[0],
    idsWithPrefix: (prefix) => ids.filter((id) => id.startsWith(prefix)),
  };
}

describe('generated session names', () => {
  it('come from the project folder in letters, digits and dashes', () => {
    expect(nameBase('/home/me/api')).toBe('api');
    expect(nameBase('/home/me/My Project (old)/')).toBe('my-project-old');
    expect(nameBase('C:\\Users\\me\\Web_App')).toBe('web-app');
    expect(nameBase('/srv/日本')).toBe('session');
    expect(nameBase('/')).toBe('session');
    expect(nameBase('/x/a-very-long-folder-name-that-goes-on-and-on')).toBe('a-very-long-folder-name');
  });

  it('take the first free number, skip names held by other sessions and any name an id begins with', () => {
    expect(generateName('/p/api', book({}))).toBe('api');
    expect(generateName('/p/api', book({ s1: 'api' }))).toBe('api-2');
    expect(generateName('/p/api', book({ s1: 'API', s2: 'api-2', s3: 'api-4' }))).toBe('api-3');
    // A folder named like the start of a session id would make the name and the id prefix ambiguous.
    expect(generateName('/p/abc', book({}, ['abc12345-0000']))).toBe('abc-2');
    // Its own name is free for a session (bringing it back from the archive).
    expect(generateName('/p/api', book({ s1: 'api' }), 's1')).toBe('api');
  });
});

describe('a name the owner picks', () => {
  it('is trimmed and lower-cased, then must be 1–32 letters, digits and inner dashes', () => {
    const b = book({ s1: 'api' });
    expect(checkName('  Fix-Login ', b, 's1')).toBe('fix-login');
    expect(checkName('a', b, 's1')).toBe('a');
    expect(checkName('x'.repeat(32), b, 's1')).toBe('x'.repeat(32));
    for (const bad of ['', '   ', 'x'.repeat(33), '-api', 'api-', 'my api', 'api_2', 'café', '@api']) {
      expect(() => checkName(bad, b, 's1'), bad).toThrow(InvalidRequestError);
    }
    expect(() => checkName('my api', b, 's1')).toThrow(/"my api" cannot be a session name: a name is lower-case letters, digits and dashes/);
  });

  it('may not be taken by another session (ignoring case) nor begin another session id', () => {
    const b = book({ s1: 'api', s2: 'web' }, ['s1', 's2', 'deadbeef-1234']);
    expect(() => checkName('WEB', b, 's1')).toThrow(ConflictError);
    expect(() => checkName('web', b, 's1')).toThrow(/The name "web" is taken by session s2; pick another/);
    expect(() => checkName('deadbeef', b, 's1')).toThrow(/"deadbeef" is how session deadbeef's id begins/);
    expect(checkName('api', b, 's1')).toBe('api');
  });
});
