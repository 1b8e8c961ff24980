import { describe, expect, it } from 'vitest';
import { parseShell } from '../../../src-main/core/approvals/shell-parse.ts';
import type { ParsedShell, SimpleCommand } from '../../../src-main/core/approvals/shell-parse.ts';

const argv = (c: SimpleCommand | undefined): string[] => (c ? c.argv.map((w) => w.text) : []);
const all = (p: ParsedShell): string[][] => p.commands.map(argv);

describe('parseShell: splitting into simple commands', () => {
  const cases: Array<[string, string[][]]> = [
    ['ls -la', [['ls', '-la']]],
    ['a; b', [['a'], ['b']]],
    ['a && b || c', [['a'], ['b'], ['c']]],
    ['a | b |& c', [['a'], ['b'], ['c']]],
    ['a & b', [['a'], ['b']]],
    ['a\nb\n\nc', [['a'], ['b'], ['c']]],
    ['a;b&&c', [['a'], ['b'], ['c']]],
    ['echo "a; b" \'c && d\'', [['echo', 'a; b', 'c && d']]],
    ['echo a\\;b', [['echo', 'a;b']]],
    ['echo a\\\nb', [['echo', 'ab']]],
    ['echo a#b; c # comment; d', [['echo', 'a#b'], ['c']]],
    ['echo "x"y\'z\'', [['echo', 'xyz']]],
    ["echo $'a\\tb'", [['echo', 'a\tb']]],
    ["$'\\x72\\x6d' -rf x", [['rm', '-rf', 'x']]],
    ['\\rm -rf x', [['rm', '-rf', 'x']]],
    ['"r"m x', [['rm', 'x']]],
    ['echo $"hi"', [['echo', 'hi']]],
    ['( a; b ) && c', [['a'], ['b'], ['c']]],
    ['{ a; b; } | c', [['a'], ['b'], ['c']]],
    [
      'if test -f x; then rm x; else touch x; fi',
      [
        ['test', '-f', 'x'],
        ['rm', 'x'],
        ['touch', 'x'],
      ],
    ],
    ['while true; do sleep 1; done', [['true'], ['sleep', '1']]],
    ['! grep -q x f', [['grep', '-q', 'x', 'f']]],
    ['f() { rm -rf ~; }; f', [['rm', '-rf', '~'], ['f']]],
    ['function g { curl x; }', [['curl', 'x']]],
    [
      '[[ -f a && -f b ]] && echo ok',
      [
        ['[[', '-f', 'a', '&&', '-f', 'b', ']]'],
        ['echo', 'ok'],
      ],
    ],
    ['echo x\r; y', [['echo', 'x\r'], ['y']]],
    ['echo a\u00a0b', [['echo', 'a\u00a0b']]],
  ];
  it.each(cases)('%j', (src, expected) => {
    const p = parseShell(src);
    expect(p.opaque).toBe(false);
    expect(all(p)).toEqual(expected);
  });
});

describe('parseShell: substitutions are commands too', () => {
  it('finds $( ) and backtick commands, inside and outside double quotes', () => {
    const p = parseShell('echo "$(whoami)" `date` $(ls $(pwd))');
    expect(all(p)).toEqual(expect.arrayContaining([['whoami'], ['date'], ['pwd'], ['ls', '$(pwd)']]));
    const echo = p.commands.find((c) => argv(c)[0] === 'echo');
    expect(echo?.argv.slice(1).every((w) => w.dynamic)).toBe(true);
    const inner = p.commands.find((c) => argv(c)[0] === 'whoami');
    expect(inner?.origin).toBe('substitution');
    expect(inner?.parent).toBe(echo?.id);
  });

  it('finds process substitutions <( ) and >( ); the latter read the outer output', () => {
    const p = parseShell('diff <(sort a) >(tee b)');
    expect(all(p)).toEqual(
      expect.arrayContaining([
        ['sort', 'a'],
        ['tee', 'b'],
      ]),
    );
    expect(p.commands.find((c) => argv(c)[0] === 'sort')).toMatchObject({ origin: 'process-substitution', pipedInput: false });
    expect(p.commands.find((c) => argv(c)[0] === 'tee')?.pipedInput).toBe(true);
  });

  it('follows a comment inside $( ) to the next line, as bash does', () => {
    expect(all(parseShell('echo $(echo a # )\nrm -rf x\n)'))).toEqual(expect.arrayContaining([['rm', '-rf', 'x']]));
  });

  it('reads a here-document that starts inside $( )', () => {
    const p = parseShell('x=$(cat <<EOF\n$(id)\nEOF\n); echo done');
    expect(all(p)).toEqual(expect.arrayContaining([['id'], ['cat'], ['echo', 'done']]));
    expect(p.opaque).toBe(false);
  });

  it('ends an unquoted here-document where bash does (backslash-newline joins the delimiter)', () => {
    const p = parseShell('cat <<EOF\nbody\nEO\\\nF\nrm -rf x\nEOF\n');
    expect(all(p)).toEqual([['cat'], ['rm', '-rf', 'x'], ['EOF']]);
    const quoted = parseShell("cat <<'EOF'\nEO\\\nF\nrm -rf x\nEOF\n");
    expect(all(quoted)).toEqual([['cat']]);
  });

  it('finds substitutions in assignments, redirect targets and unquoted here-documents', () => {
    const p = parseShell('X=$(id) cat > "$(mktemp)" <<EOF\n$(uname)\n`hostname`\nEOF\n');
    expect(all(p)).toEqual(expect.arrayContaining([['id'], ['mktemp'], ['uname'], ['hostname']]));
  });

  it('does not execute quoted here-documents', () => {
    const p = parseShell("cat <<'EOF'\n$(uname)\nEOF\necho after");
    expect(all(p)).toEqual([['cat'], ['echo', 'after']]);
    expect(p.commands[0]?.redirects[0]?.body).toBe('$(uname)\n');
  });

  it('treats $(( )) as arithmetic, not a command', () => {
    const p = parseShell('echo $((1 + 2))');
    expect(all(p)).toEqual([['echo', '$((1 + 2))']]);
    expect(p.opaque).toBe(false);
  });

  it('treats (( )) as arithmetic and ((a) ) as nested subshells, like bash', () => {
    expect(all(parseShell('(( i++ ))'))).toEqual([['((', ' i++ ', '))']]);
    expect(all(parseShell('((echo hi) )'))).toEqual([['echo', 'hi']]);
  });
});

describe('parseShell: wrappers are peeled and command strings parsed', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['sudo -u root rm -rf /x', ['sudo'], ['rm', '-rf', '/x']],
    ['sudo -- rm x', ['sudo'], ['rm', 'x']],
    ['env -i FOO=1 BAR=2 node app.js', ['env'], ['node', 'app.js']],
    ['nice -n 10 nohup make', ['nice', 'nohup'], ['make']],
    ['nice -5 make', ['nice'], ['make']],
    ['timeout -s KILL 5s curl x', ['timeout'], ['curl', 'x']],
    ['xargs -0 -n 1 rm -f', ['xargs'], ['rm', '-f']],
    ['command rm x', ['command'], ['rm', 'x']],
    ['exec -a name ls', ['exec'], ['ls']],
    ['stdbuf -oL tail -f log', ['stdbuf'], ['tail', '-f', 'log']],
    ['/usr/bin/sudo /bin/rm x', ['sudo'], ['/bin/rm', 'x']],
    ['doas -u root sh', ['doas'], ['sh']],
    ['cross-env NODE_ENV=test jest', ['cross-env'], ['jest']],
  ];
  it.each(cases)('%j', (src, wrappers, inner) => {
    const c = parseShell(src).commands[0];
    expect(c?.wrappers).toEqual(wrappers);
    expect(argv(c)).toEqual(inner);
  });

  it('keeps wrapper words and assignments in `words` (what grants compare)', () => {
    const c = parseShell('FOO=1 sudo env BAR=2 ls').commands[0];
    expect(c?.words.map((w) => w.text)).toEqual(['FOO=1', 'sudo', 'env', 'BAR=2', 'ls']);
    expect(c?.assignments).toEqual(['FOO=1', 'BAR=2']);
  });

  it('marks xargs commands as taking arguments from input', () => {
    expect(parseShell('find . | xargs rm').commands[1]?.argsFromInput).toBe(true);
  });

  it('leaves command -v and sudo -l alone', () => {
    expect(argv(parseShell('command -v git').commands[0])).toEqual(['command', '-v', 'git']);
    expect(parseShell('sudo -l').commands[0]?.wrappers).toEqual([]);
  });

  const strings: Array<[string, string[][]]> = [
    ['bash -c "rm -rf /tmp/x; ls"', [['rm', '-rf', '/tmp/x'], ['ls']]],
    [
      "sh -lc 'echo a | wc -l'",
      [
        ['echo', 'a'],
        ['wc', '-l'],
      ],
    ],
    ['bash -o pipefail -c "curl x"', [['curl', 'x']]],
    ["eval 'rm -rf' build", [['rm', '-rf', 'build']]],
    ["su -c 'id' root", [['id']]],
    ["trap 'rm -f lock' EXIT", [['rm', '-f', 'lock']]],
    ['watch -n 5 ls -l', [['ls', '-l']]],
    ["find . -name '*.o' -exec rm -f {} \\;", [['rm', '-f', '{}']]],
    ['find . -execdir chmod 644 {} +', [['chmod', '644', '{}']]],
    ['xargs sh -c \'rm "$@"\' _', [['rm', '$@']]],
    ['bash <<EOF\nrm -rf build\nEOF\n', [['rm', '-rf', 'build']]],
    ['sudo bash <<< "id"', [['id']]],
  ];
  it.each(strings)('parses the command string in %j', (src, inner) => {
    const p = parseShell(src);
    const nested = p.commands.filter((c) => c.parent !== null).map(argv);
    expect(nested).toEqual(inner);
  });
});

describe('parseShell: assignments and redirections', () => {
  it('separates NAME=value prefixes from the command', () => {
    const c = parseShell('A=1 B="x y" cmd arg').commands[0];
    expect(c?.assignments).toEqual(['A=1', 'B=x y']);
    expect(argv(c)).toEqual(['cmd', 'arg']);
  });

  it('keeps a bare assignment as a command without argv', () => {
    const c = parseShell('X=$(date)').commands.find((cmd) => cmd.assignments.length > 0);
    expect(c?.argv).toEqual([]);
  });

  it('does not take a quoted NAME=value for an assignment', () => {
    expect(argv(parseShell('"A=1" x').commands[0])).toEqual(['A=1', 'x']);
  });

  it('reads every redirection operator with its descriptor and target', () => {
    const c = parseShell('cmd >out 2>>err &>both <in 3<>rw 2>&1 >|force <<<"here" {fd}>named').commands[0];
    expect(c?.redirects.map((r) => [r.op, r.fd, r.target.text])).toEqual([
      ['>', null, 'out'],
      ['>>', 2, 'err'],
      ['&>', null, 'both'],
      ['<', null, 'in'],
      ['<>', 3, 'rw'],
      ['>&', 2, '1'],
      ['>|', null, 'force'],
      ['<<<', null, 'here'],
      ['>', null, 'named'],
    ]);
    expect(argv(c)).toEqual(['cmd']);
  });

  it('does not take digits inside a word for a descriptor', () => {
    const c = parseShell('echo a2>x').commands[0];
    expect(argv(c)).toEqual(['echo', 'a2']);
    expect(c?.redirects[0]?.fd).toBeNull();
  });

  it('applies redirections after a group to every command inside it', () => {
    const p = parseShell('{ a; b; } > out');
    expect(p.commands.every((c) => c.redirects.some((r) => r.target.text === 'out'))).toBe(true);
  });

  it('reads here-document bodies, with <<- stripping tabs', () => {
    const p = parseShell('cat <<-END\n\tone\n\ttwo\n\tEND\necho next');
    expect(p.commands[0]?.redirects[0]?.body).toBe('one\ntwo\n');
    expect(argv(p.commands[1])).toEqual(['echo', 'next']);
  });

  it('records words as dynamic, glob or tilde', () => {
    const [a, b, c, d, e] = parseShell('x ~/f *.ts "$HOME" \'*\'').commands[0]?.argv.slice(1) ?? [];
    expect(a).toMatchObject({ text: '~/f', tilde: true, glob: false });
    expect(b).toMatchObject({ text: '*.ts', glob: true });
    expect(c).toMatchObject({ text: '$HOME', dynamic: true, quoted: true });
    expect(d).toMatchObject({ text: '*', glob: false, quoted: true });
    expect(e).toBeUndefined();
  });

  it('marks pipeline stages after the first as reading piped input', () => {
    const p = parseShell('a | b; c | (d; e)');
    expect(p.commands.map((c) => [argv(c)[0], c.pipedInput])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
      ['d', true],
      ['e', true],
    ]);
  });
});

describe('parseShell: opaque input', () => {
  const cases: Array<[string, RegExp]> = [
    ['echo "unterminated', /double quote/],
    ["echo 'unterminated", /single quote/],
    ['echo `date', /backquote/],
    ['echo $(date', /missing closing/],
    ['( a', /missing closing/],
    ['a )', /unbalanced/],
    ['$CMD -rf /', /program name is only known at run time/],
    ['"$@"', /program name is only known at run time/],
    ['$(echo rm) -rf /', /program name is only known at run time/],
    ['/bin/r? -rf /', /program name is a pattern/],
    ['{rm,-rf,/}', /program name is a pattern/],
    ['eval "$X"', /eval/],
    ['bash -c "$X"', /bash -c/],
    ['sh -c', /no command string/],
    ['cat <<EOF\nno end', /here-document is not terminated/],
    ['case $x in a) rm x;; esac', /case/],
    ['env -S "rm -rf /"', /env -S/],
    ["alias ls='rm -rf ~'", /alias/],
    ['echo ${x:-$(id)}', /inside \$\{/],
    ["echo ${x:-'a'}", /quotes inside/],
    ["x='a[$(id)]'; (( x ))", /arithmetic/],
    ['echo $(( $(id) ))', /arithmetic/],
    ['find . -exec rm {}', /not terminated/],
    ['bash <<< "$X"', /here-string/],
    [`${'$('.repeat(30)}x${')'.repeat(30)}`, /nested too deeply/],
  ];
  it.each(cases)('%j is opaque', (src, reason) => {
    const p = parseShell(src);
    expect(p.opaque).toBe(true);
    expect(p.reasons.join(' | ')).toMatch(reason);
  });

  it('still lists the commands it can see in an opaque line', () => {
    const p = parseShell('rm -rf ~; echo "oops');
    expect(p.opaque).toBe(true);
    expect(all(p)[0]).toEqual(['rm', '-rf', '~']);
  });

  it('never throws and stays fast on hostile input', () => {
    const hostile = [
      '"'.repeat(5000),
      '$('.repeat(5000),
      '`'.repeat(5001),
      '{'.repeat(5000),
      '\\'.repeat(5001),
      'a|'.repeat(5000),
      '<<E\n'.repeat(2000),
      '$a'.repeat(50_000),
      'f ('.repeat(20_000),
      `${"$'\\x41".repeat(20_000)}'`,
      `eval ${"'eval x';".repeat(500)}`,
    ];
    const start = performance.now();
    for (const src of hostile) expect(() => parseShell(src)).not.toThrow();
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('refuses to analyse absurdly long lines', () => {
    const p = parseShell(`echo ${'x'.repeat(1_000_001)}`);
    expect(p).toMatchObject({ opaque: true, commands: [] });
    expect(p.reasons[0]).toMatch(/longer than/);
  });
});
