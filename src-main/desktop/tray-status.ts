import type { Approval, Session } from '../contract/domain.ts';

/** The tray icon's three looks: nothing to do, agents at work, the owner is needed. */
export type TrayState = 'idle' | 'running' | 'waiting';

/** What the tray shows: its icon state plus the counts in its tooltip and menu. */
export interface TrayStatus {
  state: TrayState;
  activeSessions: number;
  pendingApprovals: number;
}

const ACTIVE_STATES: ReadonlySet<Session['state']> = new Set(['starting', 'running', 'stalled', 'waiting']);

/**
 * Derives the tray status from the sessions and approvals the core reports. `waiting` wins over
 * `running`: a pending approval blocks an agent until someone answers, which is what the icon must say.
 */
export function deriveTrayStatus(sessions: Iterable<Session>, approvals: Iterable<Approval>): TrayStatus {
  let activeSessions = 0;
  let waitingSessions = 0;
  for (const session of sessions) {
    if (ACTIVE_STATES.has(session.state)) activeSessions += 1;
    if (session.state === 'waiting') waitingSessions += 1;
  }
  let pendingApprovals = 0;
  for (const approval of approvals) if (approval.status === 'pending') pendingApprovals += 1;
  const state: TrayState = pendingApprovals > 0 || waitingSessions > 0 ? 'waiting' : activeSessions > 0 ? 'running' : 'idle';
  return { state, activeSessions, pendingApprovals };
}

/** Tooltip text for a status, e.g. "Reins: 2 sessions active, 1 approval pending". */
export function describeTrayStatus(status: TrayStatus): string {
  const parts: string[] = [];
  if (status.activeSessions > 0) {
    parts.push(`${status.activeSessions} session${status.activeSessions === 1 ? '' : 's'} active`);
  }
  if (status.pendingApprovals > 0) {
    parts.push(`${status.pendingApprovals} approval${status.pendingApprovals === 1 ? '' : 's'} pending`);
  }
  return `Reins: ${parts.length > 0 ? parts.join(', ') : 'idle'}`;
}
