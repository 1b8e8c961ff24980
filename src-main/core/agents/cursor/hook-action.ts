/**
 * Cursor's gate hooks as normalised actions. Cursor names the event, not a tool: `beforeShellExecution`
 * (`command`, `cwd`), `beforeMCPExecution` (`tool_name`, `tool_input`, the server's `url` or `command`),
 * `beforeReadFile` (`file_path`). From Cursor's hook documentation; not verified against the CLI.
 */
import type { ToolAction } from '../../../contract/index.ts';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A server's name for display and grants: the URL's host or the command's program. */
function serverOf(input: Json): string {
  const url = str(input.url);
  if (url) {
    try {
      return new URL(url).host || url;
    } catch {
      return url;
    }
  }
  return (str(input.command) ?? 'unknown').split(/\s+/)[0] ?? 'unknown';
}

export function cursorHookAction(event: string, input: Json): ToolAction {
  switch (event) {
    case 'beforeShellExecution': {
      const command = str(input.command);
      return { kind: 'shell', tool: 'Shell', input, title: command ?? 'a shell command', ...(command !== undefined ? { command } : {}) };
    }
    case 'beforeReadFile': {
      const path = str(input.file_path);
      return { kind: 'read', tool: 'Read', input, title: `read ${path ?? '(no path)'}`, paths: path ? [path] : [] };
    }
    case 'beforeMCPExecution': {
      const server = serverOf(input);
      const tool = str(input.tool_name) ?? 'unknown';
      const args = typeof input.tool_input === 'object' && input.tool_input !== null && !Array.isArray(input.tool_input) ? (input.tool_input as Json) : {};
      return { kind: 'mcp', tool: `mcp__${server}__${tool}`, input: args, title: `${tool} (MCP server ${server})`, mcp: { server, tool } };
    }
  }
  return { kind: 'other', tool: event, input, title: event };
}
