/** The header line naming a session on every message about it. */
import { basename } from 'node:path';
import type { Session, SessionState } from '../../../contract/index.ts';
import { escapeHtml } from '../format/index.ts';

const TITLE_SHOWN = 60;

/** "⚙️ project · claude — title". */
export function sessionLabel(session: Session | undefined): string {
  if (!session) return '⚙️ <b>unknown session</b>';
  const title = session.title.length > TITLE_SHOWN ? `${session.title.slice(0, TITLE_SHOWN - 1)}…` : session.title;
  return `⚙️ <b>${escapeHtml(basename(session.cwd) || session.cwd)}</b> · ${escapeHtml(session.agent)}${title ? ` — <i>${escapeHtml(title)}</i>` : ''}`;
}

const STATE_ICONS: Record<SessionState, string> = {
  starting: '🚀',
  running: '▶️',
  stalled: '⚠️',
  waiting: '✋',
  idle: '💤',
  stopped: '⏹',
  failed: '❌',
  interrupted: '⏸',
};

/** "✋ waiting (approval)". */
export function stateText(session: Session): string {
  const state = session.state === 'waiting' && session.waitingFor ? `waiting (${session.waitingFor})` : session.state;
  return `${STATE_ICONS[session.state]} ${state}`;
}

/** Short id shown to the owner (first 8 characters of the session id). */
export function shortId(sessionId: string): string {
  return sessionId.slice(0, 8);
}
