import { describe, expect, it } from 'vitest';
import type { Risk } from '../../../src-main/contract/domain.ts';
import type { NewEvent, SessionEvent } from '../../../src-main/contract/events.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';
import { buildTranscript } from '../../../src-renderer/features/session/transcript.ts';

const log = (events: NewEvent[]): SessionEvent[] => events.map((event, i) => ({ ...event, sessionId: 's1', seq: i + 1, ts: 1_700_000_000_000 + i }));
const call = (toolUseId: string, tool: string, input: Record<string, unknown>): NewEvent => ({
  kind: 'tool_call',
  payload: { toolUseId, tool, input, action: claudeAction(tool, input) },
});
const result = (toolUseId: string, text: string, isError = false): NewEvent => ({
  kind: 'tool_result',
  payload: { toolUseId, isError, text, truncated: false },
});
const low: Risk = { level: 'low', tags: [], reasons: [] };

describe('the chat built from a session log', () => {
  it('reads as messages, tool rows and a turn footer, without protocol noise', () => {
    const items = buildTranscript(
      log([
        { kind: 'status', payload: { state: 'starting', detail: 'claude in /p (ask mode)' } },
        { kind: 'message', payload: { role: 'user', text: 'fix the tests', source: 'telegram' } },
        { kind: 'status', payload: { state: 'running', turn: 'started' } },
        { kind: 'raw', payload: { agentType: 'system/init', data: {} } },
        { kind: 'message', payload: { role: 'assistant', text: 'Looking.', messageId: 'm1' } },
        { kind: 'message', payload: { role: 'assistant', text: 'Reading first.', messageId: 'm1' } },
        call('r1', 'Read', { file_path: '/p/a.ts' }),
        { kind: 'policy_decision', payload: { toolUseId: 'r1', tool: 'Read', decision: 'allow', reason: 'read-only', risk: low } },
        result('r1', 'a'),
        call('r2', 'Grep', { pattern: 'TODO' }),
        result('r2', 'b'),
        call('b1', 'Bash', { command: 'npm test' }),
        result('b1', 'Exit code 1\nfailed', true),
        { kind: 'usage', payload: { costUsd: 0.01, inputTokens: 10, outputTokens: 5, durationMs: 900 } },
        { kind: 'status', payload: { state: 'idle', turn: 'ended' } },
      ]),
    );
    expect(items.map((item) => item.type)).toEqual(['separator', 'user', 'assistant', 'tools', 'tools', 'usage']);
    expect(items[1]).toMatchObject({ text: 'fix the tests', source: 'telegram' });
    expect(items[2]).toMatchObject({ text: 'Looking.\n\nReading first.' });
    expect(items[3]).toMatchObject({ folded: true, calls: [{ toolUseId: 'r1' }, { toolUseId: 'r2' }] });
    expect(items[4]).toMatchObject({ folded: false, calls: [{ action: { kind: 'shell', command: 'npm test' }, result: { isError: true } }] });
  });

  it('with details on, shows raw agent events and policy passes', () => {
    const events = log([
      { kind: 'raw', payload: { agentType: 'system/init', data: { a: 1 } } },
      { kind: 'policy_decision', payload: { toolUseId: null, tool: 'Read', decision: 'allow', reason: 'read-only', risk: low } },
    ]);
    expect(buildTranscript(events)).toEqual([]);
    expect(buildTranscript(events, true).map((item) => item.type)).toEqual(['detail', 'detail']);
  });

  it('keeps one row per follow-up, in its latest state, and one approval row with its outcome', () => {
    const items = buildTranscript(
      log([
        { kind: 'followup', payload: { followupId: 'f1', text: 'then deploy', delivery: 'queue', state: 'queued', source: 'desktop' } },
        { kind: 'followup', payload: { followupId: 'f1', text: 'then deploy', delivery: 'queue', state: 'sent', source: 'desktop' } },
        call('p1', 'ExitPlanMode', { plan: '1. build' }),
        {
          kind: 'approval_requested',
          payload: {
            approvalId: 'a1',
            handle: 'h',
            kind: 'plan',
            tool: 'ExitPlanMode',
            input: {},
            action: claudeAction('ExitPlanMode', { plan: '1. build' }),
            risk: low,
            expiresAt: 1,
          },
        },
        { kind: 'approval_decided', payload: { approvalId: 'a1', status: 'allowed', decidedBy: 'x', surface: 'telegram', reason: 'allowed' } },
        result('p1', 'ok'),
      ]),
    );
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ type: 'user', state: 'sent', source: 'desktop' });
    expect(items[1]).toMatchObject({ type: 'approval', kind: 'plan', status: 'allowed', surface: 'telegram' });
  });

  it('folds a policy deny into its call and says a stopped session plainly', () => {
    const items = buildTranscript(
      log([
        call('b1', 'Bash', { command: 'cat ~/.ssh/id_rsa' }),
        { kind: 'policy_decision', payload: { toolUseId: 'b1', tool: 'Bash', decision: 'deny', reason: 'reads secrets', risk: low } },
        { kind: 'status', payload: { state: 'stopped', detail: 'stopped by the owner' } },
      ]),
    );
    expect(items[0]).toMatchObject({ type: 'tools', calls: [{ deniedByPolicy: 'reads secrets' }] });
    expect(items[1]).toEqual({ type: 'separator', key: 'e3', text: 'stopped · stopped by the owner' });
  });
});
