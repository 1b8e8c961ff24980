/**
 * Whether a standing grant covers a tool call. Grants are the owner's explicit shortcuts, so the
 * matching never widens what was approved: the same command (same words once quotes and spaces are
 * normalised), the same file, a search inside the granted folder, a fetch of the granted origin, the
 * same input. The wider forms match only when the owner created them on purpose.
 * Risk comes first and is not checked here: policy never lets a grant cover a critical call, secrets
 * or Reins itself.
 */
import type { Grant, GrantMatcher, ToolAction } from '../../contract/index.ts';
import { grantSubject } from '../../contract/index.ts';
import { grantTarget, type GrantTarget, type TargetContext } from './grant-target.ts';
import { isInside } from './paths.ts';
import { parseShell } from './shell-parse.ts';
import type { ShellWord } from './shell-parse.ts';

/** The call a grant is checked against. */
export interface GrantCall {
  action: ToolAction;
  sessionId: string;
  projectId: string;
}

const wordKey = (w: ShellWord) => [w.text, w.dynamic, w.glob, w.tilde, w.dynamic && w.quoted];

/**
 * The command line reduced to what runs: every simple command (where it came from, whether its input
 * is piped, its words and redirections) with quoting and spacing normalised away. Null when the line
 * cannot be analysed: then only the identical text is the same command.
 * Why quoting stays for dynamic words: `"$X"` and `$X` differ (word splitting and globbing).
 */
export function commandSignature(command: string): string | null {
  const parsed = parseShell(command);
  if (parsed.opaque || parsed.commands.length === 0) return null;
  return JSON.stringify(
    parsed.commands.map((c) => [c.origin, c.parent, c.pipedInput, c.words.map(wordKey), c.redirects.map((r) => [r.op, r.fd, wordKey(r.target), r.body])]),
  );
}

/** Exact command grant: the same command line after normalising quotes and spaces. */
export function sameCommand(granted: string, command: string): boolean {
  if (granted.trim() === command.trim()) return true;
  const a = commandSignature(granted);
  return a !== null && a === commandSignature(command);
}

/** Commands that run because the line lists them, not because another command runs them. */
const TOP_LEVEL = new Set(['line', 'subshell', 'group']);

function sameWord(a: ShellWord, b: ShellWord): boolean {
  // Text alone is not enough: `rm '*'` (one odd file) must not grant `rm *` (every file).
  return a.text === b.text && a.glob === b.glob && a.tilde === b.tilde && a.dynamic === b.dynamic;
}

/**
 * The explicit "with any further arguments" grant. The prefix must be one plain simple command, and
 * EVERY simple command of the line must start with its words; a line with any redirection, any
 * command run by another one (`$(…)`, `<(…)`, `bash -c`, `eval`, `find -exec`, a here-document
 * script), or anything that cannot be analysed never matches.
 */
export function commandPrefixMatches(prefix: string, command: string): boolean {
  const p = parseShell(prefix);
  const only = p.commands[0];
  if (p.opaque || p.commands.length !== 1 || only === undefined || only.redirects.length > 0 || only.argv.length === 0) return false;
  const parsed = parseShell(command);
  if (parsed.opaque || parsed.commands.length === 0) return false;
  return parsed.commands.every(
    (cmd) =>
      TOP_LEVEL.has(cmd.origin) &&
      cmd.redirects.length === 0 &&
      cmd.words.length >= only.words.length &&
      only.words.every((w, i) => {
        const other = cmd.words[i];
        return other !== undefined && sameWord(w, other);
      }),
  );
}

/** Whether `matcher` covers `target`; a matcher only ever covers its own kind of target. */
function matcherCovers(matcher: GrantMatcher, target: GrantTarget): boolean {
  switch (matcher.kind) {
    case 'any':
      return true;
    case 'command':
      return target.kind === 'shell' && sameCommand(matcher.command, target.command);
    case 'command-prefix':
      return target.kind === 'shell' && commandPrefixMatches(matcher.prefix, target.command);
    case 'file':
      return target.kind === 'files' && target.paths.every((p) => p === matcher.path);
    case 'folder':
      if (target.kind === 'files') return target.paths.every((p) => isInside(p, matcher.path));
      return target.kind === 'search' && isInside(target.root, matcher.path);
    case 'origin':
      return target.kind === 'fetch' && target.origin === matcher.origin;
    case 'input':
      return target.kind === 'input' && target.input === matcher.input;
    default:
      return false;
  }
}

/**
 * True when `grant` allows `call` at time `now`: not revoked or expired, same session (scopes `run`,
 * `session`) or project (scope `project`), the same subject (the action's kind, or the tool for MCP
 * and unknown tools: see grantSubject), and the matcher covers the call's target.
 */
export function grantMatches(grant: Grant, call: GrantCall, now: number, ctx: TargetContext): boolean {
  if (grant.revokedAt !== null) return false;
  if (grant.expiresAt !== null && now >= grant.expiresAt) return false;
  if (grant.scope === 'project') {
    if (grant.projectId === null || grant.projectId !== call.projectId) return false;
  } else if (grant.scope === 'session' || grant.scope === 'run') {
    if (grant.sessionId === null || grant.sessionId !== call.sessionId) return false;
  } else return false;
  if (grant.tool !== grantSubject(call.action)) return false;
  return matcherCovers(grant.matcher, grantTarget(call.action, ctx));
}
