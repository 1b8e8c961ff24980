import { describe, expect, it } from 'vitest';
import type { NewEvent, Session, SessionEvent } from '../../../src-main/contract/index.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';
import { applyEvent, phaseOf, startTurn, summarizeAction, type LiveTurn } from '../../../src-main/surfaces/telegram/live-turn.ts';
import { renderLiveStatus } from '../../../src-main/surfaces/telegram/views/live-status.ts';
import { createRedactor } from '../../../src-main/surfaces/telegram/format/index.ts';

const redact = createRedactor();
import { parseTelegramHtml } from '../../fakes/bot-api/index.ts';

const SID = 'sess-1';
const session: Session = {
  id: SID,
  agent: 'claude',
  projectId: 'p1',
  cwd: '/home/dev/shop',
  mode: 'ask',
  state: 'running',
  stateReason: null,
  waitingFor: null,
  agentSessionId: null,
  adopted: false,
  transcriptPath: null,
  title: 'fix the tests',
  name: 'app',
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 0,
  createdAt: 0,
  updatedAt: 0,
};

/** Builds a run from events (seq from 1, ts in ms) and returns the fold's state. */
function run(events: NewEvent[], start = 0): { turn: LiveTurn; evs: SessionEvent[] } {
  const evs = events.map((e, i) => ({ ...e, sessionId: SID, seq: i + 1, ts: start + i * 1000 }) as SessionEvent);
  const turn = startTurn(SID, 1, start);
  for (const ev of evs) applyEvent(turn, ev);
  return { turn, evs };
}
const started: NewEvent = { kind: 'status', payload: { state: 'running', turn: 'started' } };
const ended = (detail = 'turn finished'): NewEvent => ({ kind: 'status', payload: { state: 'idle', turn: 'ended', detail } });
const bash = (id: string, command: string): NewEvent => ({
  kind: 'tool_call',
  payload: { toolUseId: id, tool: 'Bash', input: { command }, action: claudeAction('Bash', { command }) },
});
const result = (id: string, isError = false): NewEvent => ({ kind: 'tool_result', payload: { toolUseId: id, isError, text: '', truncated: false } });

describe('the live run fold', () => {
  it('moves thinking → running a tool → waiting → done, keeping the final answer', () => {
    const { turn } = run([started]);
    expect(phaseOf(turn)).toBe('thinking');
    applyEvent(turn, { ...bash('t1', 'npm test'), sessionId: SID, seq: 2, ts: 1000 } as SessionEvent);
    expect(phaseOf(turn)).toBe('tool');
    applyEvent(turn, {
      kind: 'approval_requested',
      payload: { approvalId: 'a', handle: 'abcdefgh', kind: 'tool', tool: 'Bash', input: {}, risk: { level: 'high', tags: [], reasons: [] }, expiresAt: 0 },
      sessionId: SID,
      seq: 3,
      ts: 2000,
    });
    expect(phaseOf(turn)).toBe('waiting');
    applyEvent(turn, {
      kind: 'approval_decided',
      payload: { approvalId: 'a', status: 'allowed', decidedBy: 'x', surface: 'telegram', reason: 'ok' },
      sessionId: SID,
      seq: 4,
      ts: 3000,
    });
    applyEvent(turn, { ...result('t1'), sessionId: SID, seq: 5, ts: 4000 } as SessionEvent);
    applyEvent(turn, { kind: 'message', payload: { role: 'assistant', text: 'All **green**.' }, sessionId: SID, seq: 6, ts: 5000 });
    applyEvent(turn, { kind: 'usage', payload: { costUsd: 0.0123, inputTokens: 1500, outputTokens: 200, durationMs: 10 }, sessionId: SID, seq: 7, ts: 5000 });
    applyEvent(turn, { ...ended(), sessionId: SID, seq: 8, ts: 6000 } as SessionEvent);
    expect(phaseOf(turn)).toBe('done');
    expect(turn.lastText).toBe('All **green**.');
    expect(turn.actions[0]).toMatchObject({ label: 'Run', kind: 'shell', summary: 'npm test', ok: true });
    expect(turn).toMatchObject({ costUsd: 0.0123, inputTokens: 1500, outputTokens: 200 });
  });

  it('a steered message nests a turn: the run ends with the last turn end', () => {
    const { turn } = run([
      started,
      { kind: 'status', payload: { state: 'running', turn: 'started' } },
      ended(),
      { kind: 'message', payload: { role: 'assistant', text: 'second' } },
    ]);
    expect(turn.end).toBeNull();
    applyEvent(turn, { ...ended(), sessionId: SID, seq: 9, ts: 9000 } as SessionEvent);
    expect(turn.end).toBe('done');
  });

  it('maps how a turn ended: error, interrupt, and the session stopping or failing under it', () => {
    expect(run([started, ended('turn ended with an error')]).turn.end).toBe('failed');
    expect(run([started, ended('turn interrupted')]).turn.end).toBe('interrupted');
    expect(run([started, { kind: 'status', payload: { state: 'stopped' } }]).turn.end).toBe('stopped');
    const failed = run([started, { kind: 'status', payload: { state: 'failed', detail: 'claude exited with code 1' } }]).turn;
    expect(failed).toMatchObject({ end: 'failed', detail: 'claude exited with code 1' });
    expect(run([started, { kind: 'status', payload: { state: 'stalled' } }]).turn.stalled).toBe(true);
  });

  it('records the files the run writes, once each, and ignores events after the end', () => {
    const write: NewEvent = {
      kind: 'tool_call',
      payload: {
        toolUseId: 'w',
        tool: 'Write',
        input: { file_path: '/home/dev/shop/a.ts', content: 'x' },
        action: claudeAction('Write', { file_path: '/home/dev/shop/a.ts', content: 'x' }),
      },
    };
    const edit: NewEvent = {
      kind: 'tool_call',
      payload: {
        toolUseId: 'e',
        tool: 'Edit',
        input: { file_path: '/home/dev/shop/a.ts', old_string: 'x', new_string: 'y' },
        action: claudeAction('Edit', { file_path: '/home/dev/shop/a.ts', old_string: 'x', new_string: 'y' }),
      },
    };
    const read: NewEvent = {
      kind: 'tool_call',
      payload: {
        toolUseId: 'r',
        tool: 'Read',
        input: { file_path: '/home/dev/shop/b.ts' },
        action: claudeAction('Read', { file_path: '/home/dev/shop/b.ts' }),
      },
    };
    const { turn } = run([started, write, edit, read, ended(), bash('late', 'rm -rf /')]);
    expect(turn.files).toEqual(['/home/dev/shop/a.ts']);
    expect(turn.actions.map((a) => a.id)).toEqual(['w', 'e', 'r']);
  });

  it('summarises a tool call by its command, file or pattern, kept whole for the view to redact and shorten', () => {
    expect(summarizeAction(claudeAction('Bash', { command: 'npm test\n&& echo done' }))).toBe('npm test\n&& echo done');
    expect(summarizeAction(claudeAction('Grep', { pattern: 'TODO', path: '/x' }))).toBe('TODO in /x');
    expect(summarizeAction(claudeAction('Mystery', { a: 1 }))).toBe('{"a":1}');
    // Kept whole: the view shortens it after redaction (a cut secret would no longer be recognised).
    expect(summarizeAction(claudeAction('Bash', { command: 'x'.repeat(300) }))).toHaveLength(300);
  });
});

describe('the live-status message', () => {
  it('shows what runs and for how long, the latest actions, files, cost and tokens, as valid Telegram HTML', () => {
    const write: NewEvent = {
      kind: 'tool_call',
      payload: {
        toolUseId: 'w',
        tool: 'Write',
        input: { file_path: '/home/dev/shop/src/app.ts', content: 'x' },
        action: claudeAction('Write', { file_path: '/home/dev/shop/src/app.ts', content: 'x' }),
      },
    };
    const { turn } = run([
      started,
      write,
      result('w'),
      bash('t1', 'npm test'),
      { kind: 'usage', payload: { costUsd: 0.5, inputTokens: 12_345, outputTokens: 678, durationMs: null } },
    ]);
    const at = turn.actions.at(-1)!.at;
    const html = renderLiveStatus(turn, session, at + 2 * 60_000 + 5000, redact);
    const { text } = parseTelegramHtml(html);
    expect(text).toContain('shop · claude — fix the tests');
    expect(text).toContain('running npm test for 2 m');
    expect(text).toContain('✓ Write src/app.ts');
    expect(text).toContain('… Run npm test');
    expect(text).toContain('📝 src/app.ts');
    expect(text).toContain('$0.5000 · 12.3k in · 678 out');
    // Under a minute no duration is shown, so a render a few seconds later is identical.
    expect(renderLiveStatus(turn, session, at + 10_000, redact)).toBe(renderLiveStatus(turn, session, at + 50_000, redact));
  });

  it('ends with the true final state and escapes what the agent wrote', () => {
    const { turn } = run([
      started,
      { kind: 'message', payload: { role: 'assistant', text: '<script>&' } },
      { kind: 'status', payload: { state: 'failed', detail: 'exit <1>' } },
    ]);
    const html = renderLiveStatus(turn, session, 0, redact);
    expect(parseTelegramHtml(html).text).toContain('failed: exit <1>');
    expect(html).not.toContain('<script>');
  });
});
