import { useState } from 'react';
import { describeGrantMatcher } from '../../../src-main/contract/grant-words.ts';
import type { Grant, Session } from '../../../src-main/contract/domain.ts';
import { useLoad } from '../../frame/use-load.ts';
import { useApi, useAppState } from '../../store-context.tsx';
import { projectName } from '../sessions/session-filter.ts';

const MODES: readonly [string, string][] = [
  ['Ask', 'risky calls wait for you; reading runs on its own.'],
  ['Auto', 'everything runs and you are told; for trusted work.'],
  ['Standby', 'risky calls are denied; the agent is told you are away.'],
];

/** Where a grant applies, in words. */
function scopeWords(grant: Grant, sessions: Record<string, Session>): string {
  if (grant.scope === 'project') {
    const cwd = Object.values(sessions).find((session) => session.projectId === grant.projectId)?.cwd;
    return cwd ? `in project ${projectName(cwd)}` : 'in one project';
  }
  const session = grant.sessionId ? sessions[grant.sessionId] : undefined;
  const name = session ? session.title || projectName(session.cwd) : 'one session';
  return grant.scope === 'session' ? `in session “${name}”` : `for the current run of “${name}”`;
}

/** The project folder a grant's paths are shortened against, when known. */
function projectDir(grant: Grant, sessions: Record<string, Session>): string | undefined {
  if (grant.sessionId) return sessions[grant.sessionId]?.cwd;
  return Object.values(sessions).find((session) => session.projectId === grant.projectId)?.cwd;
}

/** The modes, and the standing grants with what each covers; each can be revoked. */
export function GrantsSettings() {
  const api = useApi();
  const sessions = useAppState((state) => state.sessions);
  const grants = useLoad(() => api.listGrants().then((answer) => answer.grants));
  const [error, setError] = useState<string | null>(null);

  const revoke = async (grantId: string): Promise<void> => {
    setError(null);
    try {
      await api.revokeGrant(grantId);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
    grants.reload();
  };

  return (
    <section className="settings-section" aria-labelledby="grants-heading">
      <h3 id="grants-heading">Modes and grants</h3>
      <dl className="facts">
        {MODES.map(([mode, words]) => (
          <div key={mode} className="fact">
            <dt>{mode}</dt>
            <dd>{words}</dd>
          </div>
        ))}
      </dl>
      <h4>Grants</h4>
      <p className="muted">A grant lets one kind of call run without asking. It never covers critical calls, secrets or Reins itself.</p>
      {grants.error ? (
        <p className="error" role="alert">
          {grants.error}
        </p>
      ) : null}
      {grants.data && grants.data.length === 0 ? <p className="empty">No grants: every risky call asks.</p> : null}
      {grants.data && grants.data.length > 0 ? (
        <ul className="grant-list" aria-label="Grants">
          {grants.data.map((grant) => (
            <li key={grant.id} className="grant" data-grant-id={grant.id}>
              <span className="grant-words">
                Allows {describeGrantMatcher(grant.tool, grant.matcher, projectDir(grant, sessions))} {scopeWords(grant, sessions)}
                {grant.expiresAt ? `, until ${new Date(grant.expiresAt).toLocaleString()}` : ''}.
              </span>
              <span className="muted">
                by {grant.createdBy}, {new Date(grant.createdAt).toLocaleString()}
              </span>
              <button type="button" className="danger" onClick={() => void revoke(grant.id)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="error one-line" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
