import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Approval, Session } from '../../../src-main/contract/domain.ts';
import { approval, budgetApproval, session } from '../../helpers/desktop-fixtures.ts';
import { createTrayController } from '../../../src-main/desktop/tray.ts';
import { buildTrayModel } from '../../../src-main/desktop/tray-model.ts';
import { deriveTrayStatus, describeTrayStatus } from '../../../src-main/desktop/tray-status.ts';
import { createFakeElectron, FakeTray, type FakeElectron } from '../../fakes/electron.ts';

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

describe('buildTrayModel', () => {
  const clicks: string[] = [];
  const actions = {
    open: () => clicks.push('open'),
    quit: () => clicks.push('quit'),
    allow: (id: string) => clicks.push(`allow ${id}`),
    deny: (id: string) => clicks.push(`deny ${id}`),
    denyAll: () => clicks.push('deny all'),
    pause: () => clicks.push('pause'),
  };
  beforeEach(() => {
    clicks.length = 0;
  });

  it('lists each session and each pending approval with Allow and Deny', () => {
    const model = buildTrayModel(
      { sessions: [session('s1', 'waiting', 'approval')], approvals: [approval('a1', 'pending'), approval('a2', 'allowed')] },
      actions,
    );
    expect(model.status).toEqual({ state: 'waiting', activeSessions: 1, pendingApprovals: 1 });
    expect(model.menu.map((item) => item.label ?? '---')).toEqual([
      'Open Reins',
      '---',
      's1 (claude, waiting)',
      '---',
      'Bash: rm -rf build',
      'Deny all pending',
      'Pause (standby)',
      '---',
      'Quit Reins',
    ]);
    const entry = model.menu[4]!;
    entry.submenu?.find((item) => item.label === 'Allow')?.click?.();
    entry.submenu?.find((item) => item.label === 'Deny')?.click?.();
    model.menu.find((item) => item.label === 'Deny all pending')?.click?.();
    model.menu.find((item) => item.label === 'Pause (standby)')?.click?.();
    model.menu[2]?.click?.();
    expect(clicks).toEqual(['allow a1', 'deny a1', 'deny all', 'pause', 'open']);
  });

  it('offers a budget pause as Continue or Stop session, named by what was spent', () => {
    const model = buildTrayModel({ sessions: [session('s1', 'waiting', 'approval')], approvals: [budgetApproval('b1')] }, actions);
    const entry = model.menu.find((item) => item.id === 'approval:b1')!;
    expect(entry.label).toBe('Budget reached: this session spent $1.04 of $1.00');
    expect(entry.submenu?.map((item) => item.label)).toEqual(['Continue (new limit)', 'Stop session']);
    entry.submenu?.[0]?.click?.();
    entry.submenu?.[1]?.click?.();
    expect(clicks).toEqual(['allow b1', 'deny b1']);
  });

  it('is idle with nothing to decide or pause', () => {
    const model = buildTrayModel({ sessions: [session('s1', 'idle')], approvals: [] }, actions);
    expect(model.status.state).toBe('idle');
    expect(model.menu.find((item) => item.label === 'No pending approvals')?.enabled).toBe(false);
    expect(model.menu.find((item) => item.label === 'Deny all pending')?.enabled).toBe(false);
    expect(model.menu.find((item) => item.label === 'Pause (standby)')?.enabled).toBe(false);
  });

  it('is running while an agent works, and offers Pause', () => {
    const model = buildTrayModel({ sessions: [session('s1', 'running')], approvals: [] }, actions);
    expect(model.status).toEqual({ state: 'running', activeSessions: 1, pendingApprovals: 0 });
    expect(model.menu.find((item) => item.label === 'Pause (standby)')?.enabled).toBe(true);
  });
});

describe('createTrayController', () => {
  let electron: FakeElectron;
  const events: string[] = [];
  const iconDir = '/app/assets/tray';
  const actions = {
    open: () => events.push('open'),
    quit: () => events.push('quit'),
    allow: () => {},
    deny: () => {},
    denyAll: () => {},
    pause: () => {},
  };
  const model = (sessions: Session[], approvals: Approval[]) => buildTrayModel({ sessions, approvals }, actions);
  const create = () => createTrayController(electron, { iconDir, onOpen: () => events.push('open') }, model([], []));

  beforeEach(() => {
    electron = createFakeElectron();
    events.length = 0;
  });

  it('starts idle', () => {
    create();
    const tray = FakeTray.instances[0]!;
    expect(tray.image).toBe(join(iconDir, 'idle.png'));
    expect(tray.toolTip).toBe('Reins: idle');
    expect(tray.menu?.items.map((item) => item.label ?? '---')).toContain('No pending approvals');
  });

  it('switches icon, tooltip and menu with the model', () => {
    const controller = create();
    const tray = FakeTray.instances[0]!;
    controller.update(model([session('s1', 'waiting', 'approval')], [approval('a1', 'pending'), approval('a2', 'pending')]));
    expect(tray.image).toBe(join(iconDir, 'waiting.png'));
    expect(tray.toolTip).toBe('Reins: 1 session active, 2 approvals pending');
    expect(tray.menu?.items.filter((item) => item.submenu).map((item) => item.id)).toEqual(['approval:a1', 'approval:a2']);
  });

  it('repaints only what changed, and rebuilds the menu when another approval takes the place of one', () => {
    const controller = create();
    const tray = FakeTray.instances[0]!;
    tray.calls.length = 0;
    controller.update(model([session('s1', 'running')], []));
    controller.update(model([session('s1', 'running')], []));
    expect(tray.calls).toEqual(['setImage', 'setToolTip', 'setContextMenu']);
    controller.update(model([session('s1', 'running')], [approval('a1', 'pending')]));
    tray.calls.length = 0;
    controller.update(model([session('s1', 'running')], [approval('a2', 'pending')]));
    expect(tray.calls).toEqual(['setContextMenu']);
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
