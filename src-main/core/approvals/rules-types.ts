/**
 * The interface per-command risk rules are written against. A rule looks at one simple command
 * and reports findings; path arguments go through `path()` so outside-project, secret and
 * system-file checks are applied the same way everywhere.
 */
import type { RiskLevel, RiskTag } from '../../contract/domain.ts';
import type { ShellWord, SimpleCommand } from './shell-parse.ts';

/**
 * How a command uses a path, which decides what an outside or special path means:
 * `overwrite` replaces existing content, `link` points a new link at the path, `read-tree` reads
 * everything below it (`grep -r`, `tar c`, `cp -r`), so a folder that contains Reins' data is a reach
 * into Reins even though the folder itself is not.
 */
export type PathAccess = 'read' | 'read-tree' | 'write' | 'overwrite' | 'delete' | 'link';

/** What a rule sees and can report. */
export interface CommandCheck {
  /** Program name without directories (`rm` for `/bin/rm`). */
  readonly name: string;
  /** Arguments after the program name. */
  readonly args: readonly ShellWord[];
  /** The whole simple command (wrappers, redirects, where it came from). */
  readonly command: SimpleCommand;
  /** Every command of the line, for rules that look at what is piped in. */
  readonly line: readonly SimpleCommand[];
  /** Records a finding. */
  flag(tag: RiskTag | null, level: RiskLevel, reason: string): void;
  /** Analyses `word` as a path this command accesses, and excludes it from the generic scan. */
  path(word: ShellWord, access: PathAccess): void;
  /** Marks a word as not a path (pattern, message, URL, script) so the generic scan skips it. */
  skip(word: ShellWord): void;
  /** A word standing for the directory the command runs in (a search with no path searches it). */
  currentDirectory(): ShellWord;
}

/** A rule for one program name. */
export type CommandRule = (check: CommandCheck) => void;

/** Records the same finding for a program without arguments analysis. */
export function always(tag: RiskTag | null, level: RiskLevel, reason: string): CommandRule {
  return (c) => c.flag(tag, level, reason.replace('$0', c.name));
}
