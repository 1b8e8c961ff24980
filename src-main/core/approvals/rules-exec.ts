/**
 * Risk rules for programs that look harmless but run other commands through an option or a
 * built-in command language (a pager's `!cmd`, an editor's `:!cmd`, `man -P`, `zip -TT`), and for
 * those that read other processes' environments. A command that can run another command is at
 * least `high` unless the inner command is parsed and classified on its own (`find -exec`,
 * `xargs`, `bash -c`, which the parser unwraps).
 */
import { parseArgs } from './shell-words.ts';
import type { CommandCheck, CommandRule } from './rules-types.ts';

const RUNS = (what: string) => `${what}, which runs a command Reins cannot analyse`;

/** `less`/`more`: `+cmd` runs a pager command at start (`+!sh` runs a shell); LESSOPEN runs a program per file. */
const pager: CommandRule = (c) => {
  for (const a of c.args) {
    if (/^\+.*!/.test(a.text) || (a.text.startsWith('+') && a.dynamic)) c.flag(null, 'high', RUNS(`starts ${c.name} with the command ${a.text}`));
    if (a.text.startsWith('+')) c.skip(a);
  }
  if (c.command.assignments.some((v) => /^LESS(OPEN|CLOSE|EDIT)=/.test(v))) c.flag(null, 'high', RUNS(`sets a ${c.name} input preprocessor`));
};

/** `man -P pager`, `man -H browser`, `--pager=`, `MANPAGER=`: the pager is a command line. */
const man: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'PHMSmCLp', long: ['pager', 'html', 'manpath', 'sections', 'systems', 'config-file', 'locale', 'preprocessor'] });
  for (const key of ['-P', '--pager', '-H', '--html', '-p', '--preprocessor']) {
    for (const v of p.values.get(key) ?? []) {
      c.flag(null, 'high', RUNS(`sets man's pager or browser to ${v.text}`));
      c.skip(v);
    }
  }
  if (c.command.assignments.some((v) => /^(MANPAGER|PAGER|BROWSER)=/.test(v))) c.flag(null, 'high', RUNS('sets the pager man runs'));
};

/** vi/vim/nvim/ex/view: `-c`, `--cmd`, `+cmd` and `-S script` run editor commands, which reach the shell (`:!`, `system()`). */
const editor: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'cSiwWTurU', long: ['cmd'] });
  const commands = [...(p.values.get('-c') ?? []), ...(p.values.get('--cmd') ?? []), ...c.args.filter((a) => a.text.startsWith('+') && a.text.length > 1)];
  for (const v of commands) {
    c.flag(null, 'high', RUNS(`runs the editor command ${v.text} (${c.name})`));
    c.skip(v);
  }
  for (const v of p.values.get('-S') ?? []) {
    c.flag(null, 'high', RUNS(`runs the editor script ${v.text} (${c.name})`));
    c.path(v, 'read');
  }
  c.flag('writes', 'medium', `opens an editor (${c.name})`);
  for (const v of p.operands) c.path(v, 'write');
};

/** `zip -TT cmd` / `--unzip-command cmd` test the archive with a command of the caller's choice. */
const zip: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'bnOtx', long: ['unzip-command', 'temp-path', 'suffixes', 'output-file', 'exclude', 'include'] });
  for (const a of c.args) {
    if (a.text === '-TT' || a.text.startsWith('-TT=') || a.text.startsWith('--unzip-command'))
      c.flag(null, 'high', RUNS(`tests the archive with a command (zip ${a.text})`));
  }
  const tt = c.args.findIndex((a) => a.text === '-TT');
  const command = tt === -1 ? undefined : c.args[tt + 1];
  if (command !== undefined) c.skip(command);
  c.flag('writes', 'medium', 'creates an archive (zip)');
  for (const v of p.operands) if (v !== command) c.path(v, c.args.some((a) => /^-[a-zA-Z]*r/.test(a.text)) ? 'read-tree' : 'write');
};

/** `jq env`, `$ENV`: jq can print the whole environment. */
const jq: CommandRule = (c) => {
  const p = parseArgs(c.args, { short: 'fL', long: ['arg', 'argjson', 'slurpfile', 'rawfile', 'args', 'jsonargs', 'from-file', 'indent', 'tab'] });
  const filter = p.values.has('-f') || p.values.has('--from-file') ? undefined : p.operands[0];
  for (const key of ['--arg', '--argjson']) for (const v of p.values.get(key) ?? []) c.skip(v);
  if (filter !== undefined) {
    c.skip(filter);
    if (/\benv\b|\$ENV\b|\$__loc__|input_filename/.test(filter.text) || filter.dynamic)
      c.flag('secrets', 'high', 'prints environment variables (jq env), which may hold secrets');
  }
  for (const v of filter === undefined ? p.operands : p.operands.slice(1)) c.path(v, 'read');
};

/** BSD-style `ps e…` / `ps -E`/`ps eww PID`: print other processes' environments (tokens, keys). */
const ps: CommandRule = (c) => {
  const bsdEnv = c.args.some((a) => !a.text.startsWith('-') && /^[a-zA-Z]+$/.test(a.text) && a.text.includes('e') && !/^\d+$/.test(a.text));
  const format = c.args.some(
    (a, i) =>
      (/^(-o|--format|-O|o|O)$/.test(a.text) && /\b(env|environ)\b/.test(c.args[i + 1]?.text ?? '')) || /^(-o|--format=)\S*\b(env|environ)\b/.test(a.text),
  );
  if (bsdEnv || format || c.args.some((a) => a.text === '-E' || a.text === '--env')) {
    c.flag('secrets', 'high', "prints other processes' environments (ps e), which hold tokens and keys");
  }
  for (const a of c.args) c.skip(a);
};

/** Python's `keyring` command line: `get` prints a stored secret. */
const keyring: CommandRule = (c: CommandCheck) => {
  const sub = c.args.find((a) => !a.text.startsWith('-'))?.text ?? '';
  if (sub === 'get' || sub === 'set' || sub === 'del') c.flag('secrets', 'high', `reads or changes a stored secret (keyring ${sub})`);
  for (const a of c.args) c.skip(a);
};

/** Rules by program name; they replace the plain read-only entries for these names. */
export const EXEC_RULES: Readonly<Record<string, CommandRule>> = {
  less: pager,
  more: pager,
  man,
  vi: editor,
  vim: editor,
  nvim: editor,
  view: editor,
  ex: editor,
  vimdiff: editor,
  gvim: editor,
  zip,
  jq,
  ps,
  keyring,
};
