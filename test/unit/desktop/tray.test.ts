import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Approval, Session } from '../../../src-main/contract/domain.ts';
import { createTrayController } from '../../../src-main/desktop/tray.ts';
import { deriveTrayStatus, describeTrayStatus } from '../../../src-main/desktop/tray-status.ts';
import { createFakeElectron, FakeTray, type FakeElectron } from '../../fakes/electron.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';

function session(id: string, state: Session['state'], waitingFor: Session['waitingFor'] = null): Session {
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
    lastSeq: 0,
    createdAt: 1,
    updatedAt: 1,
  };
}

function approval(id: string, status: Approval['status']): Approval {
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

describe('deriveTrayStatus', () => {
  it('is idle with nothing active', () => {
    expect(deriveTrayStatus([session('a', 'idle'), session('b', 'stopped')], [approval('x', 'allowed')])).toEqual({
      state: 'idle',
      activeSessions: 0,
      pendingApprovals: 0,
    });
  });

  it('is running while agents work, counting starting and stalled sessions as active', () => {
    expect(deriveTrayStatus([session('a', 'running'), session('b', 'stalled'), session('c', 'starting'), session('d', 'failed')], [])).toEqual({
      state: 'running',
      activeSessions: 3,
      pendingApprovals: 0,
    });
  });

  it('is waiting when an approval is pending or a session waits for input, even with others running', () => {
    expect(deriveTrayStatus([session('a', 'running')], [approval('x', 'pending'), approval('y', 'denied')]).state).toBe('waiting');
    expect(deriveTrayStatus([session('a', 'waiting', 'input')], []).state).toBe('waiting');
    expect(deriveTrayStatus([session('a', 'running')], [approval('x', 'pending')]).pendingApprovals).toBe(1);
  });

  it('describes the status for the tooltip', () => {
    expect(describeTrayStatus({ state: 'idle', activeSessions: 0, pendingApprovals: 0 })).toBe('Reins: idle');
    expect(describeTrayStatus({ state: 'waiting', activeSessions: 2, pendingApprovals: 1 })).toBe('Reins: 2 sessions active, 1 approval pending');
  });
});

describe('createTrayController', () => {
  let electron: FakeElectron;
  const events: string[] = [];
  const iconDir = '/app/assets/tray';
  const create = () => createTrayController(electron, { iconDir, onOpen: () => events.push('open'), onQuit: () => events.push('quit') });

  beforeEach(() => {
    electron = createFakeElectron();
    events.length = 0;
  });

  it('starts idle with Open, an empty approvals entry and Quit', () => {
    create();
    const tray = FakeTray.instances[0]!;
    expect(tray.image).toBe(join(iconDir, 'idle.png'));
    expect(tray.toolTip).toBe('Reins: idle');
    expect(tray.menu?.items.map((item) => item.label ?? '---')).toEqual([
      'Open Reins',
      '---',
      'No pending approvals',
      'No active sessions',
      '---',
      'Quit Reins',
    ]);
    expect(tray.menu?.items[2]?.enabled).toBe(false);
  });

  it('switches icon, tooltip and the pending-approvals entry with the status', () => {
    const controller = create();
    const tray = FakeTray.instances[0]!;
    controller.update({ state: 'waiting', activeSessions: 1, pendingApprovals: 2 });
    expect(tray.image).toBe(join(iconDir, 'waiting.png'));
    expect(tray.toolTip).toBe('Reins: 1 session active, 2 approvals pending');
    const pending = tray.menu?.items[2];
    expect(pending).toMatchObject({ label: '2 pending approvals…', enabled: true });
    pending?.click?.();
    expect(events).toEqual(['open']);
  });

  it('repaints only what changed', () => {
    const controller = create();
    const tray = FakeTray.instances[0]!;
    tray.calls.length = 0;
    controller.update({ state: 'running', activeSessions: 1, pendingApprovals: 0 });
    controller.update({ state: 'running', activeSessions: 1, pendingApprovals: 0 });
    expect(tray.calls).toEqual(['setImage', 'setToolTip', 'setContextMenu']);
  });

  it('opens on a click and quits from the menu', () => {
    create();
    const tray = FakeTray.instances[0]!;
    tray.emit('click');
    tray.menu?.items.find((item) => item.label === 'Quit Reins')?.click?.();
    expect(events).toEqual(['open', 'quit']);
  });

  it('destroys the tray icon', () => {
    create().destroy();
    expect(FakeTray.instances[0]?.destroyed).toBe(true);
  });
});
