/**
 * Risk findings for a Bash command line: parses it, follows `cd`, applies the per-program rules,
 * checks every path argument and redirection, and looks for downloads piped into a shell.
 */
import path from 'node:path';
import type { Finding } from './risk-model.ts';
import { finding } from './risk-model.ts';
import type { PathEnv } from './path-findings.ts';
import { assessPath } from './path-findings.ts';
import { isInside, joinRaw, resolveReal } from './paths.ts';
import { hasGlobSyntax } from './glob.ts';
import { parseShell } from './shell-parse.ts';
import type { ShellWord, SimpleCommand } from './shell-parse.ts';
import { SHELL_NAMES, commandBaseName, parseArgs } from './shell-words.ts';
import { isNetworkDevice, patternMayMatchSecret, secretNameReason } from './sensitive-paths.ts';
import type { CommandCheck, CommandRule, PathAccess } from './rules-types.ts';
import { FILE_RULES } from './rules-files.ts';
import { PRIVILEGE_WRAPPERS, SYSTEM_RULES, assignmentFinding } from './rules-system.ts';
import { NETWORK_RULES } from './rules-network.ts';
import { git } from './rules-git.ts';
import { CODE_RUNNERS, DEV_RULES } from './rules-dev.ts';
import { EXEC_RULES } from './rules-exec.ts';
import { globMayReach } from './glob-reach.ts';
import { portFindings } from './reins-ports.ts';

const RULES: ReadonlyMap<string, CommandRule> = new Map(Object.entries({ ...FILE_RULES, ...SYSTEM_RULES, ...NETWORK_RULES, ...DEV_RULES, git, ...EXEC_RULES }));

/** Programs that run other commands given as arguments in ways not modelled here. */
const RUNNERS = new Set([
  'flock',
  'parallel',
  'script',
  'ltrace',
  'valgrind',
  'gdb',
  'firejail',
  'fakeroot',
  'proxychains',
  'proxychains4',
  'torsocks',
  'chronic',
  'systemd-run',
  'dbus-launch',
  'npm-run-all',
  'concurrently',
  'nodemon',
  'entr',
  'fd',
  'sg',
]);

const SYSTEM_BIN_DIRS = [
  '/bin',
  '/usr/bin',
  '/sbin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/opt/homebrew/bin',
  '/opt/homebrew/sbin',
  '/run/current-system/sw/bin',
];

const SECRET_VARIABLE = /(SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH)/i;

/** Where a path word points, as far as can be known before running. */
type Target = { kind: 'path'; raw: string; secretHint: string | null } | { kind: 'unknown'; why: string } | { kind: 'skip' };

interface Walk {
  env: PathEnv;
  cwd: string | null;
  stack: (string | null)[];
}

const unknownRule: CommandRule = (c) => {
  if (RUNNERS.has(c.name)) c.flag(null, 'high', `runs other commands given as arguments (${c.name}), which cannot be analysed`);
  else c.flag('writes', 'medium', `runs ${c.name}, which Reins does not know; it may change files`);
};

/** Static prefix of a glob word (`/tmp/*.log` → `/tmp`) and why its pattern part may be secret. */
function globParts(text: string): { prefix: string; secretHint: string | null } {
  const segments = text.split('/');
  const firstGlob = segments.findIndex((s) => hasGlobSyntax(s));
  let secretHint: string | null = null;
  for (const s of segments) {
    if (hasGlobSyntax(s) ? patternMayMatchSecret(s) : secretNameReason(s) !== null) {
      secretHint = `pattern may match secret files`;
    }
  }
  // Every process's environment (`/proc/*/environ`) is a secret however the pid is spelled.
  if (/^\/proc\/[^/]+\/environ$/.test(text)) secretHint = 'process environment';
  const prefix = firstGlob === -1 ? text : segments.slice(0, firstGlob).join('/');
  return { prefix: prefix === '' && text.startsWith('/') ? '/' : prefix, secretHint };
}

function wordTarget(word: ShellWord, walk: Walk): Target {
  let text = word.text;
  if (text === '') return { kind: 'skip' };
  let secretHint: string | null = null;
  if (word.glob) {
    const parts = globParts(text);
    text = parts.prefix;
    secretHint = parts.secretHint;
  }
  const home = walk.env.homeDir;
  if (word.tilde) {
    if (text === '~' || text.startsWith('~/')) return { kind: 'path', raw: home + text.slice(1), secretHint };
    // `~user/…` is another account's home: never inside the project.
    return { kind: 'path', raw: path.join(path.dirname(home), text.slice(1)), secretHint };
  }
  if (word.dynamic) {
    const m = /^\$(\{HOME\}|HOME|\{PWD\}|PWD)(\/[^$`]*)?$/.exec(text);
    if (m === null) return { kind: 'unknown', why: `${word.text}, a path only known at run time` };
    const base = m[1]?.includes('HOME') ? home : walk.cwd;
    if (base === null) return { kind: 'unknown', why: `${word.text}, a path only known at run time` };
    return { kind: 'path', raw: base + (m[2] ?? ''), secretHint };
  }
  if (path.isAbsolute(text)) return { kind: 'path', raw: text, secretHint };
  if (walk.cwd === null) return { kind: 'unknown', why: `${word.text} in a directory only known at run time` };
  return { kind: 'path', raw: joinRaw(walk.cwd, text === '' ? '.' : text), secretHint };
}

/** A glob whose matches may lie inside Reins' own data (`cat ~/.local/sh*` with segments down to it, `grep -r x /ho*`). */
function globIntoReins(word: ShellWord, access: PathAccess, walk: Walk): Finding[] {
  if (!word.glob || (walk.env.protectedPaths ?? []).length === 0) return [];
  const home = walk.env.homeDir;
  let pattern: string | null;
  if (word.tilde) pattern = word.text === '~' || word.text.startsWith('~/') ? home + word.text.slice(1) : null;
  else if (path.isAbsolute(word.text)) pattern = word.text;
  else pattern = walk.cwd === null ? null : `${walk.cwd}/${word.text}`;
  if (pattern === null) return [];
  for (const root of walk.env.protectedPaths ?? []) {
    if (globMayReach(pattern, path.resolve(root), access === 'read-tree')) {
      return [finding('reins', `${VERB_OF[access]} ${word.text}, which may match Reins' own data (${root}); agents may not reach it`)];
    }
  }
  return [];
}

const VERB_OF: Readonly<Record<PathAccess, string>> = {
  read: 'reads',
  'read-tree': 'reads everything in',
  write: 'writes',
  overwrite: 'overwrites',
  delete: 'deletes',
  link: 'links to',
};

function pathFindings(word: ShellWord, access: PathAccess, walk: Walk): Finding[] {
  if (isNetworkDevice(word.text)) return [finding('network', `opens a network connection (${word.text})`)];
  const target = wordTarget(word, walk);
  if (target.kind === 'skip') return [];
  if (target.kind === 'unknown') {
    if (access === 'read') return [];
    if (access === 'read-tree') return [{ tag: null, level: 'high', reason: `reads everything in ${target.why}, which cannot be checked` }];
    const verb = access === 'link' ? 'links to' : access === 'delete' ? 'deletes' : 'writes';
    return [finding('outside-project', `${verb} ${target.why}`)];
  }
  return [...assessPath(target.raw, word.text, access, walk.env, target.secretHint), ...globIntoReins(word, access, walk)];
}

/** Follows `cd`, `pushd`, `popd` so relative paths after them resolve where bash would. */
function changeDirectory(cmd: SimpleCommand, walk: Walk, out: Finding[]): void {
  const name = commandBaseName(cmd.argv[0]?.text ?? '');
  if (name === 'popd') {
    walk.cwd = walk.stack.pop() ?? null;
    if (walk.cwd === null) out.push(finding('outside-project', 'returns to a directory only known at run time (popd)'));
    return;
  }
  const operand = parseArgs(cmd.argv.slice(1)).operands[0];
  if (name === 'pushd') walk.stack.push(walk.cwd);
  let next: string | null;
  if (operand === undefined) next = walk.env.homeDir;
  else if (operand.text === '-') next = null;
  else {
    const target = wordTarget(operand, walk);
    next = target.kind === 'path' ? target.raw : null;
  }
  if (next === null) {
    walk.cwd = null;
    out.push(finding('outside-project', `changes to a directory only known at run time (${name} ${operand?.text ?? ''})`));
    return;
  }
  const resolved = resolveReal(next, walk.env.probe);
  walk.cwd = resolved.ok ? resolved.path : null;
  if (walk.cwd === null || !isInside(walk.cwd, walk.env.realProject)) {
    out.push(finding('outside-project', `changes to a directory outside the project (${name} ${operand?.text ?? '~'})`));
  }
}

function programFindings(cmd: SimpleCommand, walk: Walk): Finding[] {
  const head = cmd.argv[0];
  if (head === undefined || !head.text.includes('/')) return [];
  const target = wordTarget(head, walk);
  if (target.kind !== 'path') return [];
  const resolved = resolveReal(target.raw, walk.env.probe);
  const abs = resolved.ok ? resolved.path : path.resolve(target.raw);
  if (isInside(abs, walk.env.realProject)) return [];
  if (SYSTEM_BIN_DIRS.some((dir) => isInside(abs, dir) || isInside(path.resolve(target.raw), dir))) return [];
  return [finding('outside-project', `runs a program outside the project (${head.text})`)];
}

function redirectFindings(cmd: SimpleCommand, walk: Walk): Finding[] {
  const out: Finding[] = [];
  for (const r of cmd.redirects) {
    const t = r.target;
    if (r.op === '<<' || r.op === '<<-' || r.op === '<<<') continue;
    if ((r.op === '>&' || r.op === '<&') && /^(\d+-?|-)$/.test(t.text)) continue;
    if (r.op === '<') {
      out.push(...pathFindings(t, 'read', walk));
      continue;
    }
    const access: PathAccess = r.op === '>>' || r.op === '&>>' || r.op === '<>' ? 'write' : 'overwrite';
    out.push(...pathFindings(t, access, walk));
    if (!isNetworkDevice(t.text) && !/^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/.test(t.text)) {
      out.push(finding('writes', `writes files through a redirection (${r.op} ${t.text})`));
    }
  }
  return out;
}

function secretVariableFindings(texts: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (const text of texts) {
    for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = m[1] ?? '';
      if (SECRET_VARIABLE.test(name)) out.push(finding('secrets', `uses the secret variable $${name}`));
    }
  }
  return out;
}

function commandFindings(cmd: SimpleCommand, line: readonly SimpleCommand[], walk: Walk): Finding[] {
  const out: Finding[] = [];
  for (const a of cmd.assignments) {
    const f = assignmentFinding(a);
    if (f !== null) out.push(f);
  }
  for (const w of cmd.wrappers) {
    if (PRIVILEGE_WRAPPERS.has(w)) out.push(finding('privilege', `runs with elevated privileges (${w})`));
  }
  out.push(...secretVariableFindings([...cmd.words.map((w) => w.text), ...cmd.redirects.map((r) => r.target.text)]));
  out.push(...redirectFindings(cmd, walk));
  const head = cmd.argv[0];
  // A computed program name already made the line opaque; its arguments mean nothing on their own.
  if (head === undefined || head.dynamic || head.glob) return out;
  const name = commandBaseName(head.text);
  if (name === 'cd' || name === 'pushd' || name === 'popd') {
    changeDirectory(cmd, walk, out);
    return out;
  }
  out.push(...programFindings(cmd, walk));
  const handled = new Set<ShellWord>();
  const check: CommandCheck = {
    name,
    args: cmd.argv.slice(1),
    command: cmd,
    line,
    flag: (tag, level, reason) => out.push({ tag, level, reason }),
    path: (word, access) => {
      handled.add(word);
      out.push(...pathFindings(word, access, walk));
    },
    currentDirectory: () => ({ text: '.', dynamic: false, glob: false, tilde: false, quoted: false }),
    skip: (word) => handled.add(word),
  };
  const onlyAsksForInfo = check.args.length > 0 && check.args.every((a) => a.text === '--version' || a.text === '--help');
  if (!onlyAsksForInfo) (RULES.get(name) ?? RULES.get(name.replace(/\..*$/, '')) ?? unknownRule)(check);
  for (const word of check.args) {
    if (handled.has(word)) continue;
    if (!word.text.startsWith('-')) out.push(...pathFindings(word, 'read', walk));
    else if (word.text.includes('=')) {
      const value = word.text.slice(word.text.indexOf('=') + 1);
      out.push(...pathFindings({ ...word, text: value, tilde: value.startsWith('~') }, 'read', walk));
    }
  }
  if (cmd.argsFromInput && CODE_RUNNERS.has(name)) {
    out.push({ tag: null, level: 'high', reason: `runs ${name} with arguments taken from standard input (xargs ${name}), which cannot be analysed` });
  } else if (cmd.argsFromInput && out.some((f) => f.tag === 'destructive' || f.tag === 'writes')) {
    out.push({ tag: null, level: 'high', reason: `takes its targets from standard input (xargs ${name}), so they cannot be checked` });
  }
  return out;
}

/** Standard input carries something only known at run time: a pipe, `< <(…)`, `<<< "$(…)"`, `/dev/tcp`. */
function stdinFromElsewhere(cmd: SimpleCommand): boolean {
  return cmd.pipedInput || cmd.redirects.some((r) => (r.op === '<' || r.op === '<<<') && (r.target.dynamic || isNetworkDevice(r.target.text)));
}

/** True when the command executes code that arrives through a pipe, a redirection or a substitution. */
function runsCodeFromInput(cmd: SimpleCommand): boolean {
  const name = commandBaseName(cmd.argv[0]?.text ?? '');
  if (!CODE_RUNNERS.has(name)) return false;
  const args = cmd.argv.slice(1);
  if (args.some((a) => a.text.startsWith('<(') || (a.dynamic && /\$\(|`|<\(/.test(a.text)))) return true;
  if (!stdinFromElsewhere(cmd)) return false;
  if (name === 'source' || name === '.' || name === 'eval') return args.some((a) => a.text === '/dev/stdin' || a.text === '-');
  const p = parseArgs(args, { short: SHELL_NAMES.has(name) ? 'oO' : '', stopAtOperand: true });
  if ([...p.flags].some((f) => /^-(c|e|E|r|p)$/.test(f)) && !SHELL_NAMES.has(name)) return false;
  if (SHELL_NAMES.has(name) && p.flags.has('-c')) return false;
  const script = args[p.rest];
  return script === undefined || script.text === '-' || script.text === '/dev/stdin' || p.flags.has('-s');
}

/**
 * A function that the line calls more than once by its own name, as in `:(){ :|:& };:`: a fork bomb
 * can exhaust the machine. (Calling a function twice on purpose is rare enough to ask about.)
 */
function forkBombFindings(functions: readonly string[], commands: readonly SimpleCommand[]): Finding[] {
  for (const name of functions) {
    if (commands.filter((c) => c.argv[0]?.text === name).length > 1) {
      return [{ tag: null, level: 'high', reason: `defines the function ${name} and calls it from itself (a fork bomb can exhaust the machine)` }];
    }
  }
  return [];
}

/** Findings for one Bash command line. `env` says where the project and home really are. */
export function classifyShellCommand(command: string, env: PathEnv, projectDir: string): Finding[] {
  const parsed = parseShell(command);
  const findings: Finding[] = parsed.reasons.map((reason) => ({ tag: null, level: 'high', reason: `cannot be analysed: ${reason}` }));
  // The raw text, quoted strings and here-documents included: `python -c` may hide the URL anywhere.
  findings.push(...portFindings(command, env.protectedPorts ?? []));
  findings.push(...forkBombFindings(parsed.functions, parsed.commands));
  const walk: Walk = { env, cwd: projectDir, stack: [] };
  for (const cmd of parsed.commands) findings.push(...commandFindings(cmd, parsed.commands, walk));
  const network = findings.some((f) => f.tag === 'network');
  for (const cmd of parsed.commands) {
    if (!runsCodeFromInput(cmd)) continue;
    const name = commandBaseName(cmd.argv[0]?.text ?? '');
    if (network) findings.push(finding('network', `runs downloaded code (network output piped into ${name})`, 'critical'));
    else findings.push({ tag: null, level: 'high', reason: `runs code piped or substituted into ${name}, which cannot be analysed` });
  }
  return findings;
}
