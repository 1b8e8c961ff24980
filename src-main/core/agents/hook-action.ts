/**
 * The normalised action of a tool call an agent's own hook reported (sessions Reins did not start),
 * by the agent's vocabulary.
 */
import type { ToolAction } from '../../contract/index.ts';
import { InvalidRequestError } from '../errors.ts';
import { claudeAction } from './claude/action.ts';
import { codexHookAction } from './codex/hook-action.ts';
import { cursorHookAction } from './cursor/hook-action.ts';
import { geminiHookAction } from './gemini/hook-action.ts';

const MAPPERS: Readonly<Record<string, (tool: string, input: Record<string, unknown>) => ToolAction>> = {
  claude: claudeAction,
  codex: codexHookAction,
  gemini: geminiHookAction,
  cursor: cursorHookAction,
};

/** Agents whose hooks Reins understands. */
const HOOKED_AGENTS: readonly string[] = Object.keys(MAPPERS);

export function hookAction(agent: string, tool: string, input: Record<string, unknown>): ToolAction {
  const map = MAPPERS[agent];
  if (!map) throw new InvalidRequestError(`Reins has no hook support for agent "${agent}" (supported: ${HOOKED_AGENTS.join(', ')}).`);
  return map(tool, input);
}
