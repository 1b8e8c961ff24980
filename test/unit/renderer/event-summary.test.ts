import { describe, expect, it } from 'vitest';
import type { NewEvent, SessionEvent } from '../../../src-main/contract/events.ts';
import { EVENT_KINDS } from '../../../src-main/contract/events.ts';
import { describeAction, summarizeEvent } from '../../../src-renderer/features/timeline/event-summary.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';

const at = (event: NewEvent, seq = 1): SessionEvent => ({ ...event, sessionId: 's1', seq, ts: 1_700_000_000_000 });

const samples: NewEvent[] = [
  { kind: 'message', payload: { role: 'assistant', text: 'I will run the tests.' } },
  {
    kind: 'tool_call',
    payload: {
      toolUseId: 't1',
      tool: 'Bash',
      input: { command: 'npm test', description: 'Run tests' },
      action: claudeAction('Bash', { command: 'npm test', description: 'Run tests' }),
    },
  },
  { kind: 'tool_result', payload: { toolUseId: 't1', isError: true, text: 'exit 1', truncated: true } },
  {
    kind: 'approval_requested',
    payload: {
      approvalId: 'a1',
      handle: 'abcd1234',
      kind: 'tool',
      tool: 'Bash',
      input: { command: 'rm -rf build' },
      action: claudeAction('Bash', { command: 'rm -rf build' }),
      risk: { level: 'high', tags: ['destructive'], reasons: [] },
      expiresAt: 2,
    },
  },
  { kind: 'approval_decided', payload: { approvalId: 'a1', status: 'denied', decidedBy: 'owner', surface: 'telegram', reason: 'denied by owner' } },
  {
    kind: 'policy_decision',
    payload: {
      toolUseId: 't2',
      tool: 'Bash',
      action: claudeAction('Bash', { command: 'ls' }),
      decision: 'allow',
      reason: 'harmless: reads inside the project, nothing risky found',
      risk: { level: 'low', tags: [], reasons: [] },
    },
  },
  { kind: 'followup', payload: { followupId: 'f1', text: 'also fix lint', delivery: 'steer', state: 'queued' } },
  { kind: 'status', payload: { state: 'failed', detail: 'agent exited with code 1' } },
  { kind: 'usage', payload: { costUsd: 0.01234, inputTokens: 1200, outputTokens: 340, durationMs: 5000 } },
  { kind: 'error', payload: { source: 'agent-stderr', message: 'rate limited' } },
  { kind: 'terminal_output', payload: { data: '\x1b[32mok\x1b[0m 3 tests\r\nprogress 10%\rprogress 100%\r\n' } },
  { kind: 'raw', payload: { agentType: 'system', data: {} } },
];

describe('summarizeEvent', () => {
  it('has a row for every event kind of the contract', () => {
    expect(samples.map((sample) => sample.kind).sort()).toEqual([...EVENT_KINDS].sort());
  });

  it('reads each kind the way the timeline shows it', () => {
    expect(samples.map((sample) => summarizeEvent(at(sample)))).toEqual([
      { label: 'Agent', text: 'I will run the tests.', tone: 'agent' },
      { label: 'Run', text: 'npm test', tone: 'tool' },
      { label: 'Tool error', text: 'exit 1 [truncated]', tone: 'error' },
      { label: 'Approval needed', text: 'Run: rm -rf build (risk high)', tone: 'approval' },
      { label: 'Denied', text: 'denied by owner (telegram)', tone: 'approval' },
      { label: 'Allowed by policy', text: 'Run: harmless: reads inside the project, nothing risky found', tone: 'muted' },
      { label: 'Follow-up (steer)', text: 'also fix lint', tone: 'user' },
      { label: 'Status', text: 'failed: agent exited with code 1', tone: 'status' },
      { label: 'Usage', text: '1200 in / 340 out tokens, $0.0123', tone: 'muted' },
      { label: 'Error (agent-stderr)', text: 'rate limited', tone: 'error' },
      { label: 'Terminal', text: 'ok 3 tests\nprogress 100%\n', tone: 'tool' },
      { label: 'Agent event', text: 'system', tone: 'muted' },
    ]);
  });

  it('shows the user side of the conversation as "You"', () => {
    expect(summarizeEvent(at({ kind: 'message', payload: { role: 'user', text: 'hi' } }))).toEqual({ label: 'You', text: 'hi', tone: 'user' });
  });

  it('clips long texts', () => {
    const summary = summarizeEvent(at({ kind: 'message', payload: { role: 'assistant', text: 'x'.repeat(2000) } }));
    expect(summary.text).toHaveLength(601);
    expect(summary.text.endsWith('…')).toBe(true);
  });
});

describe('describeAction', () => {
  it('shows what the call acts on, else compact JSON', () => {
    expect(describeAction(claudeAction('Write', { file_path: '/src/a.ts', content: '…' }))).toBe('/src/a.ts');
    expect(describeAction(claudeAction('TodoWrite', { todos: [1, 2] }))).toBe('{"todos":[1,2]}');
  });

  it('reads an event stored before actions existed by its tool name', () => {
    expect(summarizeEvent(at({ kind: 'tool_call', payload: { toolUseId: 'old', tool: 'Bash', input: { command: 'ls' } } }))).toEqual({
      label: 'Bash',
      text: '{"command":"ls"}',
      tone: 'tool',
    });
  });
});
