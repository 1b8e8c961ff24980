import { describe, expect, it } from 'vitest';
import type { Approval, Session } from '../../../src-main/contract/domain.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';
import { noticesFor, type NoticeState } from '../../../src-renderer/features/notifications/notices.ts';

const session = (id: string, over: Partial<Session> = {}): Session => ({
  id,
  agent: 'claude',
  projectId: 'p',
  cwd: '/home/me/app',
  mode: 'ask',
  state: 'running',
  stateReason: null,
  waitingFor: null,
  agentSessionId: null,
  adopted: false,
  transcriptPath: null,
  title: `task ${id}`,
  name: id,
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 5,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

const approval = (id: string, sessionId: string): Approval => ({
  id,
  handle: id,
  sessionId,
  kind: 'tool',
  tool: 'Bash',
  input: { command: 'rm -rf build' },
  action: claudeAction('Bash', { command: 'rm -rf build' }),
  risk: { level: 'high', tags: ['destructive'], reasons: [] },
  status: 'pending',
  plan: null,
  questions: null,
  decidedBy: null,
  surface: null,
  reason: null,
  message: null,
  answers: null,
  grantOffer: null,
  createdAt: 0,
  decidedAt: null,
  expiresAt: 0,
});

const state = (over: Partial<NoticeState>): NoticeState => ({
  pendingApprovals: {},
  sessions: { s1: session('s1'), s2: session('s2') },
  link: { status: 'live', error: null },
  view: 'settings',
  selectedSessionId: null,
  ...over,
});

describe('browser notices', () => {
  it('one per new approval, none for approvals already shown', () => {
    const before = state({});
    const after = state({ pendingApprovals: { a1: approval('a1', 's1') } });
    expect(noticesFor(before, after, true)).toEqual([
      { title: 'Needs you: Run', body: 'rm -rf build\ntask s1 · risk high', tag: 'approval:a1', sessionId: 's1' },
    ]);
    expect(noticesFor(after, after, true)).toEqual([]);
  });

  it('none for the session on screen while the tab is visible; one when the tab is hidden', () => {
    const before = state({ view: 'session', selectedSessionId: 's1' });
    const after = { ...before, pendingApprovals: { a1: approval('a1', 's1') } };
    expect(noticesFor(before, after, true)).toEqual([]);
    expect(noticesFor(before, after, false)).toHaveLength(1);
  });

  it('one per run that finished or failed; a terminal line ending is no news', () => {
    const before = state({ sessions: { s1: session('s1'), s2: session('s2'), t: session('t', { agent: 'terminal' }) } });
    const after = state({
      sessions: {
        s1: session('s1', { state: 'idle', lastSeq: 9 }),
        s2: session('s2', { state: 'failed', stateReason: 'exit 1', lastSeq: 7 }),
        t: session('t', { agent: 'terminal', state: 'idle' }),
      },
    });
    expect(noticesFor(before, after, true).map((n) => [n.title, n.body, n.tag])).toEqual([
      ['Finished', 'task s1', 'end:s1:9'],
      ['Failed', 'task s2: exit 1', 'end:s2:7'],
    ]);
    const limited = state({ sessions: { s1: session('s1', { state: 'idle', stateReason: 'the model provider is overloaded: wait', lastSeq: 4 }) } });
    expect(noticesFor(before, limited, true).map((n) => [n.title, n.body])).toEqual([
      ['Ended with an error', 'task s1: the model provider is overloaded: wait'],
    ]);
  });

  it('nothing for what the first load or a reconnect brings in', () => {
    const connecting = state({ link: { status: 'connecting', error: null } });
    const loaded = state({ link: { status: 'connecting', error: null }, pendingApprovals: { a1: approval('a1', 's1') } });
    expect(noticesFor(connecting, loaded, false)).toEqual([]);
    expect(noticesFor(loaded, { ...loaded, link: { status: 'live', error: null } }, false)).toEqual([]);
  });
});
