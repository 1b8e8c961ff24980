import { describe, expect, it } from 'vitest';
import type { ApprovalKind, Grant, Risk, SessionMode } from '../../../src-main/contract/domain.ts';
import {
  STANDBY_PLAN_MESSAGE,
  STANDBY_QUESTION_MESSAGE,
  STANDBY_TOOL_MESSAGE,
  decidePolicy,
  reinsDenyMessage,
} from '../../../src-main/core/approvals/policy.ts';
import type { PolicyRequest } from '../../../src-main/core/approvals/policy.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';

const LOW: Risk = { level: 'low', tags: [], reasons: [] };
const MEDIUM: Risk = { level: 'medium', tags: ['writes'], reasons: ['writes a file'] };
const HIGH: Risk = { level: 'high', tags: ['secrets'], reasons: ['reads a secret file (.env: environment file)'] };
const CRITICAL: Risk = { level: 'critical', tags: ['privilege'], reasons: ['runs with elevated privileges (sudo)'] };
const REINS: Risk = { level: 'critical', tags: ['reins'], reasons: ["reaches Reins' own data (runtime.json holds the API token)"] };

function grant(id: string, over: Partial<Grant> = {}): Grant {
  return {
    id,
    scope: 'session',
    sessionId: 's1',
    projectId: 'p1',
    tool: 'shell',
    matcher: { kind: 'any' },
    createdAt: 0,
    expiresAt: null,
    revokedAt: null,
    createdBy: 'owner',
    ...over,
  };
}

function req(over: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    mode: 'ask',
    kind: 'tool',
    action: claudeAction('Bash', { command: 'npm test' }),
    risk: MEDIUM,
    grants: [],
    sessionId: 's1',
    projectId: 'p1',
    projectDir: '/home/u/proj',
    homeDir: '/home/u',
    now: 1000,
    ...over,
  };
}

describe('decidePolicy: questions and plans', () => {
  const rows: Array<[ApprovalKind, SessionMode, string, string | undefined]> = [
    ['question', 'ask', 'ask', undefined],
    ['question', 'auto', 'ask', undefined],
    ['question', 'standby', 'deny', STANDBY_QUESTION_MESSAGE],
    ['plan', 'ask', 'ask', undefined],
    ['plan', 'auto', 'allow', undefined],
    ['plan', 'standby', 'deny', STANDBY_PLAN_MESSAGE],
  ];
  it.each(rows)('%s in %s mode → %s', (kind, mode, action, message) => {
    const v = decidePolicy(req({ kind, mode, action: claudeAction(kind === 'plan' ? 'ExitPlanMode' : 'AskUserQuestion', {}), risk: LOW }));
    expect(v.action).toBe(action);
    if (message !== undefined) expect(v).toMatchObject({ message });
    expect(v.reason.length).toBeGreaterThan(0);
  });

  it('does not let a grant answer a question', () => {
    const v = decidePolicy(req({ kind: 'question', action: claudeAction('AskUserQuestion', {}), grants: [grant('g', { tool: 'AskUserQuestion' })] }));
    expect(v.action).toBe('ask');
  });

  it('tells the agent what to do when the owner is away', () => {
    expect(STANDBY_QUESTION_MESSAGE).toMatch(/owner is away.*best judgement.*stop/);
    expect(STANDBY_TOOL_MESSAGE).toBe('The owner is away (standby mode): this call was denied. Continue without it, or stop if you cannot.');
  });
});

describe('decidePolicy: tools', () => {
  const rows: Array<[string, SessionMode, string, Risk, string, RegExp]> = [
    ['Read', 'ask', 'low', LOW, 'allow', /harmless/],
    ['Read', 'auto', 'low', LOW, 'allow', /harmless/],
    ['Read', 'standby', 'low', LOW, 'allow', /harmless/],
    ['Grep', 'standby', 'low', LOW, 'allow', /harmless/],
    ['Glob', 'ask', 'low', LOW, 'allow', /harmless/],
    ['LS', 'ask', 'low', LOW, 'allow', /harmless/],
    ['NotebookRead', 'ask', 'low', LOW, 'allow', /harmless/],
    ['TodoWrite', 'standby', 'low', LOW, 'allow', /harmless/],
    ['Bash', 'ask', 'low', LOW, 'allow', /harmless/],
    ['Bash', 'standby', 'low', LOW, 'allow', /harmless/],
    ['Read', 'ask', 'high', HIGH, 'ask', /high risk needs the owner's decision: reads a secret file.*no grant covers a call when it touches secrets/],
    ['Read', 'standby', 'high', HIGH, 'deny', /standby/],
    ['Read', 'auto', 'high', HIGH, 'allow', /auto mode/],
    ['Bash', 'ask', 'medium', MEDIUM, 'ask', /medium risk needs the owner's decision: writes a file/],
    ['Bash', 'auto', 'critical', CRITICAL, 'allow', /auto mode/],
    ['Bash', 'standby', 'medium', MEDIUM, 'deny', /standby/],
    ['Write', 'standby', 'medium', MEDIUM, 'deny', /standby/],
    ['mcp__x__y', 'ask', 'medium', MEDIUM, 'ask', /owner/],
  ];
  it.each(rows)('%s in %s mode at %s risk → %s', (tool, mode, _level, risk, action, reason) => {
    const v = decidePolicy(req({ action: claudeAction(tool, {}), mode, risk }));
    expect(v.action).toBe(action);
    expect(v.reason).toMatch(reason);
    if (v.action === 'deny') expect(v.message).toBe(STANDBY_TOOL_MESSAGE);
  });

  it('allows a risky call through the first matching grant and names what it covers', () => {
    const grants = [
      grant('other-session', { sessionId: 's2', matcher: { kind: 'command', command: 'npm test' } }),
      grant('npm', { matcher: { kind: 'command', command: 'npm test' } }),
      grant('any', {}),
    ];
    const v = decidePolicy(req({ grants }));
    expect(v).toEqual({ action: 'allow', reason: 'allowed by grant npm (session: the command `npm test` exactly)', grantId: 'npm' });
  });

  it('asks when no grant matches', () => {
    const v = decidePolicy(
      req({ action: claudeAction('Bash', { command: 'npm publish' }), grants: [grant('npm', { matcher: { kind: 'command', command: 'npm test' } })] }),
    );
    expect(v.action).toBe('ask');
  });

  it('ignores grants outside ask mode (standby still denies)', () => {
    expect(decidePolicy(req({ mode: 'standby', grants: [grant('any')] })).action).toBe('deny');
  });

  it('never lets a grant cover secrets, even an exact one the owner made', () => {
    const g = grant('env', { tool: 'read', matcher: { kind: 'file', path: '/home/u/proj/.env' } });
    const v = decidePolicy(req({ action: claudeAction('Read', { file_path: '/home/u/proj/.env' }), risk: HIGH, grants: [g] }));
    expect(v.action).toBe('ask');
  });

  it('never lets a grant cover a critical call, not even the exact command', () => {
    const exact = grant('sudo', { matcher: { kind: 'command', command: 'sudo apt-get update' } });
    const v = decidePolicy(req({ action: claudeAction('Bash', { command: 'sudo apt-get update' }), risk: CRITICAL, grants: [grant('any'), exact] }));
    expect(v.action).toBe('ask');
    expect(v.reason).toMatch(/no grant covers a call when it is critical/);
  });

  it.each(['ask', 'auto', 'standby'] as const)('denies a call that reaches Reins itself in %s mode, whatever the grants', (mode) => {
    const v = decidePolicy(
      req({
        mode,
        action: claudeAction('Read', { file_path: '/home/u/.local/share/reins/runtime.json' }),
        risk: REINS,
        grants: [grant('any', { tool: 'read' })],
      }),
    );
    expect(v).toMatchObject({ action: 'deny', message: reinsDenyMessage(REINS) });
    expect(reinsDenyMessage(REINS)).toMatch(/runtime\.json holds the API token.*in any mode/);
  });

  it('denies a plan or question that reaches Reins too (the tag wins over the kind)', () => {
    expect(decidePolicy(req({ kind: 'plan', mode: 'auto', risk: REINS })).action).toBe('deny');
  });

  it('skips revoked and expired grants', () => {
    const grants = [grant('revoked', { revokedAt: 1 }), grant('expired', { expiresAt: 1000 })];
    expect(decidePolicy(req({ grants })).action).toBe('ask');
  });

  it('asks for a kind it does not know instead of allowing it', () => {
    const v = decidePolicy(req({ kind: 'other' as ApprovalKind, mode: 'auto' }));
    expect(v.action).toBe('ask');
  });
});
