/**
 * Risk findings for actions other than shell commands: file actions by their paths, fetches,
 * sub-agents, MCP tools and tools Reins does not know. Reads the normalised action only.
 */
import path from 'node:path';
import type { Finding } from './risk-model.ts';
import { finding } from './risk-model.ts';
import type { PathEnv } from './path-findings.ts';
import { assessPath } from './path-findings.ts';
import { joinRaw } from './paths.ts';
import { hasGlobSyntax } from './glob.ts';
import { patternMayMatchSecret } from './sensitive-paths.ts';
import type { PathAccess } from './rules-types.ts';
import type { ToolAction } from '../../contract/index.ts';
import { urlPortFindings } from './reins-ports.ts';

function cannotAnalyse(what: string): Finding {
  return { tag: null, level: 'high', reason: `cannot be analysed: ${what}` };
}

/** Absolute raw path for a tool's path argument: relative to the project, `~` to home. */
function toolPath(value: string, projectDir: string, homeDir: string): string {
  if (value === '~' || value.startsWith('~/')) return homeDir + value.slice(1);
  if (value.startsWith('~')) return path.join(path.dirname(homeDir), value.slice(1));
  return joinRaw(projectDir, value);
}

/** Findings for each path of the action, or "cannot be analysed" when it names none. */
function pathsOf(action: ToolAction, access: PathAccess, env: PathEnv, projectDir: string): Finding[] {
  const paths = action.paths ?? [];
  if (paths.length === 0 || paths.some((p) => p === '')) return [cannotAnalyse('the path is missing')];
  return paths.flatMap((p) => assessPath(toolPath(p, projectDir, env.homeDir), p, access, env));
}

/** A search pattern may itself point elsewhere (`/etc/**`, `../../**`): check its fixed part. */
function searchPattern(action: ToolAction, env: PathEnv, projectDir: string): Finding[] {
  const pattern = action.pattern;
  if (pattern === undefined) return [];
  const segments = pattern.split('/');
  const firstGlob = segments.findIndex((s) => hasGlobSyntax(s));
  const fixed = (firstGlob === -1 ? segments : segments.slice(0, firstGlob)).join('/');
  const first = action.paths?.[0];
  const base = first !== undefined ? toolPath(first, projectDir, env.homeDir) : projectDir;
  const raw = pattern.startsWith('/') || pattern.startsWith('~') ? toolPath(fixed || '/', projectDir, env.homeDir) : joinRaw(base, fixed || '.');
  return assessPath(raw, pattern, 'read', env).filter((f) => f.tag === 'outside-project');
}

/** A search restricted to files that may be secret (`*.env`, `.env*`) is a secrets search. */
function searchFilter(action: ToolAction): Finding[] {
  const glob = action.filter;
  if (glob === undefined) return [];
  const risky = glob.split('/').some((segment) => (hasGlobSyntax(segment) || segment.startsWith('.')) && patternMayMatchSecret(segment));
  return risky ? [finding('secrets', `searches files that may be secret (filter ${glob})`)] : [];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url; // shown as given when it is not a URL
  }
}

/** Findings for an action that is not a shell command. */
export function classifyAction(action: ToolAction, env: PathEnv, projectDir: string): Finding[] {
  switch (action.kind) {
    case 'read':
      return pathsOf(action, 'read', env, projectDir);
    case 'search':
      // A search reads every file below its folders (the project when none is given).
      return [
        ...pathsOf({ ...action, paths: action.paths?.length ? action.paths : ['.'] }, 'read-tree', env, projectDir),
        ...searchPattern(action, env, projectDir),
        ...searchFilter(action),
      ];
    case 'write':
      return [finding('writes', 'writes a file'), ...pathsOf(action, 'write', env, projectDir)];
    case 'edit':
      return [finding('writes', 'edits a file'), ...pathsOf(action, 'write', env, projectDir)];
    case 'fetch': {
      if (action.url === undefined) return [finding('network', 'searches the web')];
      const host = hostOf(action.url);
      return [finding('network', `fetches a web page (${host || 'no URL'})`), ...urlPortFindings(action.url, env.protectedPorts ?? [])];
    }
    case 'subagent':
      return action.unsupervisedMode !== undefined ? [finding('privilege', `starts a sub-agent that skips approvals (mode ${action.unsupervisedMode})`)] : [];
    case 'plan':
    case 'question':
    case 'budget':
      return [];
    case 'mcp':
      return [
        finding('unknown-tool', `calls the MCP tool ${action.mcp?.tool ?? action.tool} of server ${action.mcp?.server ?? '?'}; Reins cannot see what it does`),
      ];
    case 'shell':
      return [cannotAnalyse('a shell action reached the tool classifier')];
    case 'other':
      return action.internal === true ? [] : [finding('unknown-tool', `uses ${action.tool}, a tool Reins does not know`)];
  }
}
