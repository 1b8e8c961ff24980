import { describe, expect, it } from 'vitest';
import type { Approval } from '../../../src-main/contract/domain.ts';
import { approval, budgetApproval, session } from '../../helpers/desktop-fixtures.ts';
import { createNotificationPolicy } from '../../../src-main/desktop/notification-policy.ts';

function approvalFor(id: string, sessionId: string): Approval {
  return { ...approval(id, 'pending'), sessionId };
}

describe('createNotificationPolicy', () => {
  it('notifies once per new pending approval', () => {
    const policy = createNotificationPolicy({ isWindowFocused: () => false });
    const sessions = [session('s1', 'waiting', 'approval')];
    expect(policy.observe({ sessions, approvals: [approvalFor('a1', 's1')] })).toEqual([
      { title: 'Approval needed: Bash', body: 's1', sessionId: 's1', approvalId: 'a1' },
    ]);
    expect(policy.observe({ sessions, approvals: [approvalFor('a1', 's1')] })).toEqual([]);
    expect(policy.observe({ sessions, approvals: [approvalFor('a1', 's1'), approvalFor('a2', 's1')] })).toHaveLength(1);
  });

  it('a run whose turn failed on the provider says what happened and what to do, not "finished"', () => {
    const policy = createNotificationPolicy({ isWindowFocused: () => false });
    policy.observe({ sessions: [session('s1', 'running')], approvals: [] });
    const reason = 'the model provider is rate-limiting requests: wait a minute and send the message again';
    expect(policy.observe({ sessions: [{ ...session('s1', 'idle'), stateReason: reason }], approvals: [] })).toEqual([
      { title: 'Run ended with an error', body: reason, sessionId: 's1' },
    ]);
  });

  it('a budget pause notifies without Allow/Deny actions: it is decided where its choices say Continue or Stop', () => {
    const policy = createNotificationPolicy({ isWindowFocused: () => false });
    expect(policy.observe({ sessions: [session('s1', 'waiting', 'approval')], approvals: [budgetApproval('b1')] })).toEqual([
      { title: 'Budget reached', body: 's1: Budget reached: this session spent $1.04 of $1.00', sessionId: 's1' },
    ]);
  });

  it('stays quiet for the session the focused window shows, and not for others or when unfocused', () => {
    let focused = true;
    const policy = createNotificationPolicy({ isWindowFocused: () => focused });
    policy.setFocusedSession('s1');
    const sessions = [session('s1', 'waiting'), session('s2', 'waiting')];
    expect(policy.observe({ sessions, approvals: [approvalFor('a1', 's1')] })).toEqual([]);
    expect(policy.observe({ sessions, approvals: [approvalFor('a2', 's2')] }).map((notice) => notice.sessionId)).toEqual(['s2']);
    focused = false;
    expect(policy.observe({ sessions, approvals: [approvalFor('a3', 's1')] }).map((notice) => notice.sessionId)).toEqual(['s1']);
    focused = true;
    policy.setFocusedSession(null);
    expect(policy.observe({ sessions, approvals: [approvalFor('a4', 's1')] }).map((notice) => notice.sessionId)).toEqual(['s1']);
  });

  it('notifies once per reminder that a session still waits, not for the one on screen', () => {
    let focused = false;
    const policy = createNotificationPolicy({ isWindowFocused: () => focused });
    const sessions = [session('s1', 'waiting', 'approval')];
    const reminder = (seq: number) => ({ sessionId: 's1', seq, detail: 'still waiting for you: an approval, for 60 min' });
    expect(policy.observe({ sessions, approvals: [], reminders: [reminder(7)] })).toEqual([
      { title: 'Still waiting for you', body: 's1: still waiting for you: an approval, for 60 min', sessionId: 's1' },
    ]);
    expect(policy.observe({ sessions, approvals: [], reminders: [reminder(7)] })).toEqual([]);
    policy.setFocusedSession('s1');
    focused = true;
    expect(policy.observe({ sessions, approvals: [], reminders: [reminder(9)] })).toEqual([]);
    focused = false;
    expect(policy.observe({ sessions, approvals: [], reminders: [reminder(12)] })).toHaveLength(1);
  });

  it('notifies once when a run finishes or fails, not for sessions first seen at rest', () => {
    const policy = createNotificationPolicy({ isWindowFocused: () => false });
    expect(policy.observe({ sessions: [session('s1', 'running'), session('s2', 'running'), session('s3', 'idle')], approvals: [] })).toEqual([]);
    const failed = { ...session('s2', 'failed'), stateReason: 'claude exited with code 1' };
    expect(policy.observe({ sessions: [session('s1', 'idle'), failed, session('s3', 'idle')], approvals: [] })).toEqual([
      { title: 'Run finished', body: 's1', sessionId: 's1' },
      { title: 'Run failed', body: 'claude exited with code 1', sessionId: 's2' },
    ]);
    expect(policy.observe({ sessions: [session('s1', 'idle'), failed, session('s3', 'idle')], approvals: [] })).toEqual([]);
  });
});
