import type { Session } from '../contract/domain.ts';
import type { CoreView } from './tray-model.ts';

/** A native notification to show; a click opens the window on `sessionId`. */
export interface DesktopNotice {
  title: string;
  body: string;
  sessionId: string;
  /** For an approval: its id, so the notification's Allow / Deny buttons can decide it. */
  approvalId?: string;
}

/** Decides which notifications the desktop shows as the core's view changes. */
export interface NotificationPolicy {
  /** Takes the latest view; returns the notifications it calls for (each approval and run end once). */
  observe(view: CoreView): DesktopNotice[];
  /** The session the renderer shows, or null; told by the renderer through the preload. */
  setFocusedSession(sessionId: string | null): void;
}

const WORKING: ReadonlySet<Session['state']> = new Set(['starting', 'running', 'stalled', 'waiting']);

/**
 * One notification per new pending approval, per reminder that a session still waits, and per run that
 * finished (back to idle) or failed; none for the session the window shows while it has focus (the
 * owner is already looking at it).
 */
export function createNotificationPolicy(options: { isWindowFocused(): boolean }): NotificationPolicy {
  const seenApprovals = new Set<string>();
  const lastState = new Map<string, Session['state']>();
  const lastReminder = new Map<string, number>();
  let focusedSession: string | null = null;
  const watched = (sessionId: string): boolean => focusedSession === sessionId && options.isWindowFocused();

  return {
    observe(view) {
      const notices: DesktopNotice[] = [];
      const titles = new Map(view.sessions.map((session) => [session.id, session.title || session.agent]));
      for (const approval of view.approvals) {
        if (approval.status !== 'pending' || seenApprovals.has(approval.id)) continue;
        seenApprovals.add(approval.id);
        if (watched(approval.sessionId)) continue;
        const session = titles.get(approval.sessionId) ?? approval.sessionId;
        // A budget pause is decided where its choices read "Continue to $2.04" and "Stop", not "Allow".
        if (approval.kind === 'budget') notices.push({ title: 'Budget reached', body: `${session}: ${approval.action.title}`, sessionId: approval.sessionId });
        else notices.push({ title: `Approval needed: ${approval.tool}`, body: session, sessionId: approval.sessionId, approvalId: approval.id });
      }
      for (const reminder of view.reminders ?? []) {
        if (lastReminder.get(reminder.sessionId) === reminder.seq) continue;
        lastReminder.set(reminder.sessionId, reminder.seq);
        if (watched(reminder.sessionId)) continue;
        const title = titles.get(reminder.sessionId) ?? reminder.sessionId;
        notices.push({ title: 'Still waiting for you', body: `${title}: ${reminder.detail}`, sessionId: reminder.sessionId });
      }
      for (const session of view.sessions) {
        const before = lastState.get(session.id);
        lastState.set(session.id, session.state);
        if (before === undefined || !WORKING.has(before) || watched(session.id)) continue;
        // An idle session with a reason ended its turn on a failure (the provider refused, say): say what to do.
        if (session.state === 'idle' && session.stateReason)
          notices.push({ title: 'Run ended with an error', body: session.stateReason, sessionId: session.id });
        else if (session.state === 'idle') notices.push({ title: 'Run finished', body: session.title || session.agent, sessionId: session.id });
        if (session.state === 'failed') {
          notices.push({ title: 'Run failed', body: session.stateReason ?? (session.title || session.agent), sessionId: session.id });
        }
      }
      return notices;
    },
    setFocusedSession(sessionId) {
      focusedSession = sessionId;
    },
  };
}
