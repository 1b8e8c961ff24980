/**
 * Helpers over parsed shell words: program names and getopt-style option parsing, shared by the
 * wrapper unwrapping and the per-command risk rules.
 */
import type { ShellWord } from './shell-parse.ts';

/** Shells: `-c` strings they take and scripts they read from standard input are commands. */
export const SHELL_NAMES: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'rbash', 'fish', 'tcsh', 'csh']);

/** The program's name without directories (`/usr/bin/env` → `env`). */
export function commandBaseName(text: string): string {
  const slash = text.lastIndexOf('/');
  return slash === -1 ? text : text.slice(slash + 1);
}

/** Which options take a value, getopt style. */
export interface OptionSpec {
  /** Short option letters that take a value (`-u root`, `-uroot`). */
  short?: string;
  /** Long option names (without `--`) that take a value (`--user root`, `--user=root`). */
  long?: readonly string[];
  /** Stop at the first operand (for commands whose operand starts another command). */
  stopAtOperand?: boolean;
}

/** Options and operands of a command's arguments. */
export interface ParsedArgs {
  /** Every option seen, as `-x` or `--name` (value-taking ones included). */
  flags: Set<string>;
  /** Values of value-taking options, by `-x` / `--name`. */
  values: Map<string, ShellWord[]>;
  /** Non-option arguments (everything after `--` too). */
  operands: ShellWord[];
  /** Index (into the given args) of the first argument not consumed when `stopAtOperand` is set. */
  rest: number;
}

/** A word carrying only part of another (the value after `--opt=`, or after `-o`). */
export function subWord(word: ShellWord, text: string): ShellWord {
  return { ...word, text, tilde: text.startsWith('~') && !word.quoted };
}

/**
 * Parses getopt-style arguments. Dynamic words that look like options are still treated as
 * options only when their text starts with `-`; callers decide what an unknown value means.
 */
export function parseArgs(args: readonly ShellWord[], spec: OptionSpec = {}): ParsedArgs {
  const shortWithValue = spec.short ?? '';
  const longWithValue = new Set(spec.long ?? []);
  const flags = new Set<string>();
  const values = new Map<string, ShellWord[]>();
  const operands: ShellWord[] = [];
  const addValue = (key: string, value: ShellWord): void => {
    values.set(key, [...(values.get(key) ?? []), value]);
  };
  let i = 0;
  let afterDashes = false;
  for (; i < args.length; i++) {
    const word = args[i] as ShellWord;
    const text = word.text;
    if (afterDashes || text === '-' || !text.startsWith('-')) {
      if (spec.stopAtOperand) break;
      operands.push(word);
      continue;
    }
    if (text === '--') {
      afterDashes = true;
      if (spec.stopAtOperand) {
        i++;
        break;
      }
      continue;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = eq === -1 ? text.slice(2) : text.slice(2, eq);
      flags.add(`--${name}`);
      if (eq !== -1) addValue(`--${name}`, subWord(word, text.slice(eq + 1)));
      else if (longWithValue.has(name)) {
        const value = args[i + 1];
        if (value !== undefined) addValue(`--${name}`, value);
        i++;
      }
      continue;
    }
    for (let k = 1; k < text.length; k++) {
      const letter = text[k] as string;
      flags.add(`-${letter}`);
      if (!shortWithValue.includes(letter)) continue;
      if (k < text.length - 1) addValue(`-${letter}`, subWord(word, text.slice(k + 1)));
      else {
        const value = args[i + 1];
        if (value !== undefined) addValue(`-${letter}`, value);
        i++;
      }
      break;
    }
  }
  return { flags, values, operands, rest: Math.min(i, args.length) };
}

/** True when any of `names` (`-r`, `--recursive`) was given. */
export function hasFlag(parsed: ParsedArgs, ...names: string[]): boolean {
  return names.some((n) => parsed.flags.has(n));
}
