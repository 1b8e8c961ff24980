import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src-main/contract/domain.ts';
import { recentProjects } from '../../../src-renderer/features/new-session/recent-projects.ts';
import { relativeTime } from '../../../src-renderer/features/sessions/relative-time.ts';
import { filterSessions, NO_FILTER, projectName } from '../../../src-renderer/features/sessions/session-filter.ts';

const session = (id: string, over: Partial<Session>): Session => ({
  id,
  agent: 'claude',
  projectId: 'p',
  cwd: '/home/me/app',
  mode: 'ask',
  state: 'idle',
  stateReason: null,
  waitingFor: null,
  agentSessionId: null,
  adopted: false,
  transcriptPath: null,
  title: id,
  name: id,
  archivedAt: null,
  budget: { limit: { costUsd: null, tokens: null }, spent: { costUsd: 0, tokens: 0 } },
  lastSeq: 0,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

const sessions = [
  session('fix the parser', { state: 'running', updatedAt: 30 }),
  session('deploy notes', { agent: 'codex', cwd: '/home/me/website/', updatedAt: 20 }),
  session('ls', { agent: 'terminal', cwd: '/srv/tools', state: 'failed', updatedAt: 40 }),
  session('older app work', { updatedAt: 10, name: 'app-2' }),
];

describe('the sidebar filter', () => {
  it('matches every word in name, title, project path or agent, and exact state and agent', () => {
    const ids = (filter: Partial<typeof NO_FILTER>) => filterSessions(sessions, { ...NO_FILTER, ...filter }).map((s) => s.id);
    expect(ids({})).toHaveLength(4);
    expect(ids({ text: 'WEBSITE' })).toEqual(['deploy notes']);
    expect(ids({ text: 'app parser' })).toEqual(['fix the parser']);
    expect(ids({ text: 'terminal' })).toEqual(['ls']);
    expect(ids({ text: 'APP-2' })).toEqual(['older app work']);
    expect(ids({ state: 'failed' })).toEqual(['ls']);
    expect(ids({ agent: 'claude', text: 'app' })).toEqual(['fix the parser', 'older app work']);
    expect(ids({ agent: 'codex', state: 'running' })).toEqual([]);
  });

  it('names a project by its folder', () => {
    expect(projectName('/home/me/website/')).toBe('website');
    expect(projectName('C:\\work\\api')).toBe('api');
    expect(projectName('/')).toBe('/');
  });
});

describe('recent projects', () => {
  it('lists each folder once, by its latest activity', () => {
    expect(recentProjects(sessions)).toEqual(['/srv/tools', '/home/me/app', '/home/me/website/']);
    expect(recentProjects(sessions, 1)).toEqual(['/srv/tools']);
  });
});

describe('relative times', () => {
  const now = 1_800_000_000_000;
  it('uses the largest unit that fits', () => {
    expect(relativeTime(now - 20_000, now, 'en')).toBe('just now');
    expect(relativeTime(now - 5 * 60_000, now, 'en')).toBe('5 min. ago');
    expect(relativeTime(now - 3 * 3_600_000, now, 'en')).toBe('3 hr. ago');
    expect(relativeTime(now - 86_400_000, now, 'en')).toBe('yesterday');
    // A clock a little behind the core's is not "in the future".
    expect(relativeTime(now + 5000, now, 'en')).toBe('just now');
  });
});
