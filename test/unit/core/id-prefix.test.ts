/** Any unique prefix of a session id works wherever an id does; an ambiguous one lists the candidates. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AmbiguousIdError } from '../../../src-main/core/errors.ts';
import { createCore, NotFoundError, parseConfig, type Core } from '../../../src-main/core/index.ts';
import { openDatabase } from '../../../src-main/core/store/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let core: Core | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await core?.stop();
  dir?.remove();
});

function withSessions(ids: string[]): Core {
  dir = tempDir('reins-prefix-');
  const home = join(dir.path, 'home');
  mkdirSync(home, { recursive: true });
  core = createCore({ home, config: parseConfig({ port: 0 }), env: {} });
  const db = openDatabase(join(home, 'reins.db'));
  db.prepare("INSERT INTO projects (id, path, name, created_at) VALUES ('p', '/p', 'p', 0)").run();
  for (const [i, id] of ids.entries())
    db.prepare(
      "INSERT INTO sessions (id, project_id, agent, mode, state, title, name, created_at, updated_at) VALUES (?, 'p', 'claude', 'ask', 'idle', 't', ?, 0, 0)",
    ).run(id, `named-${i}`);
  db.close();
  return core;
}

describe('session id prefixes', () => {
  it('resolves a unique prefix, refuses an ambiguous one with the candidates, and says when none matches', () => {
    const c = withSessions(['abc11111-0000', 'abc22222-0000', 'def33333-0000']);
    expect(c.sessions.get('abc1').session.id).toBe('abc11111-0000');
    expect(c.sessions.get('def33333-0000').session.id).toBe('def33333-0000');
    expect(() => c.sessions.get('abc')).toThrow(AmbiguousIdError);
    expect(() => c.sessions.get('abc')).toThrow(/"abc" starts more than one session id \(abc11111-000, abc22222-000\)/);
    expect(() => c.sessions.get('zz')).toThrow(NotFoundError);
  });

  it('treats glob characters as no match rather than a pattern', () => {
    const c = withSessions(['abc11111-0000']);
    expect(() => c.sessions.get('*')).toThrow(NotFoundError);
    expect(() => c.sessions.get('a?c')).toThrow(NotFoundError);
  });
});
