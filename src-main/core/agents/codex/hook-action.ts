/**
 * Codex's tool calls as its PreToolUse hook reports them (Claude's hook format: `Bash` with a command
 * line; `apply_patch` with the patch in `command`), as normalised actions.
 */
import type { ToolAction } from '../../../contract/index.ts';
import { claudeAction } from '../claude/action.ts';

/** Files a Codex patch adds, updates, deletes or moves to (`*** Update File: src/a.ts`). */
function patchPaths(patch: string): string[] {
  const paths = [...patch.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm)].map((m) => (m[1] ?? m[2] ?? '').trim());
  return [...new Set(paths.filter(Boolean))];
}

export function codexHookAction(tool: string, input: Record<string, unknown>): ToolAction {
  if (tool === 'apply_patch') {
    const patch = typeof input.command === 'string' ? input.command : '';
    const paths = patchPaths(patch);
    return { kind: 'edit', tool, input, title: `edit ${paths.join(', ') || '(no file)'}`, paths, patch };
  }
  // `Bash` and MCP tools (`mcp__server__tool`) use Claude's names and fields.
  return claudeAction(tool, input);
}
