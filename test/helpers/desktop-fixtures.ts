/** A session and an approval as the core's API returns them, for the desktop's unit tests. */
import type { Approval, Session } from '../../src-main/contract/domain.ts';
import { claudeAction } from '../../src-main/core/agents/claude/action.ts';

/** A claude session `id` in `state`. */
export function session(id: string, state: Session['state'], waitingFor: Session['waitingFor'] = null): Session {
  return {
    id,
    agent: 'claude',
    projectId: 'p1',
    cwd: '/work/project',
    mode: 'ask',
    state,
    stateReason: null,
    waitingFor,
    agentSessionId: null,
    adopted: false,
    transcriptPath: null,
    title: id,
    name: id,
    archivedAt: null,
    budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
    lastSeq: 0,
    createdAt: 1,
    updatedAt: 1,
  };
}

/** A pending-or-decided `rm -rf build` approval `id` of session s1. */
export function approval(id: string, status: Approval['status']): Approval {
  return {
    id,
    handle: id.padEnd(8, 'x'),
    sessionId: 's1',
    kind: 'tool',
    tool: 'Bash',
    input: { command: 'rm -rf build' },
    action: claudeAction('Bash', { command: 'rm -rf build' }),
    plan: null,
    questions: null,
    risk: { level: 'high', tags: ['destructive'], reasons: ['deletes files recursively (rm -rf)'] },
    status,
    decidedBy: null,
    surface: null,
    reason: null,
    message: null,
    answers: null,
    grantOffer: null,
    createdAt: 1,
    decidedAt: null,
    expiresAt: 2,
  };
}

/** A pending budget approval `id` of session s1: it spent $1.04 of its $1.00. */
export function budgetApproval(id: string): Approval {
  const ask = { scope: 'session' as const, spent: { costUsd: 1.04, tokens: 9000 }, limit: { costUsd: 1, tokens: null }, next: { costUsd: 2.04, tokens: null } };
  return {
    ...approval(id, 'pending'),
    kind: 'budget',
    tool: 'budget',
    input: { ...ask },
    action: { kind: 'budget', tool: 'budget', title: 'Budget reached: this session spent $1.04 of $1.00', input: { ...ask }, budget: ask },
    risk: { level: 'low', tags: [], reasons: [] },
  };
}
