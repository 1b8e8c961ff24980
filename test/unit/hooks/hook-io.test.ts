import { describe, expect, it } from 'vitest';
import { hookAction } from '../../../src-main/core/agents/hook-action.ts';
import { hookCallFrom, hookOutput, HookInputError } from '../../../src-main/hooks/hook-io.ts';

describe('hook input', () => {
  it("reads Claude's, Codex's and Gemini's PreToolUse/BeforeTool fields", () => {
    const raw = {
      session_id: 's1',
      transcript_path: '/t.jsonl',
      cwd: '/p',
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'ls' },
      tool_use_id: 'toolu_1',
    };
    expect(hookCallFrom('claude', raw, 5000)).toEqual({
      agent: 'claude',
      sessionId: 's1',
      cwd: '/p',
      transcriptPath: '/t.jsonl',
      tool: 'Bash',
      input: { command: 'ls' },
      toolUseId: 'toolu_1',
      budgetMs: 5000,
    });
    expect(
      hookCallFrom('gemini', { session_id: 'g', cwd: '/p', tool_name: 'read_file', tool_input: { absolute_path: '/p/a' }, timestamp: 'x' }, 1),
    ).toMatchObject({ agent: 'gemini', tool: 'read_file', transcriptPath: null, toolUseId: null });
  });

  it("reads Cursor's gate events, leaving out the file content beforeReadFile sends", () => {
    const common = { conversation_id: 'c1', generation_id: 'g1', workspace_roots: ['/w'] };
    expect(hookCallFrom('cursor', { ...common, hook_event_name: 'beforeShellExecution', command: 'npm test', cwd: '/w/sub' }, 1)).toMatchObject({
      sessionId: 'c1',
      cwd: '/w/sub',
      tool: 'beforeShellExecution',
      input: { command: 'npm test', cwd: '/w/sub' },
    });
    const read = hookCallFrom('cursor', { ...common, hook_event_name: 'beforeReadFile', file_path: '/w/.env', content: 'SECRET=1' }, 1);
    expect(read).toMatchObject({ cwd: '/w', input: { file_path: '/w/.env' } });
    expect(JSON.stringify(read)).not.toContain('SECRET');
    expect(() => hookCallFrom('cursor', { ...common, hook_event_name: 'afterFileEdit' }, 1)).toThrow(HookInputError);
  });

  it('refuses input without the fields a decision needs', () => {
    expect(() => hookCallFrom('claude', { cwd: '/p', tool_name: 'Bash' }, 1)).toThrow(HookInputError);
    expect(() => hookCallFrom('claude', [1], 1)).toThrow(HookInputError);
  });
});

describe('hook output', () => {
  it("speaks each agent's contract", () => {
    expect(JSON.parse(hookOutput('claude', { decision: 'ask', reason: 'r' }))).toEqual({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: 'r' },
    });
    expect(JSON.parse(hookOutput('codex', { decision: 'deny', reason: 'no' }))).toEqual({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'no' },
    });
    expect(hookOutput('codex', { decision: 'allow', reason: 'fine' })).toBe('');
    expect(JSON.parse(hookOutput('gemini', { decision: 'allow', reason: 'fine' }))).toEqual({ decision: 'allow', reason: 'fine' });
    expect(JSON.parse(hookOutput('gemini', { decision: 'ask', reason: 'x' })).decision).toBe('deny');
    expect(JSON.parse(hookOutput('cursor', { decision: 'deny', reason: 'no' }))).toEqual({ permission: 'deny', user_message: 'no', agent_message: 'no' });
  });
});

describe('hook actions', () => {
  it("maps Codex's apply_patch to an edit of the files it names, and Bash like Claude's", () => {
    const patch = '*** Begin Patch\n*** Update File: src/a.ts\n@@\n-a\n+b\n*** Add File: src/b.ts\n+x\n*** End Patch';
    expect(hookAction('codex', 'apply_patch', { command: patch })).toMatchObject({ kind: 'edit', paths: ['src/a.ts', 'src/b.ts'], patch });
    expect(hookAction('codex', 'Bash', { command: 'rm -rf build' })).toMatchObject({ kind: 'shell', command: 'rm -rf build' });
  });

  it("maps Gemini's tools", () => {
    expect(hookAction('gemini', 'run_shell_command', { command: 'git push' })).toMatchObject({ kind: 'shell', command: 'git push' });
    expect(hookAction('gemini', 'read_file', { absolute_path: '/p/.env' })).toMatchObject({ kind: 'read', paths: ['/p/.env'] });
    expect(hookAction('gemini', 'write_file', { file_path: '/p/a', content: 'x' })).toMatchObject({
      kind: 'write',
      edits: [{ path: '/p/a', oldText: null, newText: 'x' }],
    });
    expect(hookAction('gemini', 'replace', { file_path: '/p/a', old_string: 'x', new_string: 'y' })).toMatchObject({
      kind: 'edit',
      edits: [{ oldText: 'x', newText: 'y' }],
    });
    expect(hookAction('gemini', 'web_fetch', { prompt: 'summarise https://example.com/x please' })).toMatchObject({
      kind: 'fetch',
      url: 'https://example.com/x',
    });
    expect(hookAction('gemini', 'glob', { pattern: '**/*.ts', dir_path: 'src' })).toMatchObject({ kind: 'search', paths: ['src'], pattern: '**/*.ts' });
    expect(hookAction('gemini', 'mystery', {})).toMatchObject({ kind: 'other' });
  });

  it("maps Cursor's gate events", () => {
    expect(hookAction('cursor', 'beforeShellExecution', { command: 'npm i' })).toMatchObject({ kind: 'shell', command: 'npm i' });
    expect(hookAction('cursor', 'beforeReadFile', { file_path: '/w/.env' })).toMatchObject({ kind: 'read', paths: ['/w/.env'] });
    expect(hookAction('cursor', 'beforeMCPExecution', { tool_name: 'query', tool_input: { sql: 'drop' }, url: 'https://db.example:8443/mcp' })).toMatchObject({
      kind: 'mcp',
      mcp: { server: 'db.example:8443', tool: 'query' },
      input: { sql: 'drop' },
    });
  });

  it('refuses an agent without hook support', () => {
    expect(() => hookAction('opencode', 'x', {})).toThrow(/no hook support/);
  });
});
