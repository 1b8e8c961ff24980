import type { Session, SessionState } from '../../../src-main/contract/domain.ts';

/** What the sidebar's filter row holds; empty values match everything. */
export interface SessionFilter {
  text: string;
  state: SessionState | '';
  agent: string;
}

/** The filter that shows every session. */
export const NO_FILTER: SessionFilter = { text: '', state: '', agent: '' };

/** The folder name of a project path (`/home/me/app/` → `app`). */
export function projectName(cwd: string): string {
  const parts = cwd.split(/[\\/]+/).filter((part) => part !== '');
  return parts.at(-1) ?? cwd;
}

/**
 * The sessions that match: every word of `text` must appear (case-insensitive) in the name, the
 * title, the project path or the agent; `state` and `agent` must be equal when set.
 */
export function filterSessions(sessions: readonly Session[], filter: SessionFilter): Session[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return sessions.filter((session) => {
    if (filter.state && session.state !== filter.state) return false;
    if (filter.agent && session.agent !== filter.agent) return false;
    const haystack = `${session.name}\n${session.title}\n${session.cwd}\n${session.agent}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
