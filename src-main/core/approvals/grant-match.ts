/**
 * Whether a standing grant covers a tool call. Grants are the owner's explicit shortcuts, so the
 * matching is strict: a command grant covers a line only when every command in it is covered, and
 * a path grant only paths that really (after symlinks) lie inside the project.
 */
import path from 'node:path';
import type { Grant } from '../../contract/domain.ts';
import { matchGlob } from './glob.ts';
import type { PathProbe } from './paths.ts';
import { joinRaw, realDirectory, relativeInside, resolveReal } from './paths.ts';
import { parseShell } from './shell-parse.ts';
import type { ShellWord } from './shell-parse.ts';

/** The call a grant is checked against. */
export interface GrantCall {
  tool: string;
  input: Record<string, unknown>;
  sessionId: string;
  projectId: string;
  /** The session's project directory (absolute). */
  projectDir: string;
}

/** Optional dependencies; pass `fsPathProbe` in production so symlinks are followed. */
export interface GrantMatchOptions {
  probe?: PathProbe;
}

const PATH_KEYS = ['file_path', 'notebook_path', 'path'] as const;

function sameWord(a: ShellWord, b: ShellWord): boolean {
  // Text alone is not enough: `rm '*'` (one odd file) must not grant `rm *` (every file).
  return a.text === b.text && a.glob === b.glob && a.tilde === b.tilde && a.dynamic === b.dynamic;
}

/** Commands that run because the line lists them, not because another command runs them. */
const TOP_LEVEL = new Set(['line', 'subshell', 'group']);

/**
 * A command grant. The granted text itself always matches (the owner approved exactly it).
 * Otherwise the prefix must be one plain simple command, and EVERY simple command of the line
 * must start with its words; a line with any redirection, any command run by another one
 * (`$(…)`, `<(…)`, `bash -c`, `eval`, `find -exec`, a here-document script), or anything that
 * cannot be analysed never matches.
 * Note: arguments after the prefix are free (`npm test` covers `npm test -- -u`).
 */
export function commandMatches(prefix: string, command: unknown): boolean {
  if (typeof command !== 'string') return false;
  const granted = prefix.trim();
  if (granted === '') return false;
  if (granted === command.trim()) return true;
  const p = parseShell(granted);
  const only = p.commands[0];
  if (p.opaque || p.commands.length !== 1 || only === undefined || only.redirects.length > 0 || only.argv.length === 0) {
    return false;
  }
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

/** Glob relative to the project root, or null when it names somewhere else. */
function relativeGlob(glob: string, projectDir: string, realProject: string): string | null {
  let g = glob.trim().replace(/^(\.\/)+/, '');
  if (g === '') return null;
  if (path.isAbsolute(g)) {
    for (const root of [projectDir, realProject]) {
      const prefix = root.endsWith('/') ? root : `${root}/`;
      if (g.startsWith(prefix)) return g.slice(prefix.length);
    }
    return null;
  }
  if (g.startsWith('~')) return null;
  g = g.replace(/\/{2,}/g, '/');
  return g;
}

/** True when a Glob tool pattern stays below its search directory. */
function patternStaysInside(pattern: unknown): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern !== 'string') return false;
  return !path.isAbsolute(pattern) && !pattern.startsWith('~') && !pattern.split('/').includes('..');
}

/**
 * A path grant: every path argument (`file_path`, `notebook_path`, `path`) must resolve, with
 * symlinks followed, to a place inside the project whose project-relative path matches the glob.
 */
export function pathMatches(glob: string, call: GrantCall, options: GrantMatchOptions = {}): boolean {
  const values: string[] = [];
  for (const key of PATH_KEYS) {
    const value = call.input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '' || value.startsWith('~')) return false;
    values.push(value);
  }
  if (values.length === 0) return false;
  if (call.tool === 'Glob' && !patternStaysInside(call.input.pattern)) return false;
  const projectDir = path.resolve(call.projectDir);
  const realProject = realDirectory(projectDir, options.probe);
  const rel = relativeGlob(glob, projectDir, realProject);
  if (rel === null) return false;
  return values.every((value) => {
    const resolved = resolveReal(joinRaw(projectDir, value), options.probe);
    if (!resolved.ok) return false;
    const inside = relativeInside(resolved.path, realProject);
    if (inside === null) return false;
    try {
      return matchGlob(rel, inside);
    } catch {
      // A glob too large to compile grants nothing.
      return false;
    }
  });
}

/**
 * True when `grant` allows `call` at time `now`: not revoked or expired, same session (scopes
 * `run`, `session`) or project (scope `project`), same tool (or `*`), and the matcher covers the
 * input. An `any` matcher covers every input, Bash included: that is the owner's explicit choice.
 */
export function grantMatches(grant: Grant, call: GrantCall, now: number, options: GrantMatchOptions = {}): boolean {
  if (grant.revokedAt !== null) return false;
  if (grant.expiresAt !== null && now >= grant.expiresAt) return false;
  if (grant.scope === 'project') {
    if (grant.projectId === null || grant.projectId !== call.projectId) return false;
  } else if (grant.scope === 'session' || grant.scope === 'run') {
    if (grant.sessionId === null || grant.sessionId !== call.sessionId) return false;
  } else return false;
  if (grant.tool !== '*' && grant.tool !== call.tool) return false;
  const m = grant.matcher;
  switch (m.kind) {
    case 'any':
      return true;
    case 'command':
      return commandMatches(m.prefix, call.input.command);
    case 'path':
      return pathMatches(m.glob, call, options);
    default:
      return false;
  }
}
