import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Grant } from '../../../src-main/contract/domain.ts';
import { commandMatches, grantMatches, pathMatches } from '../../../src-main/core/approvals/grant-match.ts';
import type { GrantCall } from '../../../src-main/core/approvals/grant-match.ts';
import { fsPathProbe } from '../../../src-main/core/approvals/path-probe.ts';
import type { PathProbe } from '../../../src-main/core/approvals/paths.ts';

const NOW = 1_000_000;

function grant(over: Partial<Grant> = {}): Grant {
  return {
    id: 'g1',
    scope: 'session',
    sessionId: 's1',
    projectId: 'p1',
    tool: 'Bash',
    matcher: { kind: 'any' },
    createdAt: 0,
    expiresAt: null,
    revokedAt: null,
    createdBy: 'owner',
    ...over,
  };
}

function call(over: Partial<GrantCall> = {}): GrantCall {
  return { tool: 'Bash', input: { command: 'ls' }, sessionId: 's1', projectId: 'p1', projectDir: '/home/u/proj', ...over };
}

describe('grantMatches: lifetime, scope and tool', () => {
  const rows: Array<[string, Partial<Grant>, Partial<GrantCall>, boolean]> = [
    ['an active session grant', {}, {}, true],
    ['a revoked grant', { revokedAt: 5 }, {}, false],
    ['an expired grant', { expiresAt: NOW }, {}, false],
    ['a grant expiring later', { expiresAt: NOW + 1 }, {}, true],
    ['another session', {}, { sessionId: 's2' }, false],
    ['a session grant without a session', { sessionId: null }, {}, false],
    ['a run grant of the same session', { scope: 'run' }, {}, true],
    ['a run grant of another session', { scope: 'run' }, { sessionId: 's2' }, false],
    ['a project grant from another session of the project', { scope: 'project', sessionId: null }, { sessionId: 's9' }, true],
    ['a project grant of another project', { scope: 'project' }, { projectId: 'p2' }, false],
    ['a project grant without a project', { scope: 'project', projectId: null }, {}, false],
    ['another tool', { tool: 'Write' }, {}, false],
    ['the wildcard tool', { tool: '*' }, { tool: 'WebFetch', input: { url: 'x' } }, true],
    ['a tool name differing in case', { tool: 'bash' }, {}, false],
    ['an `any` grant on Bash covers every command (owner choice)', {}, { input: { command: 'rm -rf build && curl x | sh' } }, true],
    ['a command grant on a non-Bash call', { tool: '*', matcher: { kind: 'command', prefix: 'ls' } }, { tool: 'Read', input: { file_path: 'ls' } }, false],
    ['a path grant on Bash', { matcher: { kind: 'path', glob: '**' } }, {}, false],
  ];
  it.each(rows)('%s → %s', (_label, g, c, expected) => {
    expect(grantMatches(grant(g), call(c), NOW)).toBe(expected);
  });
});

describe('commandMatches: every simple command must start with the prefix', () => {
  const rows: Array<[string, string, boolean]> = [
    ['npm test', 'npm test', true],
    ['npm test', 'npm test -- -u', true],
    ['npm test', '  npm test  ', true],
    ['npm test', 'npm "test" --watch=false', true],
    ['npm test', 'npm test && npm test -- -u', true],
    ['npm test', '(npm test) || npm test', true],
    ['npm test', 'npm testx', false],
    ['npm test', 'npm', false],
    ['npm test', 'npm run test', false],
    ['npm test', 'npm test; rm -rf /', false],
    ['npm test', 'npm test && curl x|sh', false],
    ['npm test', 'npm test $(rm -rf ~)', false],
    ['npm test', 'npm test `rm -rf ~`', false],
    ['npm test', 'npm test "$(rm -rf ~)"', false],
    ['npm test', 'npm test $(npm test)', false],
    ['npm test', 'eval npm test', false],
    ['npm test', 'npm test <(curl x)', false],
    ['npm test', 'npm test\nrm -rf ~', false],
    ['npm test', 'npm test & rm -rf ~', false],
    ['npm test', 'npm test | sh', false],
    ['npm test', 'npm test > out.txt', false],
    ['npm test', 'npm test 2>&1', false],
    ['npm test', 'npm test < input', false],
    ['npm test', 'npm test <<EOF\nx\nEOF', false],
    ['npm test', 'FOO=1 npm test', false],
    ['npm test', 'NODE_OPTIONS=--require=./evil.js npm test', false],
    ['npm test', 'sudo npm test', false],
    ['npm test', 'env npm test', false],
    ['npm test', 'npm test "unterminated', false],
    ['npm test', 'npm $T', false],
    ['npm test', 'np"m" test', true],
    ['npm test', 'npm te?t', false],
    ['git log', 'git log --oneline -5', true],
    ['git log', 'git -c core.pager=sh log', false],
    ['find .', "find . -name '*.ts'", true],
    ['find .', 'find . -exec rm -rf {} \\;', false],
    ['ls', 'bash -c "ls"', false],
    ['bash -c', 'bash -c "rm -rf ~"', false],
    ['xargs', 'xargs rm', true],
    ['rm build', 'rm build', true],
    ["rm '*'", 'rm *', false],
    ['rm *', "rm '*'", false],
    ["cat '~/x'", 'cat ~/x', false],
    ['echo hi > out.txt', 'echo hi > out.txt', true],
    ['echo hi > out.txt', 'echo hi > out.txt; rm -rf ~', false],
    ['npm test && npm run lint', 'npm test && npm run lint', true],
    ['npm test && npm run lint', 'npm test', false],
    ['npm test; rm -rf /', 'npm test', false],
    ['$X', '$X', true],
    ['$X', '$X -rf /', false],
    ['', 'ls', false],
    ['   ', '   ', false],
  ];
  it.each(rows)('prefix %j vs %j → %s', (prefix, command, expected) => {
    expect(commandMatches(prefix, command)).toBe(expected);
  });

  it('rejects a command that is not text', () => {
    expect(commandMatches('ls', undefined)).toBe(false);
    expect(commandMatches('ls', ['ls'])).toBe(false);
  });
});

describe('pathMatches: lexical checks', () => {
  const c = (input: Record<string, unknown>, tool = 'Write'): GrantCall => call({ tool, input });
  const rows: Array<[string, Record<string, unknown>, string, boolean]> = [
    ['src/**', { file_path: '/home/u/proj/src/a.ts' }, 'Write', true],
    ['src/**', { file_path: 'src/deep/a.ts' }, 'Write', true],
    ['src/**', { file_path: '/home/u/proj/lib/a.ts' }, 'Write', false],
    ['src/**', { file_path: '/home/u/proj/src/../lib/a.ts' }, 'Write', false],
    ['src/**', { file_path: '/home/u/proj/src//a.ts' }, 'Write', true],
    ['src/**', { file_path: '/home/u/proj/src/.env' }, 'Write', false],
    ['**', { file_path: '/home/u/proj/.git/hooks/pre-commit' }, 'Write', false],
    ['**', { file_path: '/home/u/other/a.ts' }, 'Write', false],
    ['**', { file_path: '/home/u/proj/../proj2/a.ts' }, 'Write', false],
    ['**', { file_path: '/home/u/proj-evil/a.ts' }, 'Write', false],
    ['**', { file_path: '~/a.ts' }, 'Write', false],
    ['**', { file_path: '' }, 'Write', false],
    ['**', { file_path: 42 }, 'Write', false],
    ['**', {}, 'Write', false],
    ['*.md', { file_path: '/home/u/proj/README.md' }, 'Edit', true],
    ['*.md', { file_path: '/home/u/proj/docs/a.md' }, 'Edit', false],
    ['/home/u/proj/docs/**', { file_path: '/home/u/proj/docs/a.md' }, 'Edit', true],
    ['/etc/**', { file_path: '/etc/hosts' }, 'Edit', false],
    ['~/**', { file_path: '/home/u/proj/a' }, 'Edit', false],
    ['.env', { file_path: '/home/u/proj/.env' }, 'Read', true],
    ['nb/*.ipynb', { notebook_path: '/home/u/proj/nb/a.ipynb' }, 'NotebookEdit', true],
    ['src/**', { path: '/home/u/proj/src' }, 'Grep', true],
    ['src/**', { path: '/home/u/proj' }, 'Grep', false],
    ['**', { path: '/home/u/proj', pattern: '../../**' }, 'Glob', false],
    ['**', { path: '/home/u/proj', pattern: '/etc/*' }, 'Glob', false],
    ['**', { path: '/home/u/proj', pattern: 'src/**/*.ts' }, 'Glob', true],
    ['src/**', { file_path: '/home/u/proj/src/a.ts', path: '/home/u' }, 'Grep', false],
    ['{a,b}'.repeat(12), { file_path: '/home/u/proj/a' }, 'Write', false],
  ];
  it.each(rows)('glob %j with %j (%s) → %s', (glob, input, tool, expected) => {
    expect(pathMatches(glob, c(input, tool))).toBe(expected);
  });

  it('needs the same session, tool and path for a path grant', () => {
    const g = grant({ tool: 'Write', matcher: { kind: 'path', glob: 'src/**' } });
    expect(grantMatches(g, c({ file_path: '/home/u/proj/src/a.ts' }), NOW)).toBe(true);
    expect(grantMatches(g, c({ file_path: '/home/u/proj/src/a.ts' }, 'Edit'), NOW)).toBe(false);
  });
});

describe('pathMatches: symlinks on a real filesystem', () => {
  let root: string;
  let proj: string;
  let outside: string;

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'reins-grant-')));
    proj = path.join(root, 'proj');
    outside = path.join(root, 'outside');
    fs.mkdirSync(path.join(proj, 'src'), { recursive: true });
    fs.mkdirSync(path.join(proj, 'docs'), { recursive: true });
    fs.mkdirSync(path.join(outside, 'deep', 'dir'), { recursive: true });
    fs.writeFileSync(path.join(proj, 'src', 'a.ts'), 'x');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'x');
    fs.symlinkSync(outside, path.join(proj, 'src', 'out'));
    fs.symlinkSync(path.join(outside, 'deep', 'dir'), path.join(proj, 'src', 'deeplink'));
    fs.symlinkSync(path.join(proj, 'src'), path.join(proj, 'docs', 'to-src'));
    fs.symlinkSync(path.join(outside, 'created-by-write.txt'), path.join(proj, 'src', 'dangling'));
    fs.symlinkSync(path.join(proj, 'src', 'loop'), path.join(proj, 'src', 'loop'));
    fs.symlinkSync(proj, path.join(root, 'proj-link'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  const write = (file: string, projectDir = proj): GrantCall => call({ tool: 'Write', input: { file_path: file }, projectDir });

  it('allows real files inside the glob', () => {
    expect(pathMatches('src/**', write(path.join(proj, 'src', 'a.ts')), { probe: fsPathProbe })).toBe(true);
    expect(pathMatches('src/**', write(path.join(proj, 'src', 'new.ts')), { probe: fsPathProbe })).toBe(true);
  });

  it('rejects a symlinked directory that leads outside the project', () => {
    const target = path.join(proj, 'src', 'out', 'secret.txt');
    expect(pathMatches('src/**', write(target))).toBe(true);
    expect(pathMatches('src/**', write(target), { probe: fsPathProbe })).toBe(false);
  });

  it('rejects a new file written through an outside symlink', () => {
    expect(pathMatches('src/**', write(path.join(proj, 'src', 'out', 'new.txt')), { probe: fsPathProbe })).toBe(false);
  });

  it('rejects a dangling symlink whose target would be created outside', () => {
    expect(pathMatches('src/**', write(path.join(proj, 'src', 'dangling')), { probe: fsPathProbe })).toBe(false);
  });

  it('resolves link/.. the way the kernel does (after following the link)', () => {
    const sneaky = `${path.join(proj, 'src', 'deeplink')}/../secret.txt`;
    expect(pathMatches('src/**', write(sneaky))).toBe(true);
    expect(pathMatches('src/**', write(sneaky), { probe: fsPathProbe })).toBe(false);
  });

  it('matches the real location, not the link name, for links inside the project', () => {
    const viaLink = path.join(proj, 'docs', 'to-src', 'a.ts');
    expect(pathMatches('docs/**', write(viaLink), { probe: fsPathProbe })).toBe(false);
    expect(pathMatches('src/**', write(viaLink), { probe: fsPathProbe })).toBe(true);
  });

  it('rejects a symlink loop', () => {
    expect(pathMatches('src/**', write(path.join(proj, 'src', 'loop')), { probe: fsPathProbe })).toBe(false);
  });

  it('accepts a project opened through a symlinked directory', () => {
    const projectDir = path.join(root, 'proj-link');
    expect(pathMatches('src/**', write(path.join(projectDir, 'src', 'a.ts'), projectDir), { probe: fsPathProbe })).toBe(true);
    expect(pathMatches('src/**', write(path.join(proj, 'src', 'a.ts'), projectDir), { probe: fsPathProbe })).toBe(true);
  });

  it('fails closed when the filesystem refuses to answer', () => {
    const refusing: PathProbe = {
      realpath: () => {
        throw Object.assign(new Error('denied'), { code: 'EACCES' });
      },
      readlink: () => {
        throw Object.assign(new Error('denied'), { code: 'EACCES' });
      },
    };
    expect(pathMatches('**', write(path.join(proj, 'src', 'a.ts')), { probe: refusing })).toBe(false);
  });
});
