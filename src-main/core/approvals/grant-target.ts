/**
 * What a tool call acts on, as far as grants are concerned: the command line of a shell call, the
 * files of a file tool, the folder a search runs in, the origin of a fetch, or the input itself.
 * Grants are offered for and matched against this target, never against the raw input, so an
 * "allow for this session" can only ever cover the same kind of target again.
 */
import path from 'node:path';
import type { PathProbe } from './paths.ts';
import { joinRaw, resolveReal } from './paths.ts';

/** Where a call runs: the project directory and the owner's home (for `~`). */
export interface TargetContext {
  projectDir: string;
  homeDir: string;
  probe?: PathProbe;
}

/** The grant-relevant target of one call. `paths` are absolute with symlinks resolved. */
export type GrantTarget =
  | { kind: 'shell'; command: string }
  | { kind: 'files'; paths: string[] }
  | { kind: 'search'; root: string }
  | { kind: 'fetch'; origin: string }
  | { kind: 'input'; input: string }
  /** The call names its target in a way that cannot be pinned down (a missing path, a bad URL). */
  | { kind: 'unknown'; why: string };

const SHELL_TOOLS = new Set(['Bash']);
const FILE_TOOLS: ReadonlyMap<string, string> = new Map([
  ['Read', 'file_path'],
  ['Write', 'file_path'],
  ['Edit', 'file_path'],
  ['MultiEdit', 'file_path'],
  ['NotebookEdit', 'notebook_path'],
  ['NotebookRead', 'notebook_path'],
]);
const SEARCH_TOOLS = new Set(['Grep', 'Glob', 'LS']);
const FETCH_TOOLS = new Set(['WebFetch']);

/** JSON with object keys sorted at every level, so equal inputs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Absolute real location of a tool's path argument: relative to the project, `~` to home. */
function resolveToolPath(value: string, ctx: TargetContext): string | null {
  let raw: string;
  if (value === '~' || value.startsWith('~/')) raw = ctx.homeDir + value.slice(1);
  else if (value.startsWith('~')) return null;
  else raw = joinRaw(path.resolve(ctx.projectDir), value);
  const resolved = resolveReal(raw, ctx.probe);
  return resolved.ok ? resolved.path : null;
}

/** True when a Glob pattern stays below its search folder (no absolute part, no `~`, no `..`). */
function globStaysInside(pattern: unknown): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern !== 'string') return false;
  return !path.isAbsolute(pattern) && !pattern.startsWith('~') && !pattern.split(/[\\/]/).includes('..');
}

/** The origin (`scheme://host[:port]`) of an http(s) URL, or null. */
function originOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The target of `tool` called with `input`. */
export function grantTarget(tool: string, input: Record<string, unknown>, ctx: TargetContext): GrantTarget {
  if (SHELL_TOOLS.has(tool)) {
    return typeof input.command === 'string' && input.command.trim() !== ''
      ? { kind: 'shell', command: input.command }
      : { kind: 'unknown', why: 'the command is missing' };
  }
  const fileKey = FILE_TOOLS.get(tool);
  if (fileKey !== undefined) {
    const value = input[fileKey];
    if (typeof value !== 'string' || value === '') return { kind: 'unknown', why: `${fileKey} is missing` };
    const resolved = resolveToolPath(value, ctx);
    return resolved === null ? { kind: 'unknown', why: `${value} cannot be resolved` } : { kind: 'files', paths: [resolved] };
  }
  if (SEARCH_TOOLS.has(tool)) {
    const value = input.path ?? '.';
    if (typeof value !== 'string' || value === '') return { kind: 'unknown', why: 'the search path is not text' };
    if (tool === 'Glob' && !globStaysInside(input.pattern)) return { kind: 'unknown', why: 'the pattern reaches outside its folder' };
    const resolved = resolveToolPath(value, ctx);
    return resolved === null ? { kind: 'unknown', why: `${value} cannot be resolved` } : { kind: 'search', root: resolved };
  }
  if (FETCH_TOOLS.has(tool)) {
    const origin = originOf(input.url);
    return origin === null ? { kind: 'unknown', why: 'the URL is not an http(s) URL' } : { kind: 'fetch', origin };
  }
  return { kind: 'input', input: canonicalJson(input) };
}
