/**
 * Risk findings for agent tools other than Bash: file tools by their paths, web tools, sub-agents,
 * MCP tools and tools Reins does not know.
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
import { urlPortFindings } from './reins-ports.ts';

/** Tools that only manage the agent's own state or talk to the owner: nothing to assess. */
const INTERNAL_TOOLS = new Set([
  'TodoWrite', 'AskUserQuestion', 'ExitPlanMode', 'EnterPlanMode', 'BashOutput', 'TaskOutput', 'KillShell', 'KillBash',
  'TaskStop', 'TaskCreate', 'TaskGet', 'TaskUpdate', 'TaskList', 'ToolSearch', 'ListAgents', 'Skill', 'ReportFindings',
]);

/** Sub-agent modes that skip approvals for everything the sub-agent does. */
const UNSUPERVISED_MODES = new Set(['bypassPermissions', 'acceptEdits', 'dontAsk', 'auto']);

function cannotAnalyse(what: string): Finding {
  return { tag: null, level: 'high', reason: `cannot be analysed: ${what}` };
}

/** Absolute raw path for a tool's path argument: relative to the project, `~` to home. */
function toolPath(value: string, projectDir: string, homeDir: string): string {
  if (value === '~' || value.startsWith('~/')) return homeDir + value.slice(1);
  if (value.startsWith('~')) return path.join(path.dirname(homeDir), value.slice(1));
  return joinRaw(projectDir, value);
}

function filePath(input: Record<string, unknown>, key: string, access: PathAccess, env: PathEnv, projectDir: string, required: boolean): Finding[] {
  const value = input[key];
  if (value === undefined && !required) return [];
  if (typeof value !== 'string' || value === '') return [cannotAnalyse(`${key} is missing or not text`)];
  return assessPath(toolPath(value, projectDir, env.homeDir), value, access, env);
}

/** Glob's `pattern` may itself point elsewhere (`/etc/**`, `../../**`): check its fixed part. */
function globPattern(input: Record<string, unknown>, env: PathEnv, projectDir: string): Finding[] {
  const pattern = input.pattern;
  if (typeof pattern !== 'string') return [];
  const segments = pattern.split('/');
  const firstGlob = segments.findIndex((s) => hasGlobSyntax(s));
  const fixed = (firstGlob === -1 ? segments : segments.slice(0, firstGlob)).join('/');
  const base = typeof input.path === 'string' ? toolPath(input.path, projectDir, env.homeDir) : projectDir;
  const raw = pattern.startsWith('/') || pattern.startsWith('~') ? toolPath(fixed || '/', projectDir, env.homeDir) : joinRaw(base, fixed || '.');
  return assessPath(raw, pattern, 'read', env).filter((f) => f.tag === 'outside-project');
}

function grepFilter(input: Record<string, unknown>): Finding[] {
  const glob = input.glob;
  if (typeof glob !== 'string') return [];
  const risky = glob.split('/').some((segment) => (hasGlobSyntax(segment) || segment.startsWith('.')) && patternMayMatchSecret(segment));
  return risky ? [finding('secrets', `searches files that may be secret (glob ${glob})`)] : [];
}

/** Findings for a non-Bash tool call. */
export function classifyTool(tool: string, input: Record<string, unknown>, env: PathEnv, projectDir: string): Finding[] {
  switch (tool) {
    case 'Read':
      return filePath(input, 'file_path', 'read', env, projectDir, true);
    case 'NotebookRead':
      return filePath(input, 'notebook_path', 'read', env, projectDir, true);
    case 'LS':
      return filePath(input, 'path', 'read', env, projectDir, false);
    case 'Glob':
      return [...filePath(input, 'path', 'read', env, projectDir, false), ...globPattern(input, env, projectDir)];
    case 'Grep':
      // Grep searches every file below its path (the project when none is given).
      return [...filePath({ path: '.', ...input }, 'path', 'read-tree', env, projectDir, false), ...grepFilter(input)];
    case 'Write':
      return [finding('writes', 'writes a file'), ...filePath(input, 'file_path', 'write', env, projectDir, true)];
    case 'Edit':
    case 'MultiEdit':
      return [finding('writes', 'edits a file'), ...filePath(input, 'file_path', 'write', env, projectDir, true)];
    case 'NotebookEdit':
      return [finding('writes', 'edits a notebook'), ...filePath(input, 'notebook_path', 'write', env, projectDir, true)];
    case 'WebFetch': {
      const url = typeof input.url === 'string' ? input.url : '';
      let host = url;
      try {
        host = new URL(url).host;
      } catch {
        // Shown as given when it is not a URL.
      }
      return [finding('network', `fetches a web page (${host || 'no URL'})`), ...urlPortFindings(url, env.protectedPorts ?? [])];
    }
    case 'WebSearch':
      return [finding('network', 'searches the web')];
    case 'Task':
    case 'Agent': {
      const mode = input.mode;
      if (typeof mode === 'string' && UNSUPERVISED_MODES.has(mode)) {
        return [finding('privilege', `starts a sub-agent that skips approvals (mode ${mode})`)];
      }
      return [];
    }
  }
  if (INTERNAL_TOOLS.has(tool)) return [];
  const mcp = /^mcp__(.+?)__(.+)$/.exec(tool);
  if (mcp !== null) {
    return [finding('unknown-tool', `calls the MCP tool ${mcp[2] ?? ''} of server ${mcp[1] ?? ''}; Reins cannot see what it does`)];
  }
  return [finding('unknown-tool', `uses ${tool}, a tool Reins does not know`)];
}
