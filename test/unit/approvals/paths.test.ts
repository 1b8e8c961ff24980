import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PathProbe } from '../../../src-main/core/approvals/paths.ts';
import { isInside, joinRaw, realDirectory, relativeInside, resolveReal } from '../../../src-main/core/approvals/paths.ts';
import { privilegedWriteReason, secretPathReason } from '../../../src-main/core/approvals/sensitive-paths.ts';

/** An in-memory filesystem: existing paths plus symlinks, resolved like the kernel does. */
function memoryProbe(existing: string[], links: Record<string, string>): PathProbe {
  const exists = new Set(existing);
  const fail = (code: string): never => {
    throw Object.assign(new Error(code), { code });
  };
  const realpath = (p: string): string => {
    let current = '/';
    const parts = p.split('/').filter((s) => s !== '' && s !== '.');
    let hops = 0;
    while (parts.length > 0) {
      const part = parts.shift() as string;
      if (part === '..') {
        current = path.dirname(current);
        continue;
      }
      const next = path.join(current, part);
      const link = links[next];
      if (link !== undefined) {
        if (++hops > 40) fail('ELOOP');
        parts.unshift(...link.split('/').filter((s) => s !== ''));
        if (link.startsWith('/')) current = '/';
        continue;
      }
      if (!exists.has(next)) fail('ENOENT');
      current = next;
    }
    return current;
  };
  return {
    realpath,
    readlink: (p) => links[p] ?? fail(exists.has(p) ? 'EINVAL' : 'ENOENT'),
  };
}

const probe = memoryProbe(['/p', '/p/src', '/p/src/a.ts', '/out', '/out/deep', '/out/deep/dir', '/home', '/home/u'], {
  '/p/src/out': '/out',
  '/p/src/deep': '/out/deep/dir',
  '/p/src/rel': '../src',
  '/p/src/dangling': '/out/new-file',
  '/p/src/chain1': '/p/src/chain2',
  '/p/src/chain2': '/p/src/dangling',
  '/p/src/self': '/p/src/self',
});

describe('resolveReal', () => {
  const rows: Array<[string, string]> = [
    ['/p/src/a.ts', '/p/src/a.ts'],
    ['/p/src/new.ts', '/p/src/new.ts'],
    ['/p/src/missing/dir/x', '/p/src/missing/dir/x'],
    ['/p/src/out/x', '/out/x'],
    ['/p/src/deep/../x', '/out/deep/x'],
    ['/p/src/rel/a.ts', '/p/src/a.ts'],
    ['/p/src/dangling', '/out/new-file'],
    ['/p/src/chain1', '/out/new-file'],
    ['/p//src/./a.ts', '/p/src/a.ts'],
  ];
  it.each(rows)('%s → %s', (input, expected) => {
    expect(resolveReal(input, probe)).toEqual({ ok: true, path: expected });
  });

  it('normalises lexically without a probe (and cannot see links)', () => {
    expect(resolveReal('/p/src/deep/../x')).toEqual({ ok: true, path: '/p/src/x' });
  });

  it('refuses NUL bytes, relative paths and link loops', () => {
    expect(resolveReal('/p/a\0b', probe).ok).toBe(false);
    expect(resolveReal('p/a', probe).ok).toBe(false);
    const loop = resolveReal('/p/src/self', probe);
    expect(loop.ok).toBe(false);
    if (!loop.ok) expect(loop.reason).toMatch(/ELOOP|too many symbolic links/);
  });
});

describe('path helpers', () => {
  it('joins without collapsing ..', () => {
    expect(joinRaw('/p', 'link/../x')).toBe('/p/link/../x');
    expect(joinRaw('/p/', 'x')).toBe('/p/x');
    expect(joinRaw('/p', '/abs')).toBe('/abs');
  });

  it('checks containment by whole segments', () => {
    expect(isInside('/p/src', '/p')).toBe(true);
    expect(isInside('/p', '/p')).toBe(true);
    expect(isInside('/p-evil/x', '/p')).toBe(false);
    expect(isInside('/', '/p')).toBe(false);
    expect(relativeInside('/p/src/a.ts', '/p')).toBe('src/a.ts');
    expect(relativeInside('/q/a.ts', '/p')).toBeNull();
  });

  it('resolves a project directory through links', () => {
    const linked = memoryProbe(['/real', '/real/proj'], { '/work': '/real' });
    expect(realDirectory('/work/proj', linked)).toBe('/real/proj');
    expect(realDirectory('/nowhere/proj', linked)).toBe('/nowhere/proj');
  });
});

describe('sensitive paths', () => {
  const ctx = { homeDir: '/home/u' };
  const secrets: Array<[string, string | null]> = [
    ['/home/u/proj/.env', 'environment file'],
    ['/home/u/proj/.env.production', 'environment file'],
    ['/home/u/proj/prod.env', 'environment file'],
    ['/home/u/.ssh/config', '.ssh directory'],
    ['/home/u/keys/id_ed25519', 'SSH private key'],
    ['/home/u/keys/id_ed25519.pub', null],
    ['/home/u/proj/tls/server.pem', 'key or certificate file'],
    ['/home/u/.npmrc', 'credentials file'],
    ['/home/u/.aws/credentials', '.aws directory'],
    ['/home/u/.config/gh/hosts.yml', 'cloud CLI credentials'],
    ['/home/u/.docker/config.json', 'Docker credentials'],
    ['/proc/self/environ', 'process environment'],
    ['/etc/shadow', 'system password file'],
    ['/home/u/proj/src/environment.ts', null],
    ['/home/u/proj/README.md', null],
  ];
  it.each(secrets)('%s → %s', (p, reason) => {
    expect(secretPathReason(p, ctx)).toBe(reason);
  });

  const privileged: Array<[string, RegExp | null]> = [
    ['/etc/hosts', /system files/],
    ['/usr/local/lib/x', /system files/],
    ['/home/u/.bashrc', /shell start-up/],
    ['/home/u/.config/fish/config.fish', /shell start-up/],
    ['/home/u/proj/.git/hooks/pre-push', /git hooks/],
    ['/home/u/proj/.git/config', /git hooks or git config/],
    ['/home/u/proj/.git/objects/ab/cd', null],
    ['/home/u/proj/.claude/settings.local.json', /agent's own settings/],
    ['/home/u/proj/.claude/commands/x.md', null],
    ['/home/u/proj/.mcp.json', /MCP servers/],
    ['/home/u/.ssh/authorized_keys', /log in over SSH/],
    ['/home/u/Library/LaunchAgents/x.plist', /background service/],
    ['/home/u/proj/src/a.ts', null],
  ];
  it.each(privileged)('writing %s → %s', (p, reason) => {
    const found = privilegedWriteReason(p, ctx);
    if (reason === null) expect(found).toBeNull();
    else expect(found).toMatch(reason);
  });
});
