/**
 * The ACP translation, fed with lines the pinned Gemini CLI and OpenCode really sent
 * (test/fixtures/acp, captured against fake model servers).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../src-main/contract/index.ts';
import { acpAction, createAcpTranslator, newToolCall, permissionOutcome, type AcpToolCall } from '../../../src-main/core/agents/acp/index.ts';
import type { PermissionRequest, RunOutput } from '../../../src-main/core/agents/runner.ts';

type Json = Record<string, unknown>;

/** The agent's messages of a capture ("<<" lines), parsed. */
function agentLines(name: string): Json[] {
  return readFileSync(new URL(`../../fixtures/acp/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('<< '))
    .map((l) => JSON.parse(l.slice(3)) as Json);
}

/** Feeds a capture through a translator like the runner does: updates, permission requests, the prompt result. */
function translate(name: string): RunOutput[] {
  const t = createAcpTranslator();
  const out: RunOutput[] = [];
  let n = 0;
  for (const line of agentLines(name)) {
    const params = (line.params ?? {}) as Json;
    if (line.method === 'session/update') out.push(...t.update(params.update as Json));
    else if (line.method === 'session/request_permission') out.push(...t.permission(`acp_${++n}`, params.toolCall as Json));
    else if (line.result && typeof (line.result as Json).stopReason === 'string') out.push(...t.endTurn(line.result as Json, 42));
  }
  return out;
}

const events = (out: RunOutput[]): NewEvent[] => out.flatMap((o) => (o.type === 'event' ? [o.event] : []));
const permissions = (out: RunOutput[]): PermissionRequest[] => out.flatMap((o) => (o.type === 'permission' ? [o.request] : []));
const kinds = (out: RunOutput[]): string[] => out.map((o) => (o.type === 'event' ? o.event.kind : o.type)).filter((k) => k !== 'raw');

describe('ACP updates to Reins events', () => {
  it('Gemini shell call: the permission carries the command from the title; completion gives the result; usage from _meta.quota', () => {
    const out = translate('gemini-acp-allow.jsonl');
    expect(kinds(out)).toEqual(['tool_call', 'permission', 'tool_result', 'message', 'usage', 'turn-ended']);
    const [p] = permissions(out);
    expect(p?.action).toMatchObject({ kind: 'shell', command: 'echo hello-from-fake-gemini && uname -s', title: 'echo hello-from-fake-gemini && uname -s' });
    expect(p?.toolUseId).toBe('run_shell_command__run_shell_command_1795239171946_0');
    expect(p?.agentAsked).toBe(true);
    const evs = events(out);
    expect(evs.find((e) => e.kind === 'tool_result')?.payload).toMatchObject({ toolUseId: p?.toolUseId, isError: false });
    expect(evs.find((e) => e.kind === 'usage')?.payload).toEqual({ costUsd: null, inputTokens: 200, outputTokens: 40, durationMs: 42 });
    expect(out.at(-1)).toEqual({ type: 'turn-ended', ok: true, interrupted: false });
  });

  it('Gemini rejected call: shown as a tool call, no result, the model answer, a normal turn end', () => {
    const out = translate('gemini-acp-reject.jsonl');
    expect(kinds(out)).toEqual(['tool_call', 'permission', 'message', 'usage', 'turn-ended']);
    const msg = events(out).find((e) => e.kind === 'message');
    expect(msg?.kind === 'message' && msg.payload.text).toContain('was canceled by the user');
  });

  it('OpenCode shell call: the tool_call waits for the update that names the command; chunks make one message', () => {
    const out = translate('opencode-acp-allow.jsonl');
    expect(kinds(out)).toEqual(['tool_call', 'permission', 'tool_result', 'message', 'usage', 'turn-ended']);
    const call = events(out).find((e) => e.kind === 'tool_call');
    expect(call?.kind === 'tool_call' && call.payload.action).toMatchObject({ kind: 'shell', command: 'echo hello-from-fake-model && uname -s' });
    expect(call?.kind === 'tool_call' && call.payload.input).toMatchObject({ command: 'echo hello-from-fake-model && uname -s' });
    const msgs = events(out).filter((e) => e.kind === 'message');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]?.payload).toMatchObject({
      role: 'assistant',
      text: 'FAKE-DONE (chat): tool returned "hello-from-fake-model\\nLinux\\n"',
      messageId: 'msg_1fc9cdfc20012tqx1upykJF6PH',
    });
    expect(events(out).find((e) => e.kind === 'tool_result')?.payload).toMatchObject({ isError: false, text: 'hello-from-fake-model\nLinux\n' });
    expect(events(out).find((e) => e.kind === 'usage')?.payload).toMatchObject({ inputTokens: 100, outputTokens: 20 });
  });

  it('Gemini write and replace: write with the new content, edit with old and new text', () => {
    const [write, replace] = permissions(translate('gemini-acp-edit.jsonl'));
    expect(write?.action).toMatchObject({
      kind: 'write',
      paths: ['/scratch/proj/new.txt'],
      edits: [{ path: '/scratch/proj/new.txt', oldText: null, newText: 'hello file' }],
    });
    expect(replace?.action).toMatchObject({
      kind: 'edit',
      paths: ['/scratch/proj/new.txt'],
      edits: [{ path: '/scratch/proj/new.txt', oldText: 'hello file', newText: 'goodbye file' }],
    });
  });

  it('OpenCode edit: the permission has the whole-file diff and the unified patch', () => {
    const out = translate('opencode-acp-edit.jsonl');
    const call = events(out).find((e) => e.kind === 'tool_call');
    // The in_progress update (raw input, a relative path) is what the tool_call event shows.
    expect(call?.kind === 'tool_call' && call.payload.action).toMatchObject({
      kind: 'edit',
      edits: [{ path: 'new.txt', oldText: 'hello', newText: 'goodbye' }],
    });
    const [p] = permissions(out);
    expect(p?.action.kind).toBe('edit');
    expect(p?.action.edits).toEqual([{ path: '/scratch/proj/new.txt', oldText: 'hello file', newText: 'goodbye file' }]);
    expect(p?.action.paths).toContain('/scratch/proj/new.txt');
    expect(p?.action.patch).toContain('+goodbye file');
  });

  it('keeps updates it does not translate as raw events, and a cancelled turn as interrupted', () => {
    const t = createAcpTranslator();
    const out = [...t.update({ sessionUpdate: 'current_mode_update', currentModeId: 'plan' }), ...t.endTurn({ stopReason: 'cancelled' }, null)];
    expect(out[0]).toMatchObject({ type: 'event', event: { kind: 'raw', payload: { agentType: 'current_mode_update' } } });
    expect(out.at(-1)).toEqual({ type: 'turn-ended', ok: false, interrupted: true });
  });

  it('a plan update closes the message before it and is kept', () => {
    const t = createAcpTranslator();
    const out = [
      ...t.update({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'Plan:' } }),
      ...t.update({ sessionUpdate: 'plan', entries: [{ content: 'step 1', priority: 'high', status: 'pending' }] }),
    ];
    expect(out.map((o) => (o.type === 'event' ? o.event.kind : o.type))).toEqual(['message', 'raw']);
  });
});

describe('ACP tool kinds to actions', () => {
  const call = (over: Partial<AcpToolCall>): AcpToolCall => ({ ...newToolCall('t1'), ...over });

  it.each([
    [
      { kind: 'read', title: 'ReadFile', locations: [{ path: '/p/a.ts' }] },
      { kind: 'read', paths: ['/p/a.ts'] },
    ],
    [
      { kind: 'delete', title: 'rm', rawInput: { path: '/p/old.txt' } },
      { kind: 'edit', paths: ['/p/old.txt'], title: 'delete /p/old.txt' },
    ],
    [
      { kind: 'move', title: 'mv', rawInput: { source: '/p/a', destination: '/p/b' } },
      { kind: 'edit', paths: ['/p/a', '/p/b'] },
    ],
    [
      { kind: 'search', title: 'grep', rawInput: { pattern: 'TODO', include: '*.env' } },
      { kind: 'search', paths: ['.'], filter: '*.env' },
    ],
    [
      { kind: 'fetch', title: 'WebFetch', rawInput: { url: 'https://example.com/x' } },
      { kind: 'fetch', url: 'https://example.com/x' },
    ],
    [
      { kind: 'fetch', title: 'web search', rawInput: { query: 'acp spec' } },
      { kind: 'fetch', query: 'acp spec' },
    ],
    [
      { kind: 'think', title: 'thinking' },
      { kind: 'other', internal: true },
    ],
    [
      { kind: 'switch_mode', title: 'exit plan mode' },
      { kind: 'other', title: 'exit plan mode' },
    ],
    [
      // OpenCode's permission to reach outside the project, asked before the call itself.
      { kind: 'other', title: 'cat /srv/x/a', rawInput: { command: 'cat /srv/x/a', directories: ['/srv/x'], patterns: ['/srv/x/*'] } },
      { kind: 'read', paths: ['/srv/x'], title: 'reach outside the project: /srv/x' },
    ],
    [
      { kind: 'execute', title: 'Run tests', rawInput: { command: ['npm', 'test'] } },
      { kind: 'shell', command: 'npm test', argv: ['npm', 'test'] },
    ],
  ] as const)('%o → %o', (over, expected) => {
    const action = acpAction(call(over as Partial<AcpToolCall>));
    expect(action).toMatchObject(expected);
    expect(action.internal ?? false).toBe('internal' in expected);
  });

  it('an unknown tool without raw input keeps its title as input, so exact grants tell calls apart', () => {
    expect(acpAction(call({ kind: 'other', title: 'frobnicate the cache' })).input).toEqual({ title: 'frobnicate the cache' });
  });
});

describe('decisions to ACP outcomes', () => {
  const gemini = [
    { optionId: 'proceed_always', kind: 'allow_always' },
    { optionId: 'proceed_once', kind: 'allow_once' },
    { optionId: 'cancel', kind: 'reject_once' },
  ];
  it('allow is the allow_once option, deny the reject_once option, never an "always" one', () => {
    expect(permissionOutcome({ decision: 'allow', answers: null }, gemini)).toEqual({ outcome: 'selected', optionId: 'proceed_once' });
    expect(permissionOutcome({ decision: 'deny', message: 'no' }, gemini)).toEqual({ outcome: 'selected', optionId: 'cancel' });
  });
  it('without a once option the request is cancelled', () => {
    expect(permissionOutcome({ decision: 'deny', message: 'no' }, [{ optionId: 'a', kind: 'allow_once' }])).toEqual({ outcome: 'cancelled' });
    expect(permissionOutcome({ decision: 'allow', answers: null }, [{ optionId: 'a', kind: 'allow_always' }])).toEqual({ outcome: 'cancelled' });
  });
});
