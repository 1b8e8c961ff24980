/**
 * What each agent's hook gets on stdin and must print, mapped to and from Reins' hook call. Pure
 * functions with no imports at run time (the hook client starts on every tool call).
 * Formats: shared/reference/claude-code-protocol.md §4, codex-gemini-cursor-opencode-protocols.md
 * §1.6 (Codex), §3.6 (Gemini), §4 (Cursor), §6.
 */
import type { HookCallBody, HookCallResponse } from '../contract/api.ts';
import type { HookAgent } from './hook-agents.ts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The agent's hook input did not have what Reins needs to decide. */
export class HookInputError extends Error {
  override readonly name = 'HookInputError';
}

/** Cursor's gate events and the fields of each that describe the call (never the file content it sends). */
const CURSOR_FIELDS: Readonly<Record<string, readonly string[]>> = {
  beforeShellExecution: ['command', 'cwd'],
  beforeMCPExecution: ['tool_name', 'tool_input', 'url', 'command'],
  beforeReadFile: ['file_path'],
};

/** The call in Reins' words, from the JSON the agent wrote on the hook's stdin. */
export function hookCallFrom(agent: HookAgent, raw: unknown, budgetMs: number): HookCallBody {
  if (!isObj(raw)) throw new HookInputError('the hook input is not a JSON object');
  if (agent === 'cursor') {
    const event = str(raw.hook_event_name);
    const fields = event ? CURSOR_FIELDS[event] : undefined;
    if (!event || !fields) throw new HookInputError(`Cursor hook event ${event ?? '(none)'} is not one Reins installs`);
    const sessionId = str(raw.conversation_id);
    const roots = Array.isArray(raw.workspace_roots) ? raw.workspace_roots : [];
    const cwd = str(raw.cwd) ?? str(roots[0]);
    if (!sessionId || !cwd) throw new HookInputError('the Cursor hook input has no conversation_id or workspace root');
    const input: Json = {};
    for (const f of fields) if (raw[f] !== undefined) input[f] = raw[f];
    return { agent, sessionId, cwd, transcriptPath: null, tool: event, input, toolUseId: str(raw.generation_id), budgetMs };
  }
  // Claude, Codex and Gemini share the field names of Claude's PreToolUse input.
  const sessionId = str(raw.session_id);
  const cwd = str(raw.cwd);
  const tool = str(raw.tool_name);
  if (!sessionId || !cwd || !tool) throw new HookInputError('the hook input has no session_id, cwd or tool_name');
  const input = isObj(raw.tool_input) ? raw.tool_input : {};
  return { agent, sessionId, cwd, transcriptPath: str(raw.transcript_path), tool, input, toolUseId: str(raw.tool_use_id), budgetMs };
}

/** The answer as the agent reads it: JSON for stdout, or '' for "no opinion" (Codex's allow). */
export function hookOutput(agent: HookAgent, answer: Pick<HookCallResponse, 'decision' | 'reason'>): string {
  const { decision, reason } = answer;
  switch (agent) {
    case 'claude':
      return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: reason } });
    case 'codex':
      // Codex 0.169 honours only `deny` from PreToolUse (allow/ask were proposed, not merged): no
      // output lets the call go on through Codex's own approval flow.
      return decision === 'deny'
        ? JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } })
        : '';
    case 'gemini':
      // Gemini has no `ask`; Reins asks only about plans and questions, which Gemini's tools never are.
      return JSON.stringify({ decision: decision === 'allow' ? 'allow' : 'deny', reason });
    case 'cursor':
      return JSON.stringify({ permission: decision, user_message: reason, agent_message: reason });
  }
}

/** A denial with `reason`, in the agent's format: what the client prints whenever anything goes wrong. */
export const denyOutput = (agent: HookAgent, reason: string): string => hookOutput(agent, { decision: 'deny', reason });
