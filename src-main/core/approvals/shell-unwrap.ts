/**
 * Looks inside commands that run other commands: wrappers (`sudo`, `env`, `nice`, `timeout`,
 * `xargs`, …) are peeled off so the real program is classified, and command strings (`bash -c`,
 * `eval`, `su -c`, `trap`, `watch`, `find -exec`) are handed back to the parser.
 */
import type { CommandOrigin, ShellWord, SimpleCommand } from './shell-parse.ts';
import { SHELL_NAMES, commandBaseName, parseArgs } from './shell-words.ts';
import type { OptionSpec } from './shell-words.ts';

/** Callbacks into the parser that owns the command. */
export interface UnwrapHooks {
  /** Marks the whole line as not statically analysable. */
  opaque(reason: string): void;
  /** Parses a command string that runs inside the current command. */
  parseString(text: string, origin: CommandOrigin): void;
  /** Adds a command that the current one executes directly (`find -exec`). */
  addCommand(words: ShellWord[], origin: CommandOrigin): void;
}

interface WrapperSpec extends OptionSpec {
  /** Operands between the options and the wrapped command (`timeout 5 cmd`, `chroot /dir cmd`). */
  operandsBeforeCommand?: number;
  /** Options that mean "no command follows" (`command -v x`, `sudo -l`). */
  noCommand?: readonly string[];
  /** `NAME=value` operands before the command are environment assignments (`env`, `sudo`). */
  assignments?: boolean;
  /** The wrapped command gets extra arguments from standard input (`xargs`). */
  argsFromInput?: boolean;
}

const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: {
    short: 'CDghpRrTtUu',
    long: ['chdir', 'group', 'host', 'prompt', 'chroot', 'role', 'type', 'command-timeout', 'other-user', 'user', 'close-from'],
    assignments: true,
    noCommand: ['-e', '--edit', '-l', '--list', '-v', '--validate', '-k', '-K', '--reset-timestamp', '--remove-timestamp'],
  },
  doas: { short: 'uCa' },
  pkexec: { long: ['user'] },
  env: { short: 'uCP', long: ['unset', 'chdir', 'block-signal', 'default-signal', 'ignore-signal'], assignments: true },
  'cross-env': { assignments: true },
  nice: { short: 'n', long: ['adjustment'] },
  nohup: {},
  time: { short: 'fo', long: ['format', 'output'] },
  timeout: { short: 'sk', long: ['signal', 'kill-after'], operandsBeforeCommand: 1 },
  stdbuf: { short: 'ioe', long: ['input', 'output', 'error'] },
  ionice: { short: 'cnpPu', long: ['class', 'classdata', 'pid', 'pgid', 'uid'], noCommand: ['-p', '--pid', '-P', '--pgid', '-u', '--uid'] },
  taskset: { noCommand: ['-p', '--pid'], operandsBeforeCommand: 1 },
  command: { noCommand: ['-v', '-V'] },
  builtin: {},
  exec: { short: 'a' },
  xargs: {
    short: 'adEILnPs',
    long: ['arg-file', 'delimiter', 'max-lines', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'],
    argsFromInput: true,
  },
  chroot: { long: ['userspec', 'groups'], operandsBeforeCommand: 1 },
  setsid: {},
  unbuffer: {},
  caffeinate: { short: 'tw' },
  strace: { short: 'abeEIoOpPsSuUX', noCommand: ['-p'] },
  busybox: {},
};

const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
const MAX_WRAPPERS = 16;

/**
 * Peels wrappers off `cmd` (mutating `argv`, `wrappers`, `assignments`, `argsFromInput`) and
 * hands embedded command strings to the parser through `hooks`.
 */
export function unwrapCommand(cmd: SimpleCommand, hooks: UnwrapHooks): void {
  for (let round = 0; round < MAX_WRAPPERS; round++) {
    const head = cmd.argv[0];
    if (head === undefined) return;
    // Why: `$CMD args` or `/bin/r?` could be anything, so nothing about the line can be trusted.
    if (head.dynamic) {
      hooks.opaque(`the program name is only known at run time (${head.text})`);
      return;
    }
    if (head.glob) {
      hooks.opaque(`the program name is a pattern (${head.text})`);
      return;
    }
    const name = commandBaseName(head.text);
    const args = cmd.argv.slice(1);
    const spec = WRAPPERS[name];
    if (spec === undefined) {
      runEmbedded(name, args, hooks);
      return;
    }
    const start = wrappedStart(name, spec, args, cmd, hooks);
    if (start === null) return;
    cmd.wrappers.push(name);
    cmd.argv = args.slice(start);
  }
  hooks.opaque('too many nested wrapper commands');
}

function wrappedStart(name: string, spec: WrapperSpec, args: ShellWord[], cmd: SimpleCommand, hooks: UnwrapHooks): number | null {
  if (name === 'busybox') return args.length > 0 ? 0 : null;
  if (name === 'env' && args.some((a) => /^(--split-string|-[^-]*S)/.test(a.text))) {
    hooks.opaque('env -S splits a string into a command');
    return null;
  }
  const parsed = parseArgs(args, { ...spec, stopAtOperand: true });
  if (spec.noCommand?.some((flag) => parsed.flags.has(flag))) return null;
  let i = parsed.rest;
  if (spec.assignments) {
    while (i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]?.text ?? '')) {
      cmd.assignments.push(args[i]?.text ?? '');
      i++;
    }
  }
  i += spec.operandsBeforeCommand ?? 0;
  if (i >= args.length) return null;
  if (spec.argsFromInput) cmd.argsFromInput = true;
  return i;
}

function runEmbedded(name: string, args: ShellWord[], hooks: UnwrapHooks): void {
  if (SHELL_NAMES.has(name)) shellString(name, args, hooks);
  else if (name === 'eval') evalString(args, hooks);
  else if (name === 'su' || name === 'runuser') suString(args, hooks);
  else if (name === 'trap') trapString(args, hooks);
  else if (name === 'watch') watchString(args, hooks);
  else if (name === 'find') findExec(args, hooks);
  else if (name === 'alias' && args.some((a) => a.text.includes('=') || a.dynamic)) {
    hooks.opaque('defines an alias, which can make a later command run something else');
  }
}

function runString(word: ShellWord | undefined, what: string, hooks: UnwrapHooks): void {
  if (word === undefined) {
    hooks.opaque(`${what} has no command string`);
    return;
  }
  if (word.dynamic) {
    hooks.opaque(`${what} runs a command string only known at run time`);
    return;
  }
  hooks.parseString(word.text, 'shell-string');
}

/** `bash -c 'string'` (also `-lc`, `-ec`, `--command=`): the string is the first operand. */
function shellString(name: string, args: ShellWord[], hooks: UnwrapHooks): void {
  let sawC = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]?.text ?? '';
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-' || !/^[-+]/.test(a)) break;
    if (a.startsWith('--')) {
      if (a.startsWith('--command=')) {
        runString({ ...(args[i] as ShellWord), text: a.slice('--command='.length) }, `${name} -c`, hooks);
        return;
      }
      if (a === '--command') sawC = true;
      if (a === '--rcfile' || a === '--init-file') i++;
      continue;
    }
    if (a.slice(1).includes('c')) sawC = true;
    if (/^[-+][A-Za-z]*[oO]$/.test(a)) i++;
  }
  if (sawC) runString(args[i], `${name} -c`, hooks);
}

function evalString(args: ShellWord[], hooks: UnwrapHooks): void {
  if (args.length === 0) return;
  if (args.some((a) => a.dynamic)) {
    hooks.opaque('eval runs a string only known at run time');
    return;
  }
  hooks.parseString(args.map((a) => a.text).join(' '), 'shell-string');
}

function suString(args: ShellWord[], hooks: UnwrapHooks): void {
  const parsed = parseArgs(args, {
    short: 'cgGsuw',
    long: ['command', 'session-command', 'group', 'supp-group', 'shell', 'user', 'whitelist-environment'],
  });
  for (const key of ['-c', '--command', '--session-command']) {
    for (const value of parsed.values.get(key) ?? []) runString(value, 'su -c', hooks);
  }
}

function trapString(args: ShellWord[], hooks: UnwrapHooks): void {
  const rest = args[0]?.text === '--' ? args.slice(1) : args;
  const action = rest[0];
  if (action === undefined || action.text === '-l' || action.text === '-p' || action.text === '-' || action.text === '') return;
  runString(action, 'trap', hooks);
}

/** `watch` joins its arguments and runs them with `sh -c`. */
function watchString(args: ShellWord[], hooks: UnwrapHooks): void {
  const parsed = parseArgs(args, { short: 'nq', long: ['interval', 'equexit'], stopAtOperand: true });
  const rest = args.slice(parsed.rest);
  if (rest.length === 0) return;
  if (rest.some((a) => a.dynamic)) {
    hooks.opaque('watch runs a command only known at run time');
    return;
  }
  hooks.parseString(rest.map((a) => a.text).join(' '), 'shell-string');
}

/** `find … -exec cmd {} ;` runs `cmd` directly; `+` ends it only right after `{}`. */
function findExec(args: ShellWord[], hooks: UnwrapHooks): void {
  for (let i = 0; i < args.length; i++) {
    if (!FIND_EXEC.has(args[i]?.text ?? '')) continue;
    const words: ShellWord[] = [];
    let j = i + 1;
    for (; j < args.length; j++) {
      const t = args[j]?.text;
      if (t === ';' || (t === '+' && words[words.length - 1]?.text === '{}')) break;
      words.push(args[j] as ShellWord);
    }
    if (j >= args.length) hooks.opaque(`find ${args[i]?.text ?? ''} is not terminated by ";" or "+"`);
    if (words.length > 0) hooks.addCommand(words, 'find-exec');
    i = j;
  }
}
