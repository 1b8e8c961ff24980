import type { Session } from '../../../src-main/contract/domain.ts';

/** Project folders sessions ran in, most recently active first, each once; at most `limit`. */
export function recentProjects(sessions: readonly Session[], limit = 8): string[] {
  const latest = new Map<string, number>();
  for (const session of sessions) {
    const seen = latest.get(session.cwd);
    if (seen === undefined || session.updatedAt > seen) latest.set(session.cwd, session.updatedAt);
  }
  return [...latest.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([cwd]) => cwd);
}
