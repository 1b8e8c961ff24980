import { describe, expect, it } from 'vitest';
import { GlobError, expandBraces, hasGlobSyntax, matchGlob, matchSegment } from '../../../src-main/core/approvals/glob.ts';

describe('matchGlob', () => {
  const cases: Array<[string, string, boolean]> = [
    ['src/**', 'src/a.ts', true],
    ['src/**', 'src/deep/er/a.ts', true],
    ['src/**', 'src', true],
    ['src/**', 'srcx/a.ts', false],
    ['src/**', 'lib/src/a.ts', false],
    ['*.md', 'README.md', true],
    ['*.md', 'docs/README.md', false],
    ['**/*.md', 'docs/README.md', true],
    ['**/*.md', 'README.md', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/x/y/c', false],
    ['**', 'anything/at/all', true],
    ['**', '', true],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file12.txt', false],
    ['{src,test}/**/*.ts', 'test/unit/x.ts', true],
    ['{src,test}/**/*.ts', 'docs/x.ts', false],
    ['*.{ts,tsx}', 'App.tsx', true],
    ['[abc].ts', 'b.ts', true],
    ['[!abc].ts', 'b.ts', false],
    ['[a-c].ts', 'c.ts', true],
    ['\\*.ts', '*.ts', true],
    ['\\*.ts', 'a.ts', false],
    ['./src/*.ts', 'src/a.ts', true],
    ['src//*.ts', 'src/a.ts', true],
    ['a.b', 'aXb', false],
    ['(x)+.ts', '(x)+.ts', true],
  ];
  it.each(cases)('%j vs %j → %s', (glob, path, expected) => {
    expect(matchGlob(glob, path)).toBe(expected);
  });

  describe('dotfiles are never matched by wildcards', () => {
    const dot: Array<[string, string, boolean]> = [
      ['**', '.env', false],
      ['src/**', 'src/.env', false],
      ['**', '.git/hooks/pre-commit', false],
      ['*', '.npmrc', false],
      ['?env', '.env', false],
      ['[.]env', '.env', false],
      ['.env', '.env', true],
      ['.*', '.env', true],
      ['src/.config/**', 'src/.config/x.json', true],
      ['{.env,x}', '.env', true],
    ];
    it.each(dot)('%j vs %j → %s', (glob, path, expected) => {
      expect(matchGlob(glob, path)).toBe(expected);
    });
  });

  it('never lets a wildcard or class cross a separator', () => {
    expect(matchGlob('src/*', 'src/a/b')).toBe(false);
    expect(matchGlob('a[!x]b', 'a/b')).toBe(false);
    expect(matchGlob('a?b', 'a/b')).toBe(false);
  });
});

describe('expandBraces', () => {
  it('expands nested groups and leaves single items and unbalanced braces literal', () => {
    expect(expandBraces('a{b,c{d,e}}f')).toEqual(['abf', 'acdf', 'acef']);
    expect(expandBraces('{a}')).toEqual(['{a}']);
    expect(expandBraces('{a,b')).toEqual(['{a,b']);
    expect(expandBraces('\\{a,b}')).toEqual(['\\{a,b}']);
  });

  it('refuses explosive patterns with a GlobError that names the glob', () => {
    const bomb = '{a,b}'.repeat(12);
    expect(() => expandBraces(bomb)).toThrow(GlobError);
    try {
      expandBraces(bomb);
    } catch (error) {
      expect((error as GlobError).glob).toBe(bomb);
      expect((error as GlobError).name).toBe('GlobError');
    }
  });
});

describe('matchSegment and hasGlobSyntax', () => {
  it('tests one segment, with braces', () => {
    expect(matchSegment('.e*', '.env')).toBe(true);
    expect(matchSegment('*.pem', 'server.pem')).toBe(true);
    expect(matchSegment('*', '.env')).toBe(false);
    expect(matchSegment('{x,id_rsa}', 'id_rsa')).toBe(true);
  });

  it('recognises glob syntax', () => {
    expect(hasGlobSyntax('a*')).toBe(true);
    expect(hasGlobSyntax('{a,b}')).toBe(true);
    expect(hasGlobSyntax('{a}')).toBe(false);
    expect(hasGlobSyntax('\\*')).toBe(false);
    expect(hasGlobSyntax('plain.txt')).toBe(false);
  });
});
