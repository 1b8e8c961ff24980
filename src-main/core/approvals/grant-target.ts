/**
 * What a tool call acts on, as far as grants are concerned: the command line of a shell call, the
 * files of a file tool, the folder a search runs in, the origin of a fetch, or the input itself.
 * Grants are offered for and matched against this target, never against the raw input, so an
 * "allow for this session" can only ever cover the same kind of target again.
 */
import path from 'node:path';
import type { ToolAction } from '../../contract/index.ts';
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

/** True when a search pattern stays below its search folder (no absolute part, no `~`, no `..`). */
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

/** The target of one action. */
export function grantTarget(action: ToolAction, ctx: TargetContext): GrantTarget {
  switch (action.kind) {
    case 'shell':
      return action.command !== undefined && action.command.trim() !== ''
        ? { kind: 'shell', command: action.command }
        : { kind: 'unknown', why: 'the command is missing' };
    case 'read':
    case 'write':
    case 'edit': {
      const paths = action.paths ?? [];
      if (paths.length === 0 || paths.some((p) => p === '')) return { kind: 'unknown', why: 'the path is missing' };
      const resolved: string[] = [];
      for (const p of paths) {
        const r = resolveToolPath(p, ctx);
        if (r === null) return { kind: 'unknown', why: `${p} cannot be resolved` };
        resolved.push(r);
      }
      return { kind: 'files', paths: resolved };
    }
    case 'search': {
      const paths = action.paths?.length ? action.paths : ['.'];
      const value = paths[0]!;
      if (paths.length !== 1 || value === '') return { kind: 'unknown', why: 'the search covers several folders' };
      if (!globStaysInside(action.pattern)) return { kind: 'unknown', why: 'the pattern reaches outside its folder' };
      const resolved = resolveToolPath(value, ctx);
      return resolved === null ? { kind: 'unknown', why: `${value} cannot be resolved` } : { kind: 'search', root: resolved };
    }
    case 'fetch': {
      const origin = originOf(action.url);
      return origin === null ? { kind: 'unknown', why: 'the URL is not an http(s) URL' } : { kind: 'fetch', origin };
    }
    default:
      return { kind: 'input', input: canonicalJson(action.input) };
  }
}
