/**
 * Types produced by the shell parser (parseShell): simple commands, words and redirections.
 */

/** One shell word after quote removal. */
export interface ShellWord {
  /** The value after quote removal; expansions are kept as written (`$HOME/x`, `$(…)`). */
  text: string;
  /** Contains a parameter, command, process or arithmetic expansion: the value is only known at run time. */
  dynamic: boolean;
  /** Contains unquoted glob or brace-expansion syntax (`*`, `?`, `[…]`, `{a,b}`). */
  glob: boolean;
  /** Starts with an unquoted `~` (tilde expansion to a home directory). */
  tilde: boolean;
  /** Some part of the word was quoted or escaped. */
  quoted: boolean;
}

/** Redirection operators as written. `>&`/`<&` with a number or `-` duplicate or close a descriptor. */
export type RedirectOp = '>' | '>>' | '>|' | '&>' | '&>>' | '>&' | '<' | '<>' | '<&' | '<<' | '<<-' | '<<<';

/** One redirection of a command (`2>err`, `<in`, `<<EOF` with its body). */
export interface ShellRedirect {
  op: RedirectOp;
  /** Explicit descriptor number (`2>`), or null. */
  fd: number | null;
  /** The file, descriptor, here-string, or here-document delimiter. */
  target: ShellWord;
  /** Here-document body (`<<`, `<<-`); null for other operators. */
  body: string | null;
}

/** Where a command came from inside the line. */
export type CommandOrigin = 'line' | 'subshell' | 'group' | 'substitution' | 'process-substitution' | 'shell-string' | 'heredoc' | 'find-exec';

/** One command that would run: the unit risk rules classify and grants must cover. */
export interface SimpleCommand {
  /** Unique within one parse. */
  id: number;
  /** The command this one runs inside (substitution, `bash -c`, `find -exec`, here-document), or null. */
  parent: number | null;
  origin: CommandOrigin;
  /** Standard input comes from a pipe (`a | b`: true for `b`, and for everything inside a piped group). */
  pipedInput: boolean;
  /** Every word after quote removal, including assignments and wrappers: what a command-prefix grant is compared with. */
  words: ShellWord[];
  /** `NAME=value` words before the command, plus those given to `env`. */
  assignments: string[];
  /** Wrapper programs peeled off (`sudo`, `env`, `nice`, `xargs`, …), outermost first. */
  wrappers: string[];
  /** The effective command: program first. Empty for a bare assignment or redirection. */
  argv: ShellWord[];
  redirects: ShellRedirect[];
  /** `xargs`: more arguments are appended at run time from standard input. */
  argsFromInput: boolean;
}

/** Result of {@link parseShell}. */
export interface ParsedShell {
  commands: SimpleCommand[];
  /** True when some part cannot be analysed statically; `reasons` says what. */
  opaque: boolean;
  reasons: string[];
  /** Names of the shell functions the line defines (`f() { …; }`). */
  functions: string[];
}
