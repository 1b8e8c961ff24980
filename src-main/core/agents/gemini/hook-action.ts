/**
 * Gemini CLI's built-in tools as its `BeforeTool` hook reports them (`tool_name`, `tool_input`), as
 * normalised actions. Names and fields of Gemini CLI 0.61 (its tool reference); anything else is
 * `other`, which policy treats as an unknown tool.
 */
import type { ToolAction } from '../../../contract/index.ts';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function geminiHookAction(tool: string, input: Json): ToolAction {
  const base = { tool, input };
  const file = str(input.file_path) ?? str(input.absolute_path);
  const dir = str(input.dir_path) ?? str(input.path) ?? str(input.directory);
  switch (tool) {
    case 'run_shell_command': {
      const command = str(input.command);
      return { ...base, kind: 'shell', title: command ?? 'a shell command', ...(command !== undefined ? { command } : {}) };
    }
    case 'read_file':
      return { ...base, kind: 'read', title: `read ${file ?? '(no path)'}`, paths: file ? [file] : [] };
    case 'read_many_files': {
      const paths = [...strs(input.paths), ...strs(input.include)];
      return { ...base, kind: 'read', title: `read ${paths.join(', ') || '(no path)'}`, paths };
    }
    case 'write_file':
      return {
        ...base,
        kind: 'write',
        title: `write ${file ?? '(no path)'}`,
        paths: file ? [file] : [],
        edits: file ? [{ path: file, oldText: null, newText: str(input.content) ?? '' }] : [],
      };
    case 'replace':
      return {
        ...base,
        kind: 'edit',
        title: `edit ${file ?? '(no path)'}`,
        paths: file ? [file] : [],
        edits: file ? [{ path: file, oldText: str(input.old_string) ?? '', newText: str(input.new_string) ?? '' }] : [],
      };
    case 'list_directory':
      return { ...base, kind: 'search', title: `list ${dir ?? '.'}`, paths: [dir ?? '.'] };
    case 'glob': {
      const pattern = str(input.pattern);
      return {
        ...base,
        kind: 'search',
        title: `search ${pattern ?? ''}${dir ? ` in ${dir}` : ''}`,
        paths: [dir ?? '.'],
        ...(pattern !== undefined ? { pattern } : {}),
      };
    }
    case 'search_file_content':
    case 'grep_search': {
      const filter = str(input.include);
      return {
        ...base,
        kind: 'search',
        title: `search ${str(input.pattern) ?? ''}${dir ? ` in ${dir}` : ''}`,
        paths: [dir ?? '.'],
        ...(filter !== undefined ? { filter } : {}),
      };
    }
    case 'web_fetch': {
      // The input is a prompt naming the URLs; the first one is what gets fetched first.
      const url = /https?:\/\/[^\s"'<>]+/.exec(str(input.prompt) ?? str(input.url) ?? '')?.[0] ?? '';
      return { ...base, kind: 'fetch', title: `fetch ${url || '(no URL)'}`, url };
    }
    case 'google_web_search': {
      const query = str(input.query) ?? '';
      return { ...base, kind: 'fetch', title: `search the web: ${query}`, query };
    }
    case 'save_memory':
    case 'write_todos':
      return { ...base, kind: 'other', title: tool, internal: true };
  }
  return { ...base, kind: 'other', title: tool };
}
