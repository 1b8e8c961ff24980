/**
 * Which browser notifications a change of the app state calls for: one per new approval (unless its
 * session is on screen in a visible tab) and one per run that finished or failed.
 */
import { actionLabel, actionSubject } from '../../../src-main/contract/action-words.ts';
import type { ToolAction } from '../../../src-main/contract/action.ts';
import type { AppState } from '../../store/index.ts';
import { projectName } from '../sessions/session-filter.ts';

/** A notification to show; `sessionId` is opened when it is clicked. */
export interface Notice {
  title: string;
  body: string;
  /** Deduplicates: the same approval or run end is shown once even if the state repeats it. */
  tag: string;
  sessionId: string;
}

/** The parts of the state notices depend on. */
export type NoticeState = Pick<AppState, 'pendingApprovals' | 'sessions' | 'link' | 'view' | 'selectedSessionId'>;

/** Longest subject shown in a notification's body. */
const MAX_SUBJECT = 600;

/** What a call acts on (the command, the files, the URL), else its input as compact JSON. */
function describeAction(action: ToolAction): string {
  const text = actionSubject(action) || JSON.stringify(action.input);
  return text.length > MAX_SUBJECT ? `${text.slice(0, MAX_SUBJECT)}…` : text;
}

const BUSY = new Set(['starting', 'running', 'stalled', 'waiting']);

/** The notices for the change from `previous` to `next`; `tabVisible` is whether the tab is on screen. */
export function noticesFor(previous: NoticeState, next: NoticeState, tabVisible: boolean): Notice[] {
  // Only changes seen live: not the first load, and not what a reconnect catches up on.
  if (previous.link.status !== 'live' || next.link.status !== 'live') return [];
  const onScreen = (sessionId: string): boolean => tabVisible && next.view === 'session' && next.selectedSessionId === sessionId;
  const name = (sessionId: string): string => {
    const session = next.sessions[sessionId];
    return session ? session.title || projectName(session.cwd) : 'a session';
  };
  const notices: Notice[] = [];
  for (const approval of Object.values(next.pendingApprovals)) {
    if (previous.pendingApprovals[approval.id] || onScreen(approval.sessionId)) continue;
    notices.push({
      title: `Needs you: ${actionLabel(approval.action)}`,
      body: `${describeAction(approval.action)}\n${name(approval.sessionId)} · risk ${approval.risk.level}`,
      tag: `approval:${approval.id}`,
      sessionId: approval.sessionId,
    });
  }
  for (const session of Object.values(next.sessions)) {
    const before = previous.sessions[session.id];
    if (!before || !BUSY.has(before.state) || onScreen(session.id)) continue;
    // A terminal's "run" is one typed line: its ends are not news. Its failure is.
    if (session.state === 'idle' && session.agent !== 'terminal') {
      // A reason on an idle session is a turn that ended on a failure (the provider refused, say): it is news.
      const failed = session.stateReason !== null;
      notices.push({
        title: failed ? 'Ended with an error' : 'Finished',
        body: failed ? `${name(session.id)}: ${session.stateReason}` : name(session.id),
        tag: `end:${session.id}:${session.lastSeq}`,
        sessionId: session.id,
      });
    } else if (session.state === 'failed') {
      notices.push({
        title: 'Failed',
        body: `${name(session.id)}${session.stateReason ? `: ${session.stateReason}` : ''}`,
        tag: `end:${session.id}:${session.lastSeq}`,
        sessionId: session.id,
      });
    }
  }
  return notices;
}
