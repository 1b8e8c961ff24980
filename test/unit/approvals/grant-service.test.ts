/**
 * Grants created through the API mean exactly what they read: paths absolute and normalised, a bare
 * origin, canonical JSON input; anything else is refused with what to fix. Real SQLite file.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GrantMatcher } from '../../../src-main/contract/domain.ts';
import { createGrantService, type GrantService } from '../../../src-main/core/approvals/grant-service.ts';
import { createAuditLog, memoryAuditSeal } from '../../../src-main/core/audit/index.ts';
import { InvalidRequestError } from '../../../src-main/core/errors.ts';
import { openStore, type Store } from '../../../src-main/core/store/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
let store: Store;
let grants: GrantService;
let audit: ReturnType<typeof createAuditLog>;
const actor = { by: 'owner', surface: 'api' as const };
const clock = { now: () => 1_000 };

beforeEach(() => {
  dir = tempDir('reins-grants-');
  store = openStore(join(dir.path, 'reins.db'));
  store.projects.ensure('/home/u/proj', 1);
  audit = createAuditLog(store, clock, memoryAuditSeal());
  grants = createGrantService({ store, audit, clock });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const create = (tool: string, matcher: GrantMatcher) => grants.create({ scope: 'project', cwd: '/home/u/proj', tool, matcher }, actor);

describe('grants from the API', () => {
  it.each<[string, GrantMatcher, GrantMatcher]>([
    ['read', { kind: 'folder', path: '/home/u/proj/src/../src/' }, { kind: 'folder', path: '/home/u/proj/src' }],
    ['edit', { kind: 'file', path: '/home/u/proj//a.ts' }, { kind: 'file', path: '/home/u/proj/a.ts' }],
    ['fetch', { kind: 'origin', origin: 'https://docs.example.com/' }, { kind: 'origin', origin: 'https://docs.example.com' }],
    ['mcp__db__query', { kind: 'input', input: '{"sql":"select 1", "db":"a"}' }, { kind: 'input', input: '{"db":"a","sql":"select 1"}' }],
    ['shell', { kind: 'command-prefix', prefix: '  npm   test ' }, { kind: 'command-prefix', prefix: 'npm test' }],
  ])('%s: %j is stored as %j', (tool, given, stored) => {
    expect(create(tool, given).matcher).toEqual(stored);
  });

  it.each<[string, GrantMatcher, RegExp]>([
    ['read', { kind: 'folder', path: 'src' }, /absolute path/],
    ['fetch', { kind: 'origin', origin: 'https://docs.example.com/secret/path' }, /nothing more/],
    ['fetch', { kind: 'origin', origin: 'file:///etc' }, /origin such as/],
    ['mcp__db__query', { kind: 'input', input: '{not json' }, /JSON/],
    // A grant that could never match is refused rather than kept as a silent no-op.
    ['shell', { kind: 'file', path: '/home/u/proj/a.ts' }, /cannot cover shell calls; use one of: command, command-prefix, any/],
    ['Bash', { kind: 'command', command: 'npm test' }, /cannot cover Bash calls; use one of: input, any/],
    ['search', { kind: 'file', path: '/home/u/proj/a.ts' }, /cannot cover search calls/],
  ])('%s: %j is refused', (tool, given, why) => {
    expect(() => create(tool, given)).toThrow(InvalidRequestError);
    expect(() => create(tool, given)).toThrow(why);
  });

  it('a matcher is required: a grant is never wider than what was written', () => {
    expect(() => grants.create({ scope: 'project', cwd: '/home/u/proj', tool: 'Bash' } as never, actor)).toThrow();
  });

  it('the audit entry says in plain words what the grant covers', () => {
    create('shell', { kind: 'command', command: 'npm test' });
    const entry = audit.recent(5).find((e) => e.type === 'grant.created');
    expect(entry?.detail.covers).toBe('the command `npm test` exactly');
  });
});
